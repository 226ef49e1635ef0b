import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  basicAuthorization,
  bearerAuthorization,
  expiryWarningSchedule,
  jwtExpiry,
  MAX_TIMER_MS,
  type Credentials,
} from '../../src/cm/auth';
import { CmError } from '../../src/cm/errors';
import { defaultServicePrincipal, gssapiServiceName, isServicePrincipal, sspiTargetName } from '../../src/cm/negotiate/servicePrincipal';
import { isOffered, methodOrder } from '../../src/auth/methodChoice';
import { rejection, startSimulator, type RunningSimulator } from './helpers';

describe('authentication headers', () => {
  it('encodes Basic credentials as UTF-8', () => {
    assert.equal(
      basicAuthorization('CONTOSO\\jdoe', 'pässword'),
      `Basic ${Buffer.from('CONTOSO\\jdoe:pässword', 'utf8').toString('base64')}`,
    );
  });

  it('accepts a bearer token pasted with or without its "Bearer " prefix', () => {
    assert.equal(bearerAuthorization('  abc.def.ghi '), 'Bearer abc.def.ghi');
    assert.equal(bearerAuthorization('Bearer abc.def.ghi'), 'Bearer abc.def.ghi');
  });

  it('reads the expiry of a JWT, and nothing from an opaque token', () => {
    const payload = Buffer.from(JSON.stringify({ exp: 1_900_000_000, upn: 'jdoe@contoso.com' })).toString('base64url');
    assert.equal(jwtExpiry(`eyJhbGciOiJSUzI1NiJ9.${payload}.signature`)?.toISOString(), new Date(1_900_000_000_000).toISOString());
    assert.equal(jwtExpiry('opaque-token'), undefined);
    assert.equal(jwtExpiry('a.%%%.c'), undefined);
  });

  it('warns 5 minutes before a token expires, and splits waits too long for one timer', () => {
    const now = Date.UTC(2026, 0, 1);
    assert.deepEqual(expiryWarningSchedule(new Date(now + 65 * 60_000), now), { warnNow: false, waitMs: 60 * 60_000 });
    assert.deepEqual(expiryWarningSchedule(new Date(now + 2 * 60_000), now), { warnNow: true, waitMs: 0 });
    assert.deepEqual(expiryWarningSchedule(new Date(now + 90 * 24 * 3_600_000), now), { warnNow: false, waitMs: MAX_TIMER_MS });
  });

  it('names the Kerberos service after the host, as SSPI wants it on Windows and GSSAPI elsewhere', () => {
    assert.equal(defaultServicePrincipal('https://cm.contoso.com:8443', 'linux'), 'HTTP@cm.contoso.com');
    assert.equal(defaultServicePrincipal('https://cm.contoso.com:8443', 'darwin'), 'HTTP@cm.contoso.com');
    assert.equal(defaultServicePrincipal('https://cm.contoso.com:8443', 'win32'), 'HTTP/cm.contoso.com');
  });

  it('reads a service principal typed in either form and gives each library its own', () => {
    for (const typed of ['HTTP/cm.contoso.com', 'HTTP@cm.contoso.com']) {
      assert.equal(sspiTargetName(typed), 'HTTP/cm.contoso.com');
      assert.equal(gssapiServiceName(typed), 'HTTP@cm.contoso.com');
    }
    assert.equal(sspiTargetName('HTTP/cm.contoso.com@CONTOSO.COM'), 'HTTP/cm.contoso.com@CONTOSO.COM');
    assert.equal(gssapiServiceName('HTTP/cm.contoso.com@CONTOSO.COM'), 'HTTP@cm.contoso.com');
    assert.ok(isServicePrincipal('HTTP/cm-lb.contoso.com'));
    for (const bad of ['cm.contoso.com', 'HTTP cm', 'HTTP/a/b', 'HTTP@', '/cm', `HTTP/${'a'.repeat(600)}`]) {
      assert.equal(isServicePrincipal(bad), false, bad);
    }
  });
});

describe('signing in to the simulator', () => {
  let sim: RunningSimulator;
  afterEach(() => sim.stop());

  const list = (credentials?: Credentials) => sim.client({ credentials }).listRequests('Approved', new AbortController().signal);

  it('lists requests with the right Basic credentials', async () => {
    sim = await startSimulator({ auth: { basic: { username: 'jdoe', password: 's3cret!' } } });
    const result = await list({ method: 'basic', username: 'jdoe', password: 's3cret!' });
    assert.ok(result.requests.length > 0);
  });

  it('asks to sign in when no credentials are sent, suggesting the method the server offers', async () => {
    sim = await startSimulator({ auth: { basic: { username: 'jdoe', password: 's3cret!' } } });
    const error = await rejection(() => list());
    assert.ok(error instanceof CmError && error.kind === 'unauthorized');
    assert.match(error.message, /asks you to sign in \(HTTP 401\).*offers Basic/);
    assert.match(error.hint, /mimcm\.authentication to basic/);
    assert.equal(error.action, 'signIn');
  });

  it('says a wrong password was rejected, and never logs it or the header', async () => {
    sim = await startSimulator({ auth: { basic: { username: 'jdoe', password: 's3cret!' } } });
    const error = await rejection(() => list({ method: 'basic', username: 'jdoe', password: 'wrong-pass' }));
    assert.ok(error instanceof CmError && error.kind === 'unauthorized');
    assert.match(error.message, /rejected your credentials/);
    const everything = sim.logger.lines.join('\n') + error.describe();
    assert.doesNotMatch(everything, /wrong-pass|Basic [A-Za-z0-9+/=]{8,}|authorization:/i);
  });

  it('sends a bearer token', async () => {
    sim = await startSimulator({ auth: { bearer: 'token-123' } });
    assert.ok((await list({ method: 'bearer', token: 'token-123' })).requests.length > 0);
    const error = await rejection(() => list({ method: 'bearer', token: 'stale' }));
    assert.ok(error instanceof CmError && error.kind === 'unauthorized');
  });
});

describe('redirects', () => {
  let target: Server;
  let redirector: Server;
  const reachedTarget: string[] = [];
  let targetUrl: string;
  let redirectorUrl: string;

  before(async () => {
    target = createServer((req, res) => {
      reachedTarget.push(`${req.url} ${req.headers.authorization ?? ''}`);
      res.end('[]');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    redirector = createServer((_req, res) => {
      res.writeHead(302, { location: `${targetUrl}/CertificateManagement/api/v1.0/requests` });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    redirectorUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
  });
  after(() => {
    target.close();
    redirector.close();
  });

  it('never follows a redirect, so credentials cannot travel to another origin', async () => {
    const sim = await startSimulator();
    try {
      const client = sim.client({ host: redirectorUrl, credentials: { method: 'basic', username: 'jdoe', password: 's3cret!' } });
      const error = await rejection(() => client.listRequests('Pending', new AbortController().signal));
      assert.ok(error instanceof CmError && error.kind === 'httpStatus', String(error));
      assert.match(error.message, new RegExp(`redirected to ${targetUrl}/CertificateManagement`));
      assert.equal(error.summary, 'Redirected (HTTP 302)');
      assert.deepEqual(reachedTarget, []);
    } finally {
      await sim.stop();
    }
  });
});

describe('choosing a sign-in method', () => {
  it('offers first what the server offered, in the usual order', () => {
    assert.deepEqual(methodOrder(['Negotiate', 'NTLM'], false), ['negotiate', 'ntlm', 'basic', 'bearer', 'adfs']);
    assert.deepEqual(methodOrder(['Basic'], false).slice(0, 1), ['basic']);
    assert.deepEqual(methodOrder(['NTLM'], false).slice(0, 2), ['ntlm', 'negotiate']);
  });

  it('puts ADFS before a pasted token when ADFS is configured, and after it when not', () => {
    assert.deepEqual(methodOrder(['Bearer'], true).slice(0, 2), ['adfs', 'bearer']);
    assert.deepEqual(methodOrder(['Bearer'], false).slice(0, 2), ['bearer', 'adfs']);
  });

  it('reads schemes whatever their case, and knows nothing offered when nothing was', () => {
    assert.ok(isOffered('negotiate', ['negotiate']));
    assert.ok(!isOffered('basic', []));
    assert.deepEqual(methodOrder([], false), ['negotiate', 'ntlm', 'basic', 'bearer', 'adfs']);
  });
});

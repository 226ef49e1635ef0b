import * as assert from 'node:assert/strict';
import { basicAuthorization, bearerAuthorization, defaultServicePrincipal, jwtExpiry, offeredSchemes, type Credentials } from '../../src/cm/auth';
import { CmError } from '../../src/cm/errors';
import { rejection, startSimulator, type RunningSimulator } from './helpers';

describe('authentication headers', () => {
  it('encodes Basic credentials as UTF-8', () => {
    assert.equal(basicAuthorization('CONTOSO\\jdoe', 'pässword'), `Basic ${Buffer.from('CONTOSO\\jdoe:pässword', 'utf8').toString('base64')}`);
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

  it('lists the schemes a 401 offers, ignoring their parameters', () => {
    assert.deepEqual(offeredSchemes(['Negotiate', 'NTLM']), ['Negotiate', 'NTLM']);
    assert.deepEqual(offeredSchemes('Basic realm="CM, lab", Bearer error="invalid_token"'), ['Basic', 'Bearer']);
    assert.deepEqual(offeredSchemes(undefined), []);
  });

  it('names the Kerberos service after the host', () => {
    assert.equal(defaultServicePrincipal('https://cm.contoso.com:8443'), 'HTTP@cm.contoso.com');
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

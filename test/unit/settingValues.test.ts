// Every value a setting or a stored secret can hold is either used or refused with a message that names it.
import * as assert from 'node:assert/strict';
import type { StoredCredential } from '../../src/auth/credentialStore';
import { expiryWarningSchedule, jwtExpiry, MAX_TIMER_MS, tokenProblem, userNameProblem } from '../../src/cm/auth';
import { resolveEndpoint } from '../../src/cm/endpoint';
import type { ReportVerdict } from '../../src/cm/credentialGuard';
import { CmError } from '../../src/cm/errors';
import { proxyFor, type ProxySettings } from '../../src/cm/proxy';
import { CmConnection } from '../../src/engine/connection';
import { RecordingLogger, testSettings as settings } from './helpers';

const target = new URL('https://cm.contoso.com/CertificateManagement/api/v1.0/requests');
const proxySettings = (proxy: string): ProxySettings => ({ proxy, strictSSL: true, noProxy: [], support: 'override' });

function jwtWithExp(exp: unknown): string {
  return `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.sig`;
}

describe('odd setting and secret values', () => {
  describe('mimcm.apiPath is judged after percent-decoding', () => {
    for (const path of ['/CertificateManagement/%2e%2e/admin', '/a/%2E/b', '/a%2Fb/api', '/a/%00/b', '/a/%zz/b', '/a/b%3Fx=1']) {
      it(`refuses ${path}`, () => {
        const result = resolveEndpoint('https://cm.contoso.com', path);
        assert.equal(result.ok, false);
        assert.match(result.ok ? '' : result.error.message, /mimcm\.apiPath/);
      });
    }

    it('still accepts an encoded space, and writes one canonical form', () => {
      const result = resolveEndpoint('https://cm.contoso.com', '/Cert%20Mgmt/api/v1.0');
      assert.ok(result.ok);
      assert.equal(result.endpoint.apiPath, '/Cert%20Mgmt/api/v1.0');
    });
  });

  describe('proxy URLs', () => {
    for (const proxy of ['socks5://proxy.contoso.com:1080', 'socks4://proxy:1080', 'socks://proxy:1080', 'socks5h://u:p@proxy:1080']) {
      it(`explains that ${proxy.split('://')[0]} proxies cannot be used`, () => {
        const choice = proxyFor(target, proxySettings(proxy), {});
        assert.ok(choice instanceof CmError);
        assert.match(choice.message, /SOCKS proxy/);
        assert.doesNotMatch(choice.message, /u:p@/);
        assert.equal(choice.action, 'openSettings');
      });
    }

    it('explains an unparseable proxy instead of silently connecting directly', () => {
      const choice = proxyFor(target, proxySettings('http://[proxy:3128'), {});
      assert.ok(choice instanceof CmError);
      assert.match(choice.message, /http\.proxy .* is not a URL/);
    });

    it('names the environment variable when that is where the proxy came from', () => {
      const choice = proxyFor(target, proxySettings(''), { HTTPS_PROXY: 'ftp://proxy:21' });
      assert.ok(choice instanceof CmError);
      assert.match(choice.message, /HTTPS_PROXY/);
    });

    it('a SOCKS proxy becomes an explained connection state, not an unhandled failure', async () => {
      const connection = new CmConnection(
        new RecordingLogger(),
        { get: async () => undefined, getProxy: async () => undefined, getPassphrase: async () => undefined },
        'test',
      );
      await connection.apply(settings({ proxy: proxySettings('socks5://proxy:1080') }));
      assert.equal(connection.state.kind, 'invalid');
      connection.dispose();
    });
  });

  describe('tokens and user names', () => {
    it('refuses a token with characters an HTTP header cannot carry, saying where', () => {
      assert.equal(tokenProblem('eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.sig'), undefined);
      assert.equal(tokenProblem('  Bearer abc.def-ghi_jkl~+/=  '), undefined);
      assert.match(tokenProblem('abc\ndef') ?? '', /U\+000A at position 4/);
      assert.match(tokenProblem('abc def') ?? '', /a space/);
      assert.match(tokenProblem('“abc”') ?? '', /U\+201C/);
      assert.match(tokenProblem('   ') ?? '', /Paste a token/);
    });

    it('refuses user names that Basic or Windows cannot take', () => {
      assert.equal(userNameProblem('CONTOSO\\jdoe', 'ntlm'), undefined);
      assert.equal(userNameProblem('jdoe@contoso.com', 'basic'), undefined);
      assert.match(userNameProblem('jdoe:admin', 'basic') ?? '', /":"/);
      assert.match(userNameProblem('jd\u0000oe', 'ntlm') ?? '', /control character/);
      assert.match(userNameProblem('', 'ntlm') ?? '', /Enter a user name/);
    });

    it('explains a stored token that cannot be sent, instead of a misleading network error', async () => {
      const stored: StoredCredential = { method: 'bearer', token: 'abc\u0001def' };
      const connection = new CmConnection(
        new RecordingLogger(),
        { get: async () => stored, getProxy: async () => undefined, getPassphrase: async () => undefined },
        'test',
      );
      await connection.apply(settings({ authentication: 'bearer' }));
      assert.equal(connection.state.kind, 'invalid');
      assert.match(connection.state.kind === 'invalid' ? connection.state.error.message : '', /cannot be sent in an HTTP header/);
      connection.dispose();
    });
  });

  describe('JWT expiry of any size', () => {
    for (const exp of [1e300, -1e300, 8.64e12 + 1, Number.MAX_VALUE]) {
      it(`treats exp ${exp} as "no known expiry" rather than an invalid date`, () => {
        assert.equal(jwtExpiry(jwtWithExp(exp)), undefined);
      });
    }

    it('never schedules an immediate re-check for an invalid date (no timer loop)', () => {
      assert.deepEqual(expiryWarningSchedule(new Date(Number.NaN), Date.now()), { warnNow: false, waitMs: MAX_TIMER_MS });
    });

    it('a payload that is JSON null or an exp that is a string is ignored', () => {
      assert.equal(jwtExpiry(`a.${Buffer.from('null').toString('base64url')}.c`), undefined);
      assert.equal(jwtExpiry(jwtWithExp('1900000000')), undefined);
    });
  });

  describe('the rejected-credential guard outlives a client rebuild', () => {
    it('rebuilding the client for the same rejected password keeps it from being sent; new credentials are tried', async () => {
      let stored: StoredCredential = { method: 'basic', username: 'CONTOSO\\jdoe', password: 'wrong' };
      const connection = new CmConnection(
        new RecordingLogger(),
        { get: async () => stored, getProxy: async () => undefined, getPassphrase: async () => undefined },
        'test',
      );
      await connection.apply(settings({ authentication: 'basic' }));
      const first = connection.state.kind === 'ready' ? connection.state.client.guard : undefined;
      assert.ok(first);
      await first
        .run(async (report: ReportVerdict) =>
          report({ accepted: false, rejection: new CmError({ kind: 'unauthorized', message: 'rejected', hint: '', action: 'signIn' }) }),
        )
        .catch(() => undefined);
      await connection.apply(settings({ authentication: 'basic' }), { rereadSecrets: true });
      assert.ok(connection.credentialsRejected, 'same password: still known to be rejected');
      stored = { method: 'basic', username: 'CONTOSO\\jdoe', password: 'right' };
      await connection.apply(settings({ authentication: 'basic' }), { rereadSecrets: true });
      assert.equal(connection.credentialsRejected, undefined, 'a new password gets its chance');
      connection.dispose();
    });
  });
});

import * as assert from 'node:assert/strict';
import type { Credentials } from '../../src/cm/auth';
import { CmClient } from '../../src/cm/client';
import { CredentialGuard } from '../../src/cm/credentialGuard';
import { resolveEndpoint } from '../../src/cm/endpoint';
import type { ConnectionState } from '../../src/engine/connection';
import type { EngineConfig } from '../../src/engine/protocol';
import { directoryAccess } from '../../src/engine/serverDirectory';
import type { AuthMethod } from '../../src/cm/auth';
import type { StoredCredential } from '../../src/auth/storedCredentials';
import { RecordingLogger, testSettings } from './helpers';

const ORIGIN = 'https://cm.contoso.test';
const PASSWORD: StoredCredential = { method: 'basic', username: 'CONTOSO\\alice', password: 'Pa55' };

/** A connection to the CM server as the engine holds it, with its credential judged or not. */
async function connection(method: AuthMethod, credentials: Credentials, accepted: boolean, host = ORIGIN): Promise<ConnectionState> {
  const guard = new CredentialGuard();
  if (accepted) {
    await guard.run((report) => Promise.resolve(report({ accepted: true })));
  }
  const resolved = resolveEndpoint(host, '/CertificateManagement/api/v1.0');
  assert.ok(resolved.ok);
  const client = new CmClient({
    endpoint: resolved.endpoint,
    targetUser: 'all',
    timeoutSeconds: 30,
    logger: new RecordingLogger(),
    credentials,
    guard,
  });
  return { kind: 'ready', client, settings: testSettings({ host, authentication: method }), origin: new URL(host).origin };
}

function config(credential: StoredCredential | undefined, url = ''): EngineConfig {
  return {
    connection: testSettings({ host: ORIGIN }),
    secrets: { credential },
    userAgent: 'test',
    locale: 'en',
    rereadSecrets: false,
    directory: { url, fromUserSettings: false },
  };
}

describe("what a server's directory may be reached with", () => {
  it('never hands the directory a password before the CM server accepted it', async () => {
    const basic = { method: 'basic', username: PASSWORD.username, password: 'Pa55' } as const;
    assert.equal(directoryAccess(config(PASSWORD), await connection('basic', basic, false))?.password, undefined);
    assert.deepEqual(directoryAccess(config(PASSWORD), await connection('basic', basic, true))?.password, {
      username: 'CONTOSO\\alice',
      password: 'Pa55',
    });
  });

  it('with auto, uses the kept password once accepted, and Negotiate only once the CM server chose it', async () => {
    const basic = { method: 'basic', username: PASSWORD.username, password: 'Pa55' } as const;
    assert.ok(directoryAccess(config(PASSWORD), await connection('auto', basic, true))?.password !== undefined);
    const auto = await connection('auto', { method: 'auto', servicePrincipal: 'HTTP@cm.contoso.test' }, false);
    assert.equal(directoryAccess(config(undefined), auto)?.kerberos, false, 'auto has not chosen Negotiate yet');
    const negotiate = await connection('negotiate', { method: 'negotiate', servicePrincipal: 'HTTP@cm.contoso.test' }, false);
    assert.deepEqual(
      [directoryAccess(config(undefined), negotiate)?.kerberos, directoryAccess(config(undefined), negotiate)?.password],
      [true, undefined],
    );
  });

  it('asks no directory when names are off, or when nothing is set and the CM host is an address', async () => {
    const none = { method: 'none' } as const;
    assert.equal(directoryAccess(config(undefined, 'off'), await connection('none', none, false)), undefined);
    assert.equal(directoryAccess(config(undefined), await connection('none', none, false, 'http://127.0.0.1:8080')), undefined);
    assert.equal(
      directoryAccess(config(undefined, 'ldap://127.0.0.1:3890'), await connection('none', none, false, 'http://127.0.0.1:8080'))?.settings
        .url,
      'ldap://127.0.0.1:3890',
    );
  });
});

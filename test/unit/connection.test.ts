import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { ProxyCredential, StoredCredential } from '../../src/auth/credentialStore';
import type { ConnectionSettings } from '../../src/settings/settings';
import { CmConnection, type CredentialSource } from '../../src/engine/connection';
import { RecordingLogger, testSettings } from './helpers';

const ORIGIN = 'https://cm.contoso.com';

const settings = testSettings;

class FakeSecrets implements CredentialSource {
  constructor(
    private readonly server: Record<string, StoredCredential> = {},
    private readonly proxies: Record<string, ProxyCredential> = {},
  ) {}
  async get(origin: string): Promise<StoredCredential | undefined> {
    return this.server[origin];
  }
  async getProxy(proxyUrl: string): Promise<ProxyCredential | undefined> {
    return this.proxies[proxyUrl];
  }
  async getPassphrase(): Promise<string | undefined> {
    return undefined;
  }
}

function jwt(expiresInSeconds: number): string {
  const payload = Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + expiresInSeconds })).toString('base64url');
  return `eyJhbGciOiJSUzI1NiJ9.${payload}.sig`;
}

describe('building the connection from settings and secrets', () => {
  const connections: CmConnection[] = [];
  afterEach(() => connections.splice(0).forEach((connection) => connection.dispose()));

  async function connect(
    values: Partial<ConnectionSettings>,
    secrets = new FakeSecrets(),
  ): Promise<{ connection: CmConnection; logger: RecordingLogger }> {
    const logger = new RecordingLogger();
    const connection = new CmConnection(logger, secrets, 'test');
    connections.push(connection);
    await connection.apply(settings(values));
    return { connection, logger };
  }

  it('is unset without a host, so the welcome view shows', async () => {
    const { connection } = await connect({ host: '' });
    assert.equal(connection.state.kind, 'unset');
  });

  it('asks to sign in, without connecting, when basic or ntlm has nothing stored', async () => {
    for (const authentication of ['basic', 'ntlm'] as const) {
      const { connection } = await connect({ authentication });
      const state = connection.state;
      assert.ok(state.kind === 'invalid', authentication);
      assert.equal(state.error.action, 'signIn');
      assert.match(state.error.message, /Not signed in to cm\.contoso\.com/);
    }
  });

  it('does not use a credential stored for another method', async () => {
    const { connection } = await connect(
      { authentication: 'ntlm' },
      new FakeSecrets({ [ORIGIN]: { method: 'basic', username: 'u', password: 'p' } }),
    );
    assert.equal(connection.state.kind, 'invalid');
  });

  it("refuses an expired bearer token before any call, and remembers a valid one's expiry", async () => {
    const expired = await connect({ authentication: 'bearer' }, new FakeSecrets({ [ORIGIN]: { method: 'bearer', token: jwt(-60) } }));
    const state = expired.connection.state;
    assert.ok(state.kind === 'invalid');
    assert.match(state.error.message, /access token for cm\.contoso\.com expired/);
    const valid = await connect({ authentication: 'bearer' }, new FakeSecrets({ [ORIGIN]: { method: 'bearer', token: jwt(3600) } }));
    const ready = valid.connection.state;
    assert.ok(ready.kind === 'ready');
    assert.ok(ready.tokenExpiry !== undefined && ready.tokenExpiry.getTime() > Date.now());
  });

  it('uses HTTP@host for negotiate unless a service principal is set, and logs no secret', async () => {
    const plain = await connect({ authentication: 'negotiate' });
    assert.ok(plain.logger.lines.some((line) => line.includes('negotiate for HTTP@cm.contoso.com')));
    const custom = await connect({ authentication: 'negotiate', kerberosServicePrincipal: 'HTTP@cmalias.contoso.com' });
    assert.ok(custom.logger.lines.some((line) => line.includes('negotiate for HTTP@cmalias.contoso.com')));
    const basic = await connect(
      { authentication: 'basic' },
      new FakeSecrets({ [ORIGIN]: { method: 'basic', username: 'CONTOSO\\jdoe', password: 'Top-Secret-1' } }),
    );
    assert.ok(basic.logger.lines.some((line) => line.includes('basic as CONTOSO\\jdoe')));
    assert.ok(basic.logger.lines.every((line) => !line.includes('Top-Secret-1')));
  });

  it('goes through http.proxy, reporting it without the credentials in its URL', async () => {
    const { connection, logger } = await connect({
      proxy: { proxy: 'http://puser:ppass@proxy.contoso.com:3128', strictSSL: true, noProxy: [], support: 'override' },
    });
    assert.equal(connection.proxyUrl, 'http://proxy.contoso.com:3128');
    assert.ok(logger.lines.some((line) => line.includes('via proxy http://proxy.contoso.com:3128')));
    assert.ok(logger.lines.every((line) => !line.includes('ppass')));
  });

  it('explains an unreadable CA file or client certificate instead of connecting', async () => {
    const ca = await connect({ caFile: '/nonexistent/ca.pem' });
    assert.ok(ca.connection.state.kind === 'invalid');
    assert.match(ca.connection.state.error.message, /mimcm\.tls\.caFile/);
    const pfx = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'client-certificate.pfx');
    const certificate = await connect({ clientCertificate: pfx });
    assert.ok(certificate.connection.state.kind === 'invalid');
    assert.equal(certificate.connection.state.error.action, 'enterPassphrase');
  });

  it("reports a server change, so the tree forgets the old server's data", async () => {
    const { connection } = await connect({});
    assert.equal(await connection.apply(settings({ targetUser: 'current' })), 'connection');
    assert.equal(await connection.apply(settings({ host: 'https://cm2.contoso.com' })), 'server');
  });

  it('keeps the client when the connection settings are the same, and rebuilds it when a secret changed', async () => {
    const { connection, logger } = await connect({});
    const before = connection.state;
    assert.ok(before.kind === 'ready');
    const connects = logger.lines.filter((line) => line.includes('Using CM API')).length;
    assert.equal(await connection.apply(settings({})), 'unchanged');
    const after = connection.state;
    assert.ok(after.kind === 'ready');
    assert.equal(after.client, before.client, 'same client, same open connections');
    assert.equal(logger.lines.filter((line) => line.includes('Using CM API')).length, connects, 'nothing rebuilt');
    assert.equal(await connection.apply(after.settings, { rereadSecrets: true }), 'connection');
    assert.ok(connection.state.kind === 'ready' && connection.state.client !== before.client);
  });

  it('ends on the newest settings when a slow secret read finishes after a newer change', async () => {
    // Signing in changes mimcm.authentication and then stores the secret: two reconnects that overlap.
    let releaseFirstRead: () => void = () => undefined;
    const firstRead = new Promise<void>((resolve) => (releaseFirstRead = resolve));
    let reads = 0;
    const secrets = new FakeSecrets({ [ORIGIN]: { method: 'basic', username: 'CONTOSO\\jdoe', password: 'pw' } });
    const slowFirst: CredentialSource = {
      get: async (origin) => {
        if (reads++ === 0) {
          await firstRead;
          return undefined;
        }
        return secrets.get(origin);
      },
      getProxy: (proxyUrl) => secrets.getProxy(proxyUrl),
      getPassphrase: () => secrets.getPassphrase(),
    };
    const connection = new CmConnection(new RecordingLogger(), slowFirst, 'test');
    connections.push(connection);
    const older = connection.apply(settings({ authentication: 'basic' }));
    await connection.apply(settings({ authentication: 'basic', targetUser: 'current' }));
    releaseFirstRead();
    await older;
    assert.equal(connection.state.kind, 'ready', 'the older, signed-out reading does not win');
    assert.ok(connection.state.kind === 'ready' && connection.state.settings.targetUser === 'current');
  });
});

import * as assert from 'node:assert/strict';
import { basicAuthorization } from '../../src/cm/auth';
import { CmError } from '../../src/cm/errors';
import { importLab, type AuthLabModule, type ProxyLab, type ProxyLabModule } from './labs';
import { rejection, startSimulator, type RunningSimulator } from '../unit/helpers';

describe('through a real proxy (squid)', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let labs: ProxyLabModule;
  let open: ProxyLab;
  let guarded: ProxyLab;

  before(async () => {
    sim = await startSimulator({ count: 40, seed: 9 });
    labs = await importLab<ProxyLabModule>('proxyLab.mjs');
    [open, guarded] = await Promise.all([labs.startProxyLab({ requireAuth: false }), labs.startProxyLab({ requireAuth: true })]);
  });
  after(async () => {
    await Promise.all([open?.stop(), guarded?.stop()]);
    await sim?.stop();
  });

  const list = (proxy: { url: string; authorization?: string }, host = sim.url) =>
    sim.client({ host, proxy: { strictSSL: true, ...proxy } }).listRequests('Approved', new AbortController().signal);

  it('lists requests through the proxy', async () => {
    const client = sim.client({ proxy: { url: open.url, strictSSL: true } });
    const result = await client.listRequests('Approved', new AbortController().signal);
    assert.ok(result.requests.length > 0);
    // squid logs a tunnel when it closes.
    await client.close();
    const connect = new RegExp(`TCP_TUNNEL/200 .*CONNECT ${new URL(sim.url).host}`);
    for (let waited = 0; waited < 5000 && !connect.test(open.accessLog()); waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.match(open.accessLog(), connect);
  });

  it('explains a proxy that asks for credentials (407), offering proxy sign-in', async () => {
    const error = await rejection(() => list({ url: guarded.url }));
    assert.ok(error instanceof CmError && error.kind === 'proxy', String(error));
    assert.equal(error.status, 407);
    assert.equal(error.action, 'signInToProxy');
    assert.match(error.message, /asks for credentials/);
  });

  it("answers the proxy's Basic challenge with the proxy credentials", async () => {
    const result = await list({ url: guarded.url, authorization: basicAuthorization(labs.PROXY_USER, labs.PROXY_PASSWORD) });
    assert.ok(result.requests.length > 0);
  });

  it('says so when the proxy cannot be reached, instead of blaming the CM server', async () => {
    const error = await rejection(() => list({ url: 'http://127.0.0.1:9' }));
    assert.ok(error instanceof CmError && error.kind === 'proxy', String(error));
    assert.match(error.message, /proxy http:\/\/127\.0\.0\.1:9 cannot be reached/);
  });

  it('keeps an NTLM handshake on one tunnelled connection', async () => {
    const ntlm = await (await importLab<AuthLabModule>('authLab.mjs')).startNtlmLab({ backendUrl: sim.url });
    try {
      const client = sim.client({
        host: ntlm.url,
        proxy: { url: open.url, strictSSL: true },
        credentials: { method: 'ntlm', username: ntlm.username, password: ntlm.password },
      });
      const result = await client.listRequests('Approved', new AbortController().signal);
      assert.ok(result.requests.length > 0);
    } finally {
      await ntlm.stop();
    }
  });
});

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { renewAdfs, signInWithAdfs, type AdfsFlowDeps } from '../../src/auth/adfsFlow';
import { listenForRedirect } from '../../src/auth/loopbackRedirect';
import type { AdfsCredential, StoredCredential } from '../../src/auth/storedCredentials';
import { adfsSettingsProblem } from '../../src/cm/adfsSettings';
import { CmError } from '../../src/cm/errors';
import { EngineHandle } from '../../src/engine/engineHandle';
import { Servers } from '../../src/servers/servers';
import { resolveSettings, type AdfsSettings, type ConnectionSettings } from '../../src/settings/settings';
import { signInAsBrowser, startAdfsProvider, type AdfsProvider } from '../../tools/adfs-provider/provider';
import { generateRequests } from '../../tools/cm-simulator/data';
import { CmSimulator } from '../../tools/cm-simulator/server';
import { RecordingLogger, rejection, testSettings } from './helpers';

const WORKER = path.join(__dirname, '..', '..', 'src', 'engine', 'worker.js');
const NO_PROXY = { proxy: '', strictSSL: true, noProxy: [], support: 'override' } as const;

describe('ADFS sign-in against a real OpenID Connect provider', function () {
  this.timeout(30_000);
  let provider: AdfsProvider;
  let cm: CmSimulator;
  let cmUrl: string;
  const handles: EngineHandle[] = [];
  let servers: Servers | undefined;

  const engine = (): EngineHandle => {
    const handle = new EngineHandle(WORKER, new RecordingLogger());
    handles.push(handle);
    return handle;
  };
  const adfs = (overrides: Partial<AdfsSettings> = {}): AdfsSettings => ({
    authority: provider.issuer,
    clientId: provider.clientId,
    resource: '',
    scope: 'openid',
    redirectPort: 0,
    ...overrides,
  });
  const connection = (overrides: Partial<AdfsSettings> = {}): ConnectionSettings =>
    testSettings({ host: cmUrl, authentication: 'adfs', adfs: adfs(overrides) });
  /** The flow with the engine's calls and a user who signs in as `login` in the browser that opens. */
  const flow = (handle: EngineHandle, settings: ConnectionSettings, browser: string[] = []): AdfsFlowDeps => ({
    adfs: settings.adfs,
    origin: cmUrl,
    endpoints: () => handle.call('adfsEndpoints', { connection: settings, secrets: {} }),
    token: (form) => handle.call('adfsToken', { connection: settings, secrets: {}, form }),
    externalAddress: (local) => Promise.resolve(local),
    openBrowser: (url) => {
      browser.push(url);
      void signInAsBrowser(url, 'jdoe');
      return Promise.resolve(true);
    },
  });
  const loadWith = async (handle: EngineHandle, settings: ConnectionSettings, credential: StoredCredential) => {
    const info = await handle.call('configure', {
      connection: settings,
      secrets: { credential },
      userAgent: 'test',
      locale: 'en-US',
      rereadSecrets: true,
    });
    return { info, outcome: await handle.call('load', { statuses: ['Pending', 'Completed'] }) };
  };

  before(async () => {
    cm = new CmSimulator({ requests: generateRequests(60, 3) });
    cmUrl = await cm.start(0);
    provider = await startAdfsProvider({ resource: cmUrl });
    // The CM API takes only tokens this provider signed for it, as a web API behind ADFS does.
    cm.setAuth({ jwt: { issuer: provider.issuer, audience: cmUrl, jwksUri: provider.jwksUri } });
  });
  after(async () => {
    servers?.dispose();
    handles.forEach((handle) => handle.dispose());
    await provider.stop();
    await cm.stop();
  });

  it('signs in in the browser with PKCE and the resource, and the CM API takes the token', async () => {
    const handle = engine();
    const browser: string[] = [];
    const credential = await signInWithAdfs(flow(handle, connection(), browser));

    const asked = new URL(browser[0] ?? '');
    assert.equal(`${asked.origin}${asked.pathname}`, `${provider.issuer}/oauth2/authorize`, 'discovered from the authority');
    assert.equal(asked.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(asked.searchParams.get('resource'), cmUrl, 'the resource defaults to the CM server');
    assert.match(asked.searchParams.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    assert.equal(credential.user, 'jdoe@contoso.com');
    assert.ok(credential.refreshToken, 'a refresh token is kept for renewal');
    assert.ok((credential.expiresAt ?? 0) > Date.now() + 50 * 60_000, 'the expiry comes from expires_in');

    const { info, outcome } = await loadWith(handle, connection(), credential);
    assert.equal(info.kind, 'ready');
    assert.equal(outcome.kind, 'loaded');
  });

  it('renews with the refresh token, and the renewed token keeps the data without a reload', async () => {
    const handle = engine();
    const credential = await signInWithAdfs(flow(handle, connection()));
    await loadWith(handle, connection(), credential);
    const before = cm.calls.length;

    const renewed = await renewAdfs(credential, (form) => handle.call('adfsToken', { connection: connection(), secrets: {}, form }));
    assert.notEqual(renewed.accessToken, credential.accessToken);
    assert.equal(renewed.user, 'jdoe@contoso.com');
    assert.ok(provider.grants.includes('refresh_token'));
    const info = await handle.call('configure', {
      connection: connection(),
      secrets: { credential: renewed },
      userAgent: 'test',
      locale: 'en-US',
      rereadSecrets: true,
    });
    assert.equal(info.change, 'unchanged', 'same user, same server: nothing to reload');
    assert.equal(cm.calls.length, before);
    assert.equal((await handle.call('load', { statuses: ['Pending'] })).kind, 'loaded', 'the renewed token is taken');
  });

  it('renews an expired sign-in before connecting, and keeps the renewed one', async () => {
    const handle = engine();
    const signedIn = await signInWithAdfs(flow(handle, connection()));
    const expired: AdfsCredential = { ...signedIn, expiresAt: Date.now() - 1000 };
    const kept: StoredCredential[] = [];
    servers = new Servers(engine, {
      secretsFor: () => Promise.resolve({ credential: kept.at(-1) ?? expired }),
      storeCredential: (_config, credential) => {
        kept.push(credential);
        return Promise.resolve();
      },
      userAgent: 'test',
      locale: 'en-US',
      isWatched: () => false,
    });
    const values: Record<string, unknown> = {
      host: cmUrl,
      authentication: 'adfs',
      'adfs.authority': provider.issuer,
      'adfs.clientId': provider.clientId,
    };
    await servers.apply(resolveSettings({ get: (key) => values[key] }, NO_PROXY), { rereadSecrets: false });
    const [session] = servers.all;
    assert.equal(kept.length, 1, 'the renewed tokens are kept');
    assert.notEqual((kept[0] as AdfsCredential).accessToken, signedIn.accessToken);
    assert.equal(session?.error, undefined, session?.error?.message);
    assert.ok(session?.summary, 'loaded with the renewed token');
    assert.equal(session.user, 'jdoe@contoso.com');
  });

  it('explains a refresh token ADFS no longer takes, and asks to sign in again', async () => {
    const handle = engine();
    const signedIn = await signInWithAdfs(flow(handle, connection()));
    const error = await rejection(() =>
      renewAdfs({ ...signedIn, refreshToken: 'revoked' }, (form) =>
        handle.call('adfsToken', { connection: connection(), secrets: {}, form }),
      ),
    );
    assert.ok(error instanceof CmError);
    assert.equal(error.action, 'signIn');
    assert.match(error.message, /ADFS did not issue a token \(invalid_grant/);
  });

  it('explains what ADFS answers instead of a code (a resource it does not know)', async () => {
    const handle = engine();
    const settings = connection({ resource: 'https://unknown.contoso.com' });
    const error = await rejection(() => signInWithAdfs(flow(handle, settings)));
    assert.ok(error instanceof CmError);
    assert.match(error.message, /ADFS did not sign you in \(invalid_target/);
  });

  it('never sends a token made for other ADFS settings', async () => {
    const handle = engine();
    const credential = await signInWithAdfs(flow(handle, connection()));
    const { info, outcome } = await loadWith(handle, connection({ clientId: 'another-client' }), credential);
    assert.equal(info.kind, 'invalid');
    assert.match(info.error?.message ?? '', /other ADFS settings/);
    assert.equal(outcome.kind, 'failed');
  });

  it('explains an authority that is not an OpenID issuer', async () => {
    const handle = engine();
    const settings = testSettings({ host: cmUrl, authentication: 'adfs', adfs: adfs({ authority: `${cmUrl}/adfs` }) });
    const error = await rejection(() => handle.call('adfsEndpoints', { connection: settings, secrets: {} }));
    assert.ok(error instanceof CmError);
    assert.match(error.message, /OpenID configuration/);
    assert.equal(error.action, 'openSettings');
  });
});

describe('ADFS settings and the loopback redirect', () => {
  const settings = (authority: string, clientId = 'client'): AdfsSettings => ({
    authority,
    clientId,
    resource: '',
    scope: 'openid',
    redirectPort: 0,
  });

  it('takes an https authority, or http on this machine only, and needs a client id', () => {
    assert.equal(adfsSettingsProblem(settings('https://adfs.contoso.com/adfs')), undefined);
    assert.equal(adfsSettingsProblem(settings('http://127.0.0.1:4000/adfs')), undefined);
    assert.match(adfsSettingsProblem(settings('http://adfs.contoso.com/adfs')) ?? '', /must use https/);
    assert.match(adfsSettingsProblem(settings('')) ?? '', /authority is not set/);
    assert.match(adfsSettingsProblem(settings('https://adfs.contoso.com', '')) ?? '', /clientId is not set/);
    assert.match(adfsSettingsProblem(settings('adfs.contoso.com')) ?? '', /not a URL/);
  });

  it('ignores calls without our state, and takes the one with it', async () => {
    const listener = await listenForRedirect({ state: 'expected', timeoutMs: 10_000 });
    assert.equal((await fetch(`${listener.uri}?state=other&code=stolen`)).status, 404);
    const page = await fetch(`${listener.uri}?state=expected&code=good`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /You can close this tab/);
    assert.equal(await listener.code, 'good');
  });

  it('shows whatever ADFS says about a failure as text, never as markup', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), async (error, description) => {
        const listener = await listenForRedirect({ state: 's', timeoutMs: 10_000 });
        const settled = listener.code.catch((reason: unknown) => reason);
        const query = new URLSearchParams({ state: 's', error: error || 'x', error_description: description });
        const page = await (await fetch(`${listener.uri}?${query.toString()}`)).text();
        const reason = await settled;
        assert.ok(reason instanceof CmError);
        assert.doesNotMatch(page.replace(/<(\/?)(!DOCTYPE|html|head|meta|title|style|body|h1|p)\b[^>]*>/g, ''), /</, 'no markup from ADFS');
      }),
      { numRuns: 40 },
    );
  });

  it('gives up after its time, and when canceled', async () => {
    const late = await listenForRedirect({ state: 's', timeoutMs: 50 });
    assert.match(((await rejection(() => late.code)) as CmError).message, /No sign-in came back/);
    const abort = new AbortController();
    const canceled = await listenForRedirect({ state: 's', timeoutMs: 10_000, signal: abort.signal });
    abort.abort();
    assert.equal(((await rejection(() => canceled.code)) as CmError).kind, 'canceled');
  });
});

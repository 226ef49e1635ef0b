// A real OpenID Connect provider (the `oidc-provider` package) set up the way ADFS serves a native client: issuer
// under /adfs, endpoints at /adfs/oauth2/authorize and /adfs/oauth2/token, keys at /adfs/discovery/keys, public
// client with PKCE, the `resource` parameter naming the CM web API, JWT access tokens with a `upn` claim, and
// refresh tokens. Its sign-in page takes any user name and password (the package's development interactions).
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const ADFS_CLIENT_ID = 'mimcm-vscode';
const PREFIX = '/adfs';

export interface AdfsProviderOptions {
  /**
   * The loopback address to serve on; 127.0.0.2 by default, which browsers reach like any host (VS Code's web
   * workbench sends addresses of 127.0.0.1 and localhost through its port forwarding instead).
   */
  readonly address?: string;
  /** The resource (relying party identifier) tokens are issued for. */
  readonly resource: string;
  readonly accessTokenSeconds?: number;
}

export interface AdfsProvider {
  /** e.g. http://127.0.0.1:4567/adfs: what mimcm.adfs.authority is set to. */
  readonly issuer: string;
  readonly jwksUri: string;
  readonly clientId: string;
  /** The token requests received, by grant type, in order. */
  readonly grants: string[];
  /**
   * Registers one more redirect URI, as an admin adds one to the ADFS application (e.g. the address a web
   * window's port forwarding gives the loopback listener).
   */
  allowRedirect(uri: string): void;
  stop(): Promise<void>;
}

interface ProviderModule {
  errors: { InvalidTarget: new (description?: string) => Error };
  default: new (
    issuer: string,
    configuration: Record<string, unknown>,
  ) => {
    readonly Client: { prototype: { redirectUriAllowed(this: unknown, uri: string): boolean } };
    callback(): (req: unknown, res: unknown) => void;
    on(event: string, listener: (...args: unknown[]) => void): void;
  };
}

export async function startAdfsProvider(options: AdfsProviderOptions): Promise<AdfsProvider> {
  // oidc-provider is an ES module; a dynamic import reaches it from this CommonJS build.
  const { default: Provider, errors } = (await import('oidc-provider')) as unknown as ProviderModule;
  const server: Server = createServer();
  const address = options.address ?? '127.0.0.2';
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const issuer = `http://${address}:${(server.address() as AddressInfo).port}${PREFIX}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ttl = options.accessTokenSeconds ?? 3600;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: ADFS_CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        // ADFS and RFC 8252: a loopback redirect is registered without a port and matches any port.
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'adfs-signing', use: 'sig', alg: 'RS256' }] },
    routes: { authorization: '/oauth2/authorize', token: '/oauth2/token', jwks: '/discovery/keys', userinfo: '/userinfo' },
    pkce: { required: () => true, methods: ['S256'] },
    features: {
      devInteractions: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => options.resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (resource !== options.resource) {
            // As ADFS does for a relying party it does not know: an error sent back to the redirect.
            throw new errors.InvalidTarget(`MSIS9602: ${resource} is not a known relying party`);
          }
          return { scope: 'openid', audience: resource, accessTokenTTL: ttl, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    // ADFS issues refresh tokens to native clients without offline_access.
    issueRefreshToken: () => true,
    findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => ({ sub: id, upn: `${id}@contoso.com` }) }),
    extraTokenClaims: (_ctx: unknown, token: { accountId?: string }) =>
      token.accountId === undefined ? undefined : { upn: `${token.accountId}@contoso.com`, unique_name: `CONTOSO\\${token.accountId}` },
    ttl: {
      AccessToken: ttl,
      IdToken: 3600,
      AuthorizationCode: 300,
      RefreshToken: 8 * 3600,
      Grant: 8 * 3600,
      Session: 8 * 3600,
      Interaction: 3600,
    },
    cookies: { keys: ['mimcm-test-cookie-key'] },
  });
  const registered = new Set<string>();
  const client = provider.Client.prototype;
  const matches: (this: unknown, uri: string) => boolean = Reflect.get(client, 'redirectUriAllowed');
  client.redirectUriAllowed = function (this: unknown, uri: string) {
    return registered.has(uri) || matches.call(this, uri);
  };
  const grants: string[] = [];
  provider.on('grant.success', (ctx: unknown) => {
    const body = (ctx as { oidc?: { params?: { grant_type?: string } } }).oidc?.params?.grant_type;
    grants.push(body ?? 'unknown');
  });
  const handle = provider.callback();
  server.on('request', (req, res) => {
    const url = req.url ?? '/';
    if (url !== PREFIX && !url.startsWith(`${PREFIX}/`)) {
      res.writeHead(404).end();
      return;
    }
    // Mounted under /adfs like a real ADFS: the provider routes on the rest of the path.
    (req as { originalUrl?: string }).originalUrl = url;
    req.url = url.slice(PREFIX.length) || '/';
    handle(req, res);
  });
  return {
    issuer,
    jwksUri: `${issuer}/discovery/keys`,
    clientId: ADFS_CLIENT_ID,
    grants,
    allowRedirect: (uri) => registered.add(uri),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * What a user does in the browser on the provider's pages: follows redirects, signs in with `login` (any
 * password), and confirms consent, until the provider redirects to an address outside itself (the loopback
 * redirect), which is then called like a browser would. Cookies are kept between pages as a browser would.
 */
export async function signInAsBrowser(authorizeUrl: string, login: string): Promise<number> {
  const cookies = new Map<string, string>();
  let url = authorizeUrl;
  let form: URLSearchParams | undefined;
  const issuerOrigin = new URL(authorizeUrl).origin;
  for (let step = 0; step < 12; step++) {
    if (new URL(url).origin !== issuerOrigin) {
      return (await fetch(url)).status;
    }
    const response = await fetch(url, {
      method: form === undefined ? 'GET' : 'POST',
      body: form?.toString(),
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = response.headers.get('location');
    if (location !== null) {
      url = new URL(location, url).href;
      form = undefined;
      continue;
    }
    const page = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (action === undefined) {
      throw new Error(`the provider showed a page without a form (HTTP ${response.status}): ${page.slice(0, 300)}`);
    }
    form = new URLSearchParams();
    for (const [, name, value] of page.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) {
      form.set(name ?? '', value ?? '');
    }
    if (page.includes('name="login"')) {
      form.set('login', login);
      form.set('password', 'any password');
    }
    url = new URL(action.replace(/&amp;/g, '&'), url).href;
  }
  throw new Error('the sign-in did not come back after 12 pages');
}

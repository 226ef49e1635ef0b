import { createHash } from 'node:crypto';
import { jwtExpiry, tokenProblem, userNameProblem, type Credentials } from '../cm/auth';
import { defaultServicePrincipal, isServicePrincipal } from '../cm/negotiate/servicePrincipal';
import { CmClient } from '../cm/client';
import { CredentialGuard } from '../cm/credentialGuard';
import { configError, CmError } from '../cm/errors';
import { resolveEndpoint, type CmEndpoint } from '../cm/endpoint';
import type { CmLogger } from '../cm/logger';
import { proxyFor, proxyRoute, type ProxyChoice } from '../cm/proxy';
import type { ProxyRoute } from '../cm/dispatcher';
import { readCaFile, readClientCertificate, trustedCertificates } from '../cm/tlsOptions';
import type { ReceivedRequest } from '../cm/schemas';
import type { AdfsCredential, ProxyCredential, StoredCredential } from '../auth/storedCredentials';
import { matchesSettings } from '../auth/adfsFlow';
import { cleanServerText } from '../cm/serverText';
import type { ConnectionSettings } from '../settings/settings';
import * as l10n from '@vscode/l10n';

export type ConnectionState =
  | { readonly kind: 'unset' }
  | { readonly kind: 'invalid'; readonly error: CmError; readonly origin?: string; readonly proxyUrl?: string }
  | {
      readonly kind: 'ready';
      readonly client: CmClient;
      readonly settings: ConnectionSettings;
      readonly origin: string;
      readonly proxyUrl?: string;
      readonly tokenExpiry?: Date;
      /**
       * For an ADFS sign-in: who signed in where. A renewed token keeps it, so the data stays; any other
       * change of credentials reloads.
       */
      readonly signInIdentity?: string;
      /** The CA certificates trusted for this server (its TLS settings), which its directory is reached with too. */
      readonly ca?: readonly string[];
    };

/** Where stored credentials come from (SecretStorage in VS Code). */
export interface CredentialSource {
  get(origin: string): Promise<StoredCredential | undefined>;
  getProxy(proxyUrl: string): Promise<ProxyCredential | undefined>;
  getPassphrase(certificateFile: string): Promise<string | undefined>;
}

/**
 * What an apply changed: another server (its data must go), another way of reaching it (reload), or nothing
 * (the client and its open connections stay).
 */
export type ConnectionChange = 'server' | 'connection' | 'unchanged';

/** The credentials to send, with what an ADFS sign-in adds. */
interface SignIn {
  readonly credentials: Credentials;
  readonly tokenExpiry?: Date;
  readonly identity?: string;
}

/** Guards remembered for credentials no longer in use; a few, so switching back and forth stays protected. */
const MAX_REMEMBERED_GUARDS = 16;

function connectionKey(settings: ConnectionSettings): string {
  return JSON.stringify(settings);
}

/** Owns the CM client built from the current settings and credentials, closing the old one's connections on change. */
export class CmConnection {
  private current: ConnectionState = { kind: 'unset' };
  private applied: ConnectionSettings | undefined;
  private applying = 0;
  private building = 0;
  /**
   * One guard per (server, settings, credential), kept across client rebuilds: rebuilding the client for the
   * same rejected password must not make it sendable again. Keys are hashes; no secret is kept here.
   */
  private readonly guards = new Map<string, CredentialGuard>();

  constructor(
    private readonly logger: CmLogger,
    private readonly credentials: CredentialSource,
    /** Sent with every call; the engine sets VS Code's version here once it knows it. */
    public userAgent: string,
  ) {}

  get state(): ConnectionState {
    return this.current;
  }

  /** The configured server as users name it, for messages. */
  /** The server as users name it; while a sign-in is missing (or another setting is wrong), its host still. */
  get hostLabel(): string {
    if (this.current.kind === 'ready') {
      return this.current.client.hostLabel;
    }
    return this.current.kind === 'invalid' && this.current.origin !== undefined ? new URL(this.current.origin).host : l10n.t('no host');
  }

  /** The configured server's origin, when the host setting is valid (sign-in stores credentials under it). */
  get origin(): string | undefined {
    return this.current.kind === 'unset' ? undefined : this.current.origin;
  }

  /** The proxy the connection goes through (without credentials), if any. */
  get proxyUrl(): string | undefined {
    return this.current.kind === 'unset' ? undefined : this.current.proxyUrl;
  }

  /**
   * Applies new settings. The client is rebuilt (files and secrets read again) when a setting changed or
   * `rereadSecrets` says a stored secret did; otherwise the client and its open connections stay.
   */
  async apply(settings: ConnectionSettings, { rereadSecrets = false } = {}): Promise<ConnectionChange> {
    // While a rebuild is running, its settings may be older than these, so only an idle connection takes the shortcut.
    if (!rereadSecrets && this.building === 0 && this.applied !== undefined && connectionKey(this.applied) === connectionKey(settings)) {
      return 'unchanged';
    }
    const generation = ++this.applying;
    const before = this.serverKey();
    const previous = this.current;
    this.building++;
    let next: ConnectionState;
    try {
      next = await this.build(settings);
    } finally {
      this.building--;
    }
    if (generation !== this.applying) {
      // A newer apply began while this one read secrets (sign-in changes a setting, then stores the secret):
      // the newer one holds the newer settings, so this result must not replace it whenever it lands.
      if (next.kind === 'ready') {
        next.client.close().catch(() => undefined);
      }
      return 'connection';
    }
    const renewedOnly =
      previous.kind === 'ready' &&
      next.kind === 'ready' &&
      next.signInIdentity !== undefined &&
      previous.signInIdentity === next.signInIdentity &&
      connectionKey(previous.settings) === connectionKey(settings);
    this.closeClient();
    this.current = next;
    this.applied = settings;
    if (renewedOnly) {
      return 'unchanged';
    }
    return before !== this.serverKey() ? 'server' : 'connection';
  }

  /** Reads one request from whatever server is configured now (e.g. for a tab restored at startup). */
  async getRequest(requestId: string, signal: AbortSignal): Promise<ReceivedRequest | undefined> {
    return this.readyClient().getRequest(requestId, signal);
  }

  /** The client of the server configured now; throws the explained reason when there is none. */
  readyClient(): CmClient {
    const state = this.current;
    if (state.kind !== 'ready') {
      throw state.kind === 'unset'
        ? configError(l10n.t('No MIM CM host is configured (mimcm.host).'), l10n.t('Set mimcm.host to your CM server.'))
        : state.error;
    }
    return state.client;
  }

  /**
   * A user asked for something (Refresh, Open Request, Sign In): credentials the server rejected may be sent
   * once more. Timers never call this, so they never repeat a failed logon.
   */
  userAction(): void {
    if (this.current.kind === 'ready') {
      this.current.client.guard?.allowOneAttempt();
    }
  }

  /** The server's rejection of the current credentials, while nothing will send them again. */
  get credentialsRejected(): CmError | undefined {
    return this.current.kind === 'ready' ? this.current.client.guard?.rejected : undefined;
  }

  dispose(): void {
    this.closeClient();
  }

  private async build(settings: ConnectionSettings): Promise<ConnectionState> {
    if (settings.host === '') {
      this.logger.info('No CM host is configured (mimcm.host).');
      return { kind: 'unset' };
    }
    const resolved = resolveEndpoint(settings.host, settings.apiPath);
    if (!resolved.ok) {
      this.logger.warn(resolved.error.describe());
      return { kind: 'invalid', error: resolved.error };
    }
    const { endpoint } = resolved;
    const caFile = settings.caFile === '' ? undefined : readCaFile(settings.caFile);
    if (caFile instanceof CmError) {
      this.logger.warn(caFile.describe());
      return { kind: 'invalid', error: caFile, origin: endpoint.origin };
    }
    const clientCertificate =
      settings.clientCertificate === ''
        ? undefined
        : readClientCertificate(settings.clientCertificate, await this.credentials.getPassphrase(settings.clientCertificate));
    if (clientCertificate instanceof CmError) {
      this.logger.warn(clientCertificate.describe());
      return { kind: 'invalid', error: clientCertificate, origin: endpoint.origin };
    }
    const proxyChoice = proxyFor(new URL(endpoint.origin), settings.proxy);
    if (proxyChoice instanceof CmError) {
      this.logger.warn(proxyChoice.describe());
      return { kind: 'invalid', error: proxyChoice, origin: endpoint.origin };
    }
    const proxyUrl = proxyChoice?.url;
    const proxy = proxyChoice === undefined ? undefined : await this.proxyWithCredentials(proxyChoice);
    const signIn = await this.credentialsFor(settings, endpoint);
    if (signIn instanceof CmError) {
      this.logger.warn(signIn.describe());
      return { kind: 'invalid', error: signIn, origin: endpoint.origin, proxyUrl };
    }
    const { credentials } = signIn;
    const trust = trustedCertificates(caFile);
    const client = new CmClient({
      endpoint,
      targetUser: settings.targetUser,
      timeoutSeconds: settings.requestTimeoutSeconds,
      logger: this.logger,
      userAgent: this.userAgent,
      credentials,
      ca: trust.ca,
      clientCertificate,
      proxy,
      maxResponseBytes: settings.maxResponseMegabytes * 1024 * 1024,
      guard: this.guardFor([endpoint.origin, endpoint.apiPath, settings.targetUser, credentials, proxy ?? null]),
    });
    // Not user text: part of a log line.
    const trusting = endpoint.origin.startsWith('https:') ? `, trusting ${trust.sources.join(' + ')}` : '';
    this.logger.info(
      `Using CM API ${endpoint.origin}${endpoint.apiPath} (authentication: ${describeMethod(credentials)}${proxy === undefined ? '' : `, via proxy ${proxy.url}`}${trusting}, targetuser: ${settings.targetUser}, timeout ${settings.requestTimeoutSeconds} s).`,
    );
    const tokenExpiry = signIn.tokenExpiry ?? (credentials.method === 'bearer' ? jwtExpiry(credentials.token) : undefined);
    return {
      kind: 'ready',
      client,
      settings,
      origin: endpoint.origin,
      proxyUrl,
      tokenExpiry,
      signInIdentity: signIn.identity,
      ca: trust.ca,
    };
  }

  /** The guard for this exact credential and connection; a change of either gets a fresh one. */
  private guardFor(identity: unknown[]): CredentialGuard {
    const key = createHash('sha256').update(JSON.stringify(identity)).digest('hex');
    let guard = this.guards.get(key);
    if (guard === undefined) {
      guard = new CredentialGuard();
    }
    // Most recently used last, so the oldest is forgotten first.
    this.guards.delete(key);
    this.guards.set(key, guard);
    for (const oldest of this.guards.keys()) {
      if (this.guards.size <= MAX_REMEMBERED_GUARDS) {
        break;
      }
      this.guards.delete(oldest);
    }
    return guard;
  }

  /** A proxy sign-in stored in SecretStorage wins over user:password in the proxy URL. */
  private async proxyWithCredentials(choice: ProxyChoice): Promise<ProxyRoute> {
    return proxyRoute(choice, await this.credentials.getProxy(choice.url));
  }

  private async credentialsFor(settings: ConnectionSettings, endpoint: CmEndpoint): Promise<SignIn | CmError> {
    const configured = settings.authentication;
    if (configured === 'none') {
      return { credentials: { method: configured } };
    }
    const servicePrincipal = settings.kerberosServicePrincipal || defaultServicePrincipal(endpoint.origin);
    if (
      (configured === 'negotiate' || configured === 'auto') &&
      settings.kerberosServicePrincipal !== '' &&
      !isServicePrincipal(servicePrincipal)
    ) {
      return configError(
        l10n.t`mimcm.kerberos.servicePrincipal "${cleanServerText(servicePrincipal, 80)}" is not a service name.`,
        l10n.t('Use HTTP/cm.contoso.com (the SPN, as Windows names it) or HTTP@cm.contoso.com (as GSSAPI names it), or leave it empty.'),
      );
    }
    if (configured === 'negotiate') {
      return { credentials: { method: configured, servicePrincipal } };
    }
    const stored = await this.credentials.get(endpoint.origin);
    let method: StoredCredential['method'];
    if (configured === 'auto') {
      if (stored === undefined) {
        return { credentials: { method: 'auto', servicePrincipal } };
      }
      // `auto` with a kept sign-in uses it, whatever method it was made with.
      method = stored.method;
    } else {
      method = configured;
    }
    const host = new URL(endpoint.origin).host;
    const storedProblem =
      stored === undefined || stored.method !== method
        ? undefined
        : stored.method === 'bearer'
          ? tokenProblem(stored.token)
          : stored.method === 'adfs'
            ? tokenProblem(stored.accessToken)
            : userNameProblem(stored.username, stored.method);
    if (storedProblem !== undefined) {
      return new CmError({
        kind: 'auth',
        message: l10n.t`The stored sign-in for ${host} cannot be used: ${storedProblem}`,
        hint: l10n.t('Run "MIM CM: Sign In" to enter it again.'),
        action: 'signIn',
      });
    }
    if (stored === undefined || stored.method !== method) {
      return new CmError({
        kind: 'auth',
        message: l10n.t`Not signed in to ${host} (mimcm.authentication is ${method}).`,
        hint: l10n.t('Run "MIM CM: Sign In" to enter your credentials; they are kept in VS Code\'s secret storage.'),
        action: 'signIn',
      });
    }
    if (stored.method === 'adfs') {
      return this.adfsSignIn(stored, settings, endpoint.origin);
    }
    if (stored.method === 'bearer') {
      const expiry = jwtExpiry(stored.token);
      if (expiry !== undefined && expiry.getTime() <= Date.now()) {
        return new CmError({
          kind: 'auth',
          message: l10n.t`Your access token for ${host} expired at ${expiry.toLocaleString()}.`,
          hint: l10n.t('Get a new token from ADFS and run "MIM CM: Sign In".'),
          action: 'signIn',
        });
      }
    }
    return { credentials: stored };
  }

  /** An ADFS sign-in goes out as its access token, only for the settings it was made with and until it lapses. */
  private adfsSignIn(stored: AdfsCredential, settings: ConnectionSettings, origin: string): SignIn | CmError {
    const host = new URL(origin).host;
    if (!matchesSettings(stored, settings.adfs, origin)) {
      return new CmError({
        kind: 'auth',
        message: l10n.t`Your ADFS sign-in for ${host} was made with other ADFS settings (authority, client id or resource).`,
        hint: l10n.t('Run "MIM CM: Sign In" to sign in with the current settings.'),
        action: 'signIn',
      });
    }
    if (stored.expiresAt !== undefined && stored.expiresAt <= Date.now()) {
      return new CmError({
        kind: 'auth',
        message: l10n.t`Your ADFS sign-in for ${host} expired at ${new Date(stored.expiresAt).toLocaleString()}${stored.refreshToken === undefined ? '' : l10n.t(' and could not be renewed')}.`,
        hint: l10n.t('Run "MIM CM: Sign In" to sign in again.'),
        action: 'signIn',
      });
    }
    return {
      credentials: { method: 'bearer', token: stored.accessToken },
      // With a refresh token the host renews before expiry; without one the user is warned like for a pasted token.
      tokenExpiry: stored.refreshToken === undefined && stored.expiresAt !== undefined ? new Date(stored.expiresAt) : undefined,
      identity: JSON.stringify([stored.authority, stored.clientId, stored.resource, stored.user ?? '']),
    };
  }

  private serverKey(): string | undefined {
    return this.current.kind === 'ready' ? `${this.current.settings.host}|${this.current.settings.apiPath}` : undefined;
  }

  private closeClient(): void {
    if (this.current.kind === 'ready') {
      this.current.client.close().catch((error: unknown) => this.logger.debug(`Closing the old CM connection pool: ${String(error)}`));
    }
  }
}

function describeMethod(credentials: Credentials): string {
  switch (credentials.method) {
    case 'basic':
    case 'ntlm':
      // Not user text: part of a log line.
      return l10n.t`${credentials.method} as ${credentials.username}`;
    case 'negotiate':
      return l10n.t`negotiate for ${credentials.servicePrincipal}`;
    case 'auto':
      // Not user text: part of a log line.
      return `auto: none, then negotiate for ${credentials.servicePrincipal} if the server offers it`;
    default:
      return credentials.method;
  }
}

// One CM server's way to its directory, as its engine sees it: which directory and which sign-in the settings
// and the CM connection allow right now, and the names found there. Re-decided after every configure and load,
// since a password becomes usable only once the CM server accepted it, and `auto` chooses Negotiate only then.
import { createHash } from 'node:crypto';
import type { CmLogger } from '../cm/logger';
import { loadKerberos } from '../cm/negotiate/gssapiContext';
import { loadSspi, sspiContext } from '../cm/negotiate/sspiContext';
import { dnsDomainOf, dnsSrvLookup } from '../directory/directoryAddress';
import type { DirectoryEntry, Lookup } from '../directory/directoryEntry';
import { DirectoryNames, type DirectoryState } from '../directory/directoryNames';
import { DirectorySession, type DirectoryAccess, type DirectoryDeps } from '../directory/directorySession';
import { bindGssapi, bindSpnego } from '../directory/ldap/saslBind';
import type { ConnectionState } from './connection';
import type { EngineConfig } from './protocol';

/** A directory is a LAN service: it answers in well under this, or something is wrong. */
const MAX_DIRECTORY_TIMEOUT_MS = 15_000;

/** The user's own sign-in to the directory: SSPI's Negotiate on Windows (GSS-SPNEGO), GSSAPI elsewhere. */
function platformKerberosBind(): DirectoryDeps['kerberosBind'] {
  return process.platform === 'win32'
    ? (connection, host) => bindSpnego(connection, sspiContext(`ldap/${host}`, loadSspi(), 'ldapOverTls'))
    : (connection, host) => bindGssapi(connection, loadKerberos(), host);
}

export class ServerDirectory {
  readonly names: DirectoryNames;
  /** A hash of what the current session was made for; no secret is kept in it. */
  private made = '';
  /** Which directory that is (setting and CM origin), to know whether its names still hold. */
  private directory = '';

  constructor(
    private readonly logger: CmLogger,
    tell: (state: DirectoryState) => void,
    private readonly deps: Partial<DirectoryDeps> = {},
  ) {
    this.names = new DirectoryNames(tell, logger);
  }

  /**
   * The directory the settings and the CM sign-in allow now; the session is replaced only when that changed.
   * Says whether it was.
   */
  update(config: EngineConfig | undefined, connection: ConnectionState): boolean {
    const access = directoryAccess(config, connection);
    const made = access === undefined ? '' : createHash('sha256').update(JSON.stringify(access)).digest('hex');
    if (made === this.made) {
      return false;
    }
    this.made = made;
    const directory = access === undefined ? '' : JSON.stringify([access.settings.url, access.cmOrigin]);
    const sameDirectory = access !== undefined && directory === this.directory;
    this.directory = directory;
    this.logger.info(
      access === undefined
        ? 'Names: no directory for this server.'
        : `Names: directory ${access.settings.url || '(found through DNS)'}, ${access.password !== undefined ? 'the accepted password' : access.kerberos ? 'Kerberos' : 'anonymous'}, ${access.ca === undefined ? "Node's CAs" : `${access.ca.length} trusted CA certificates`}. ${JSON.stringify({ ...access, password: access.password?.username, ca: access.ca?.length })}`,
    );
    this.names.use(
      access === undefined
        ? undefined
        : new DirectorySession(access, {
            lookupSrv: this.deps.lookupSrv ?? dnsSrvLookup(access.timeoutMs),
            kerberosBind: this.deps.kerberosBind ?? platformKerberosBind(),
            logger: this.deps.logger ?? this.logger,
          }),
      sameDirectory,
    );
    return true;
  }

  /** After a load: names of the loaded requests' users are asked for, the most frequent first. */
  loaded(users: readonly string[]): void {
    this.names.loaded();
    this.names.want(users);
  }

  entry(key: string | null | undefined): DirectoryEntry | undefined {
    return typeof key === 'string' ? this.names.entry(key) : undefined;
  }

  lookup(key: string | null | undefined): Lookup | undefined {
    return typeof key === 'string' ? this.names.lookup(key) : undefined;
  }

  /** Asks for these names and waits for them, at most `timeoutMs` (a tooltip or document may wait a little). */
  async ensure(keys: readonly string[], timeoutMs: number): Promise<void> {
    this.names.want(keys);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.names.settled(), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  dispose(): void {
    this.names.dispose();
  }
}

/** What the directory may be reached with; undefined when names are off or nothing can be asked. */
export function directoryAccess(config: EngineConfig | undefined, connection: ConnectionState): DirectoryAccess | undefined {
  const settings = config?.directory;
  if (settings === undefined || connection.kind !== 'ready' || settings.url.toLowerCase() === 'off') {
    return undefined;
  }
  // Without a setting, the directory is found from the CM host's DNS domain; an address or a single name has none.
  if (settings.url === '' && dnsDomainOf(connection.origin) === undefined) {
    return undefined;
  }
  const stored = config?.secrets.credential;
  const method = connection.settings.authentication;
  const passwordMethod = stored?.method === 'basic' || stored?.method === 'ntlm';
  const usable = passwordMethod && (method === stored.method || method === 'auto') && connection.client.guard?.accepted === true;
  return {
    settings,
    cmOrigin: connection.origin,
    password: usable && passwordMethod ? { username: stored.username, password: stored.password } : undefined,
    kerberos: connection.client.usesNegotiate,
    ca: connection.ca,
    timeoutMs: Math.min(connection.settings.requestTimeoutSeconds * 1000, MAX_DIRECTORY_TIMEOUT_MS),
  };
}

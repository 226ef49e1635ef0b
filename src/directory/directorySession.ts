// A CM server's directory, as one connection used for a while: found (setting or DNS), reached over TLS, bound
// with what the admin already has (their Kerberos sign-in, or the password the CM server accepted), then asked
// only to read. Everything that fails is explained in words an admin acts on.
import { CredentialGuard } from '../cm/credentialGuard';
import { CmError } from '../cm/errors';
import type { CmLogger } from '../cm/logger';
import { cleanServerText } from '../cm/serverText';
import { bytesToGuid, bytesToSid, guidToBytes, sidToBytes } from './adIdentifiers';
import { directoryTarget, mayReceivePassword, type DirectorySettings, type DirectoryTarget, type SrvLookup } from './directoryAddress';
import { directoryText, type DirectoryEntry, type EntryKind, type Lookup } from './directoryEntry';
import { LdapConnection, LdapResultError, LdapTransportError, type LdapAddress } from './ldap/ldapConnection';
import { describeFilter, RESULT, type Filter } from './ldap/messages';
import * as l10n from '@vscode/l10n';

/** What the engine hands the directory for one CM server. */
export interface DirectoryAccess {
  readonly settings: DirectorySettings;
  readonly cmOrigin: string;
  /** The kept Basic or NTLM sign-in, once the CM server accepted it: for a simple bind. */
  readonly password?: { readonly username: string; readonly password: string };
  /** Whether to bind with the user's own Kerberos sign-in (no secret leaves the machine but a ticket). */
  readonly kerberos: boolean;
  /** Trusted CA certificates (PEM) for the directory's TLS; undefined for Node's own. */
  readonly ca?: readonly string[];
  readonly timeoutMs: number;
}

export interface DirectoryDeps {
  readonly lookupSrv: SrvLookup;
  /** The platform's SASL bind with the user's own sign-in, for the directory host (its DNS name). */
  readonly kerberosBind: (connection: LdapConnection, host: string) => Promise<void>;
  readonly logger: CmLogger;
}

/** What a bounded directory answer may hold. */
const MAX_MESSAGE_BYTES = 1024 * 1024;
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
/** A connection nobody used for this long is closed (the next lookup opens another). */
const IDLE_MS = 60_000;

const ATTRIBUTES = ['objectGUID', 'objectSid', 'objectClass', 'displayName', 'cn', 'sAMAccountName', 'userPrincipalName'];

interface Open {
  readonly connection: LdapConnection;
  readonly base: string;
  readonly netbios: string | undefined;
  /** How it was bound, for the log and the warning. */
  readonly bind: 'password' | 'kerberos' | 'anonymous';
}

export class DirectorySession {
  private opening: Promise<Open> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly abort = new AbortController();
  /** Keeps a password the directory refused from being sent again, except once per user action. */
  readonly guard = new CredentialGuard();
  private refusedPasswordLogged = false;

  constructor(
    private readonly access: DirectoryAccess,
    private readonly deps: DirectoryDeps,
  ) {}

  /** The entries of these GUIDs (objectGUID); a GUID the directory does not have maps to null. */
  lookupGuids(guids: readonly string[]): Promise<Map<string, Lookup>> {
    const wanted = guids.flatMap((guid) => {
      const bytes = guidToBytes(guid);
      return bytes === undefined ? [] : [{ key: guid, bytes }];
    });
    return this.lookup(wanted, 'objectGUID', (entry) => entry.guid);
  }

  /** The entries of these SIDs (objectSid); a SID the directory does not have maps to null. */
  lookupSids(sids: readonly string[]): Promise<Map<string, Lookup>> {
    const wanted = sids.flatMap((sid) => {
      const bytes = sidToBytes(sid);
      return bytes === undefined ? [] : [{ key: sid, bytes }];
    });
    return this.lookup(wanted, 'objectSid', (entry) => entry.sid);
  }

  /** People whose account, UPN or name matches what the user typed (at most `limit`), with their GUIDs. */
  async findPeople(text: string, limit = 20): Promise<{ guid: string; entry: DirectoryEntry }[]> {
    const typed = text.trim();
    if (typed === '') {
      return [];
    }
    const account = typed.includes('\\') ? typed.slice(typed.lastIndexOf('\\') + 1) : typed;
    const filter: Filter = {
      and: [
        { equals: 'objectCategory', value: 'person' },
        {
          or: [
            { equals: 'sAMAccountName', value: account },
            { equals: 'userPrincipalName', value: typed },
            { equals: 'mail', value: typed },
            { substrings: 'displayName', any: [typed] },
            { substrings: 'cn', any: [typed] },
          ],
        },
      ],
    };
    const found = await this.search(filter, limit);
    return found.flatMap((entry) => (entry.guid === undefined ? [] : [{ guid: entry.guid, entry: entry.entry }]));
  }

  /** A user asked for something: a password the directory refused may be tried once more. */
  userAction(): void {
    this.guard.allowOneAttempt();
  }

  close(): void {
    clearTimeout(this.idleTimer);
    this.abort.abort();
    const opening = this.opening;
    this.opening = undefined;
    void opening?.then((open) => open.connection.close()).catch(() => undefined);
  }

  private async lookup(
    wanted: readonly { key: string; bytes: Buffer }[],
    attribute: 'objectGUID' | 'objectSid',
    keyOf: (entry: ReadEntry) => string | undefined,
  ): Promise<Map<string, Lookup>> {
    const answers = new Map<string, Lookup>();
    if (wanted.length === 0) {
      return answers;
    }
    const filter: Filter = { or: wanted.map(({ bytes }) => ({ equals: attribute, value: bytes })) };
    const found = await this.search(filter, wanted.length);
    for (const entry of found) {
      const key = keyOf(entry);
      if (key !== undefined) {
        answers.set(key, entry.entry);
      }
    }
    for (const { key } of wanted) {
      if (!answers.has(key)) {
        answers.set(key, null);
      }
    }
    return answers;
  }

  private async search(filter: Filter, sizeLimit: number): Promise<ReadEntry[]> {
    const open = await this.open();
    this.deps.logger.debug(`Directory search ${describeFilter(filter).slice(0, 400)}`);
    try {
      const result = await open.connection.search(
        { base: open.base, scope: 'sub', filter, attributes: ATTRIBUTES, sizeLimit, timeLimit: Math.ceil(this.access.timeoutMs / 1000) },
        { maxEntries: sizeLimit, maxBytes: MAX_ANSWER_BYTES },
      );
      this.keepAlive();
      return result.entries.map((entry) => readEntry(entry.attributes, open.netbios));
    } catch (error) {
      // A connection that failed is not used again.
      this.dropConnection();
      throw this.explain(error, 'search');
    }
  }

  private keepAlive(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.dropConnection(), IDLE_MS);
    this.idleTimer.unref?.();
  }

  private dropConnection(): void {
    clearTimeout(this.idleTimer);
    const opening = this.opening;
    this.opening = undefined;
    void opening?.then((open) => open.connection.close()).catch(() => undefined);
  }

  private open(): Promise<Open> {
    this.opening ??= this.connect().catch((error: unknown) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  private async connect(): Promise<Open> {
    const { settings, cmOrigin } = this.access;
    let target: DirectoryTarget;
    try {
      target = await directoryTarget(settings, cmOrigin, this.deps.lookupSrv);
    } catch (error) {
      throw this.explain(error, 'discover');
    }
    if (target.kind !== 'address') {
      throw this.unusableTarget(target);
    }
    const { address } = target;
    let connection: LdapConnection;
    try {
      connection = await LdapConnection.open({
        address,
        timeoutMs: this.access.timeoutMs,
        ca: this.access.ca,
        maxMessageBytes: MAX_MESSAGE_BYTES,
        // A directory on this machine that is asked nothing secret (the simulator's stand-in) may skip TLS.
        allowPlain: isLoopback(address.host) && this.access.password === undefined && !this.access.kerberos,
        signal: this.abort.signal,
      });
    } catch (error) {
      throw this.explain(error, 'connect', address);
    }
    try {
      const root = await connection.search(
        {
          base: '',
          scope: 'base',
          filter: { present: 'objectClass' },
          attributes: ['defaultNamingContext', 'configurationNamingContext', 'dnsHostName'],
          sizeLimit: 1,
          timeLimit: 10,
        },
        { maxEntries: 1, maxBytes: MAX_MESSAGE_BYTES },
      );
      const rootDse = root.entries[0]?.attributes;
      const base = text(rootDse?.get('defaultnamingcontext'));
      if (base === undefined) {
        throw new LdapTransportError('the directory names no default naming context', 'protocol');
      }
      // Kerberos wants the controller's own name: the RootDSE's when the address is an IP or an alias.
      const host = text(rootDse?.get('dnshostname')) ?? address.host;
      const bind = await this.bind(connection, target, host);
      const netbios = await this.netbiosName(connection, base, text(rootDse?.get('configurationnamingcontext')));
      this.deps.logger.info(
        `Directory ${address.secure ? 'ldaps' : 'ldap'}://${address.host}:${address.port} (${target.discovered ? 'found through DNS' : 'set'}), bound ${bind}, base ${cleanServerText(base, 120)}.`,
      );
      this.keepAlive();
      return { connection, base, netbios, bind };
    } catch (error) {
      connection.close();
      throw error instanceof CmError ? error : this.explain(error, 'bind', address);
    }
  }

  /** Kerberos, else the accepted password (guarded, and only where it may go), else anonymous. */
  private async bind(connection: LdapConnection, target: DirectoryTarget & { kind: 'address' }, host: string): Promise<Open['bind']> {
    const { password, kerberos, settings, cmOrigin } = this.access;
    if (password !== undefined) {
      if (mayReceivePassword(target, settings, cmOrigin)) {
        await this.guard.run(async (report) => {
          try {
            await connection.bindSimple(password.username, password.password);
            report({ accepted: true });
          } catch (error) {
            const explained = this.explain(error, 'bind', target.address);
            if (error instanceof LdapResultError && error.result.resultCode === RESULT.INVALID_CREDENTIALS) {
              report({ accepted: false, rejection: explained });
            }
            throw explained;
          }
        });
        return 'password';
      }
      if (!this.refusedPasswordLogged) {
        this.refusedPasswordLogged = true;
        this.deps.logger.warn(
          `Not sending the password to the directory ${target.address.host}: it is not in the CM host's DNS domain and was not set in your user settings (mimcm.directory.url).`,
        );
      }
    }
    if (kerberos) {
      try {
        await this.deps.kerberosBind(connection, host);
        return 'kerberos';
      } catch (error) {
        throw this.explain(error, 'kerberos', target.address);
      }
    }
    return 'anonymous';
  }

  /** The domain's NetBIOS name (CONTOSO) for DOMAIN\account, from the partitions' crossRef; optional. */
  private async netbiosName(connection: LdapConnection, base: string, configuration: string | undefined): Promise<string | undefined> {
    if (configuration === undefined) {
      return undefined;
    }
    try {
      const found = await connection.search(
        {
          base: `CN=Partitions,${configuration}`,
          scope: 'one',
          filter: {
            and: [
              { equals: 'objectClass', value: 'crossRef' },
              { equals: 'nCName', value: base },
            ],
          },
          attributes: ['nETBIOSName'],
          sizeLimit: 1,
          timeLimit: 10,
        },
        { maxEntries: 1, maxBytes: MAX_MESSAGE_BYTES },
      );
      return directoryText(text(found.entries[0]?.attributes.get('netbiosname')));
    } catch {
      return undefined;
    }
  }

  private unusableTarget(target: Exclude<DirectoryTarget, { kind: 'address' }>): CmError {
    switch (target.kind) {
      case 'invalid':
        return new CmError({
          kind: 'config',
          message: l10n.t`mimcm.directory.url "${cleanServerText(target.url, 80)}" is not a directory address.`,
          hint: l10n.t('Use ldaps://dc01.contoso.com, or ldap://dc01.contoso.com for StartTLS; "off" turns names off.'),
          action: 'openSettings',
        });
      case 'unknown':
        return new CmError({
          kind: 'config',
          message: l10n.t(
            'No directory is known for this CM server: its host is not a DNS name in a domain, or the domain advertises no domain controller (_ldap._tcp).',
          ),
          hint: l10n.t('Set mimcm.directory.url to your domain controller (ldaps://dc01.contoso.com), or to "off".'),
          action: 'openSettings',
        });
      case 'off':
        return new CmError({
          kind: 'config',
          message: l10n.t('Names are off (mimcm.directory.url is "off").'),
          hint: '',
          action: 'openSettings',
        });
    }
  }

  /** A failure of the directory, in words; never a raw error. */
  private explain(error: unknown, step: 'discover' | 'connect' | 'bind' | 'kerberos' | 'search', address?: LdapAddress): CmError {
    if (error instanceof CmError) {
      return error;
    }
    const where =
      address === undefined ? this.access.settings.url || new URL(this.access.cmOrigin).hostname : `${address.host}:${address.port}`;
    const detail = cleanServerText(error instanceof Error ? error.message : String(error), 200);
    this.deps.logger.warn(`Directory ${step} failed (${where}): ${detail}`);
    if (step === 'discover') {
      return new CmError({
        kind: 'dns',
        message: l10n.t`The domain controllers of the CM host's domain could not be found in DNS (${detail}).`,
        hint: l10n.t('Set mimcm.directory.url to your domain controller (ldaps://dc01.contoso.com).'),
        action: 'openSettings',
        cause: error,
      });
    }
    if (error instanceof LdapTransportError) {
      switch (error.reason) {
        case 'timeout':
          return new CmError({
            kind: 'timeout',
            message: l10n.t`The directory ${where} did not answer in time: ${detail}.`,
            hint: l10n.t('Names show again once it answers (Refresh); check mimcm.directory.url and the network.'),
            action: 'openSettings',
            cause: error,
          });
        case 'tls':
          return new CmError({
            kind: 'tls',
            message: l10n.t`The directory ${where} could not be reached securely: ${detail}.`,
            hint: l10n.t(
              "Names need LDAPS or StartTLS; set mimcm.tls.caFile to your organisation's CA if the directory's certificate is not trusted.",
            ),
            action: 'openSettings',
            cause: error,
          });
        case 'connect':
        case 'closed':
          return new CmError({
            kind: 'connectionRefused',
            message: l10n.t`The directory ${where} cannot be reached: ${detail}.`,
            hint: l10n.t('Check mimcm.directory.url and the network; names show again once it answers (Refresh).'),
            action: 'openSettings',
            cause: error,
          });
        default:
          return new CmError({
            kind: 'network',
            message: l10n.t`The directory ${where} answered something that is not LDAP: ${detail}.`,
            hint: l10n.t('Check that mimcm.directory.url names a domain controller.'),
            action: 'openSettings',
            cause: error,
          });
      }
    }
    if (error instanceof LdapResultError) {
      const said = cleanServerText(error.result.diagnosticMessage, 160);
      if (step === 'bind' && error.result.resultCode === RESULT.INVALID_CREDENTIALS) {
        return new CmError({
          kind: 'auth',
          message: l10n.t`The directory ${where} refused your sign-in (${said}). It is not sent again, so that your account is not locked out.`,
          hint: l10n.t('Run "MIM CM: Sign In" again or Refresh to try once more; names show without the directory meanwhile.'),
          action: 'signIn',
          cause: error,
        });
      }
      if (error.result.resultCode === RESULT.OPERATIONS_ERROR || error.result.resultCode === RESULT.INSUFFICIENT_ACCESS) {
        return new CmError({
          kind: 'forbidden',
          message: l10n.t`The directory ${where} did not let this sign-in read names (${said}).`,
          hint: l10n.t('An anonymous search is refused by Active Directory: sign in with negotiate, or with ntlm or basic.'),
          action: 'openSettings',
          cause: error,
        });
      }
      return new CmError({
        kind: 'server',
        message: l10n.t`The directory ${where} refused (LDAP result ${error.result.resultCode}: ${said}).`,
        hint: l10n.t('The log has details; check mimcm.directory.url.'),
        action: 'showLog',
        cause: error,
      });
    }
    if (step === 'kerberos') {
      return new CmError({
        kind: 'auth',
        message: l10n.t`Your Kerberos sign-in was not accepted by the directory ${where}: ${detail}.`,
        hint: l10n.t('Sign in to the domain (Windows) or run kinit (Linux); names show again after a Refresh.'),
        action: 'retry',
        cause: error,
      });
    }
    return new CmError({
      kind: 'network',
      message: l10n.t`The directory ${where} failed: ${detail}.`,
      hint: l10n.t('The log has details.'),
      action: 'showLog',
      cause: error,
    });
  }
}

interface ReadEntry {
  readonly guid?: string;
  readonly sid?: string;
  readonly entry: DirectoryEntry;
}

function text(values: readonly Buffer[] | undefined): string | undefined {
  const first = values?.[0];
  return first === undefined ? undefined : first.toString('utf8');
}

function readEntry(attributes: ReadonlyMap<string, readonly Buffer[]>, netbios: string | undefined): ReadEntry {
  const classes = (attributes.get('objectclass') ?? []).map((value) => value.toString('utf8').toLowerCase());
  const kind: EntryKind = classes.includes('computer')
    ? 'computer'
    : classes.includes('group')
      ? 'group'
      : classes.includes('user') || classes.includes('person')
        ? 'user'
        : 'other';
  const sam = directoryText(text(attributes.get('samaccountname')));
  const guidBytes = attributes.get('objectguid')?.[0];
  const sidBytes = attributes.get('objectsid')?.[0];
  return {
    guid: guidBytes === undefined ? undefined : bytesToGuid(guidBytes),
    sid: sidBytes === undefined ? undefined : bytesToSid(sidBytes),
    entry: {
      kind,
      name: directoryText(text(attributes.get('displayname'))) ?? directoryText(text(attributes.get('cn'))),
      account: sam === undefined ? undefined : netbios === undefined ? sam : `${netbios}\\${sam}`,
      upn: directoryText(text(attributes.get('userprincipalname'))),
    },
  };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

// The extension host's view of one CM server: what its engine last said (connection, group counts, failure)
// and the little the tree needs to ask it for more (pages shown, filter). No `vscode`, no records.
import { CmError } from '../cm/errors';
import { AutoRefresh } from '../autoRefresh';
import type { EngineHandle } from '../engine/engineHandle';
import type {
  ConnectionInfo,
  EngineConfig,
  EngineEventMessage,
  EngineViewSettings,
  LoadSummary,
  Page,
  RequestRow,
} from '../engine/protocol';
import type { DirectoryEntry, Lookup } from '../directory/directoryEntry';
import type { DirectoryState } from '../directory/directoryNames';
import type { SettableStatus } from '../cm/routes';
import type { DashboardFigures } from '../model/dashboardFigures';
import type { DashboardRange } from '../model/dashboardScales';
import type { LinkedAddress } from '../model/linkedDocuments';
import type { ExportFormat } from '../model/requestExport';
import type { ServerConfig } from '../settings/settings';
import { signedInUser } from './serverSecrets';
import { renewAdfs, renewalDelay, type AdfsFlowDeps } from '../auth/adfsFlow';
import type { StoredCredential } from '../auth/storedCredentials';
import { MAX_TIMER_MS } from '../cm/auth';

export const PAGE_SIZE = 200;

/** What a session needs from the extension: secrets for a connection, and whether anyone is watching. */
export interface SessionHost {
  secretsFor(config: ServerConfig): Promise<EngineConfig['secrets']>;
  /** Keeps a renewed sign-in in secret storage (for the server's origin). */
  storeCredential(config: ServerConfig, credential: StoredCredential): Promise<void>;
  readonly userAgent: string;
  readonly locale: string;
  /** The window has focus and the view or its badge shows: auto-refresh may run. */
  isWatched(): boolean;
}

export class ServerSession {
  private configValue: ServerConfig;
  private infoValue: ConnectionInfo | undefined;
  private summaryValue: LoadSummary | undefined;
  private errorValue: CmError | undefined;
  private rejected = false;
  private userValue: string | undefined;
  private keptMethod: StoredCredential['method'] | undefined;
  private loads = 0;
  private loadedStatuses: string | undefined;
  /** Pages shown per group key. */
  private readonly pages = new Map<string, number>();
  private filterText = '';
  private viewValue: EngineViewSettings | undefined;
  private readonly listeners = new Set<() => void>();
  private renewalTimer: ReturnType<typeof setTimeout> | undefined;
  private directoryValue: DirectoryState = { state: 'off' };
  private namesListeners = new Set<() => void>();
  readonly autoRefresh: AutoRefresh;

  /** `filter`: the one all servers show, which the engine gets with its first load. */
  constructor(
    config: ServerConfig,
    private readonly engine: EngineHandle,
    private readonly host: SessionHost,
    filter = '',
  ) {
    this.configValue = config;
    this.filterText = filter;
    // A timer never sends credentials the server rejected: it waits for a sign-in, a Refresh or new settings.
    this.autoRefresh = new AutoRefresh({
      refresh: () => (this.loading || this.rejected ? Promise.resolve() : this.refresh()),
      isWatched: () => host.isWatched(),
    });
    engine.onUnexpectedExit = () => void this.restart();
    engine.onEvent = (event) => void this.engineSaid(event);
  }

  get id(): string {
    return this.configValue.id;
  }

  get config(): ServerConfig {
    return this.configValue;
  }

  /** The server as users name it: its `name`, or its host for the single-server form. */
  get name(): string {
    return this.configValue.name;
  }

  get info(): ConnectionInfo | undefined {
    return this.infoValue;
  }

  /**
   * How this server signs in, as `mimcm.authentication` names methods: for `auto`, the method of the sign-in it
   * keeps, else `auto` (nothing kept: Negotiate when the server offers it).
   */
  get method(): string {
    const configured = this.configValue.connection.authentication;
    return configured === 'auto' ? (this.keptMethod ?? 'auto') : configured;
  }

  /** Who the user is signed in as, when the method says (see signedInUser). */
  get user(): string | undefined {
    return this.userValue;
  }

  get hostLabel(): string {
    return this.infoValue?.hostLabel ?? this.configValue.name;
  }

  /** The last good load (kept, marked stale, when a later one fails); undefined before any. */
  get summary(): LoadSummary | undefined {
    return this.summaryValue;
  }

  /** Why the last load (or the connection) failed, while it is the latest word. */
  get error(): CmError | undefined {
    return this.errorValue;
  }

  get loading(): boolean {
    return this.loads > 0;
  }

  /** Whether a filter is set (the engine holds the matches). */
  get filtered(): boolean {
    return this.filterText.trim() !== '';
  }

  /** The filter text, as the user typed it ('' for none). */
  get filter(): string {
    return this.filterText;
  }

  get pendingCount(): number {
    return this.summaryValue?.statusCounts.Pending ?? 0;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Names arrived from the directory (documents redraw their hints). */
  onDidChangeNames(listener: () => void): { dispose(): void } {
    this.namesListeners.add(listener);
    return { dispose: () => this.namesListeners.delete(listener) };
  }

  /** Where names stand: off, being looked up, ready, or failed (explained). */
  get directory(): DirectoryState {
    return this.directoryValue;
  }

  /** What the directory says of these GUIDs and SIDs, as far as known; the rest arrive later (onDidChangeNames). */
  names(keys: readonly string[]): Promise<Readonly<Record<string, Lookup>>> {
    return keys.length === 0 ? Promise.resolve({}) : this.engine.call('names', { keys });
  }

  /** People matching a name, account or UPN, asked of this server's directory now. */
  findPeople(text: string): Promise<readonly { readonly guid: string; readonly entry: DirectoryEntry }[]> {
    return this.engine.call('findPeople', { text });
  }

  /**
   * Applies settings (and secrets, re-read when `rereadSecrets`), then loads when something that matters for
   * the data changed: the connection, or which statuses are asked for.
   */
  async reconnect(config: ServerConfig, { rereadSecrets, load = true }: { rereadSecrets: boolean; load?: boolean }): Promise<void> {
    this.configValue = config;
    let info: ConnectionInfo;
    try {
      const secrets = await this.renewIfDue(config, await this.host.secretsFor(config));
      this.scheduleRenewal(config, secrets.credential);
      this.userValue = signedInUser(config.connection.authentication, secrets.credential);
      this.keptMethod = secrets.credential?.method;
      info = await this.engine.call('configure', {
        connection: config.connection,
        secrets,
        userAgent: this.host.userAgent,
        locale: this.host.locale,
        rereadSecrets,
        directory: config.directory,
      });
    } catch (error) {
      this.errorValue = CmError.from(error);
      this.fire();
      return;
    }
    this.infoValue = info;
    if (info.change === 'server') {
      this.summaryValue = undefined;
      this.pages.clear();
    }
    if (!load) {
      this.fire();
      return;
    }
    if (info.change !== 'unchanged') {
      this.rejected = false;
    }
    if (info.change !== 'unchanged' || this.loadedStatuses !== config.statuses.join()) {
      await this.refresh();
      return;
    }
    this.fire();
  }

  /**
   * A new worker knows nothing of the last one: it gets the view's grouping and order before it loads (the
   * filter follows the load), and it is not loaded while a credential stands rejected, until a user acts.
   */
  private async restart(): Promise<void> {
    if (this.viewValue !== undefined) {
      try {
        await this.engine.call('view', this.viewValue);
      } catch (error) {
        this.errorValue = CmError.from(error);
      }
    }
    await this.reconnect(this.configValue, { rereadSecrets: false, load: !this.rejected });
  }

  /** Loads every configured status; the last good data stays when it fails. */
  async refresh(): Promise<void> {
    this.loads++;
    this.fire();
    try {
      const statuses = this.configValue.statuses;
      const outcome = await this.engine.call('load', { statuses });
      if (outcome.kind === 'loaded') {
        this.summaryValue = this.filtered
          ? ((await this.engine.call('filter', { text: this.filterText })) ?? outcome.summary)
          : outcome.summary;
        this.errorValue = undefined;
        this.rejected = false;
        this.loadedStatuses = statuses.join();
      } else if (outcome.kind === 'failed') {
        this.errorValue = new CmError(outcome.error);
        this.rejected = outcome.credentialsRejected;
        if (this.infoValue?.kind !== 'ready') {
          this.summaryValue = undefined;
        }
      } else if (this.infoValue?.kind === 'unset') {
        this.summaryValue = undefined;
        this.errorValue = undefined;
      }
    } catch (error) {
      this.errorValue = CmError.from(error);
    } finally {
      this.loads--;
      this.fire();
    }
  }

  /** A user asked for something (Refresh, Open Request, Sign In): rejected credentials may be tried once more. */
  async userAction(): Promise<void> {
    await this.engine.call('userAction', {});
    this.rejected = false;
  }

  async setFilter(text: string): Promise<void> {
    this.filterText = text;
    this.pages.clear();
    this.summaryValue = (await this.engine.call('filter', { text })) ?? this.summaryValue;
    this.fire();
  }

  /** Groups and orders the requests anew (no server call); the tree redraws. */
  async setView(view: EngineViewSettings): Promise<void> {
    const summary = await this.engine.call('view', view);
    if (summary !== undefined && (this.viewValue?.groupBy !== view.groupBy || this.viewValue.sortOrder !== view.sortOrder)) {
      this.pages.clear();
      this.summaryValue = summary;
      this.fire();
    }
    this.viewValue = view;
  }

  /** The rows the tree shows for a group: as many pages as the user loaded. */
  page(group: string): Promise<Page> {
    return this.engine.call('page', { group, limit: (this.pages.get(group) ?? 1) * PAGE_SIZE });
  }

  loadMore(group: string): void {
    this.pages.set(group, (this.pages.get(group) ?? 1) + 1);
    this.fire();
  }

  details(requestId: string, group: string): Promise<readonly (readonly [string, string])[] | undefined> {
    return this.engine.call('details', { requestId, group });
  }

  /** One request's JSON, fresh from the server; undefined when it has none. */
  fetchRequest(requestId: string): Promise<string | undefined> {
    return this.engine.call('fetch', { requestId });
  }

  /** A linked object's document, fresh from the server; undefined when it has none. */
  fetchDocument(address: LinkedAddress): Promise<string | undefined> {
    return this.engine.call('document', address);
  }

  /** "Why is this pending?" as Markdown, read fresh. */
  whyPending(requestId: string): Promise<string | undefined> {
    return this.engine.call('whyPending', { requestId });
  }

  /** The filter text that shows the requests sharing this one's profiles, smart cards or target user. */
  relatedFilter(requestId: string): Promise<string | undefined> {
    return this.engine.call('relatedFilter', { requestId });
  }

  /** The dashboard's figures from what is loaded (after the filter); undefined before a load. */
  dashboard(range: DashboardRange): Promise<DashboardFigures | undefined> {
    return this.engine.call('dashboard', { range, now: Date.now() });
  }

  /** A chunk of the export of what the view shows (see ServerEngine.exportChunk). */
  exportChunk(format: ExportFormat, from: number, limit: number): Promise<{ text: string; rows: number; total: number }> {
    return this.engine.call('exportChunk', { format, from, limit });
  }

  /** One request's row, read fresh (a watched request's poll). */
  pollRow(requestId: string): Promise<RequestRow | undefined> {
    return this.engine.call('pollRow', { requestId });
  }

  /** The server rejected the credentials, and nothing but a user action will send them again. */
  get credentialsRejected(): boolean {
    return this.rejected;
  }

  /** The connection settings are usable (a host is set and valid). */
  get connected(): boolean {
    return this.infoValue?.kind === 'ready';
  }

  /** Cancels or abandons one request (after the user confirmed); its JSON as the server now has it. */
  setStatus(requestId: string, status: SettableStatus): Promise<string | undefined> {
    return this.engine.call('setStatus', { requestId, status });
  }

  /** A template's name, from the last load. */
  templateName(id: string): string | undefined {
    const key = id.replace(/^\{|\}$/g, '').toLowerCase();
    return this.summaryValue?.templates.find(([templateId]) => templateId === key)?.[1];
  }

  /** The ADFS calls of a sign-in, made by this server's engine with its CA, client certificate and proxy. */
  async adfsCalls(): Promise<Pick<AdfsFlowDeps, 'endpoints' | 'token'>> {
    const connection = this.configValue.connection;
    const { proxy, passphrase } = await this.host.secretsFor(this.configValue);
    const secrets = { proxy, passphrase };
    return {
      endpoints: () => this.engine.call('adfsEndpoints', { connection, secrets }),
      token: (form) => this.engine.call('adfsToken', { connection, secrets, form }),
    };
  }

  /**
   * An ADFS sign-in about to lapse is renewed with its refresh token before it is used, and kept. When that
   * fails, the old one goes to the engine, which explains that it expired.
   */
  private async renewIfDue(config: ServerConfig, secrets: EngineConfig['secrets']): Promise<EngineConfig['secrets']> {
    const credential = secrets.credential;
    if (config.connection.authentication !== 'adfs' || credential?.method !== 'adfs' || renewalDelay(credential, Date.now()) !== 0) {
      return secrets;
    }
    const connection = config.connection;
    const oauthSecrets = { proxy: secrets.proxy, passphrase: secrets.passphrase };
    try {
      const renewed = await renewAdfs(credential, (form) => this.engine.call('adfsToken', { connection, secrets: oauthSecrets, form }));
      await this.host.storeCredential(config, renewed);
      return { ...secrets, credential: renewed };
    } catch (error) {
      this.errorValue = CmError.from(error);
      return secrets;
    }
  }

  /** Reconnects (renewing the ADFS tokens, keeping the data) shortly before an ADFS sign-in lapses. */
  private scheduleRenewal(config: ServerConfig, credential: StoredCredential | undefined): void {
    clearTimeout(this.renewalTimer);
    this.renewalTimer = undefined;
    const delay = config.connection.authentication === 'adfs' ? renewalDelay(credential, Date.now()) : undefined;
    if (delay === undefined || delay === 0) {
      return;
    }
    this.renewalTimer = setTimeout(
      () => void this.reconnect(this.configValue, { rereadSecrets: true, load: false }),
      Math.min(delay, MAX_TIMER_MS),
    );
    this.renewalTimer.unref?.();
  }

  dispose(): void {
    clearTimeout(this.renewalTimer);
    this.autoRefresh.dispose();
    this.engine.dispose();
    this.listeners.clear();
    this.namesListeners.clear();
  }

  /** The engine's news: names (group labels, rows and counts under a name filter change) or the directory's state. */
  private async engineSaid(event: EngineEventMessage): Promise<void> {
    this.directoryValue = event.state;
    if (this.summaryValue !== undefined) {
      try {
        this.summaryValue = (await this.engine.call('summary', {})) ?? this.summaryValue;
      } catch (error) {
        this.errorValue = CmError.from(error);
      }
    }
    for (const listener of this.namesListeners) {
      listener();
    }
    this.fire();
  }

  private fire(): void {
    for (const listener of this.listeners) {
      listener();
    }
  }
}

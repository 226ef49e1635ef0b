// One CM server's data engine: connection, loading, the loaded requests, filter, sort and paging. Runs in its
// own worker thread (worker.ts) so parsing and indexing 200k requests never blocks the extension host; it is
// plain Node and is also tested in-process.
import { policyTypeFor, REQUEST_STATUSES, requestStatusName, type RequestStatusName } from '../cm/codes';
import { CmError, isCanceled } from '../cm/errors';
import type { SettableStatus } from '../cm/routes';
import type { CmLogger } from '../cm/logger';
import type { InvalidRecord, ReceivedRequest } from '../cm/schemas';
import { cleanServerText, firstFew } from '../cm/serverText';
import { localDateFormatter } from '../dates';
import type { DateFormatter } from '../model/cmDates';
import { requestJson } from '../model/requestJson';
import type { FieldReader } from '../model/filterFields';
import { FilterIndex, foundAmong } from '../model/filterIndex';
import { fieldsOf, RequestFilter, relatedFilterText } from '../model/requestFilter';
import { CodeTableWarnings, loadSnapshot, type RequestSnapshot } from '../model/requestSnapshot';
import { buildView, LoadedRequests, type ViewGroup } from '../model/requestView';
import { cmTime, isSmartcardRequest, requestLabel, summarizeRequest } from '../model/requestSummary';
import { CorrelationLog, failureHints, notingCorrelations } from '../model/failureHints';
import { linkedDocument, type LinkedAddress } from '../model/linkedDocuments';
import { pendingReasons } from '../model/pendingReasons';
import { dashboardFigures, RequestFacts, type DashboardFigures } from '../model/dashboardFigures';
import type { DashboardRange } from '../model/dashboardScales';
import { exportCells, exportFooter, exportHeader, exportRow, type ExportFormat } from '../model/requestExport';
import { whyPendingMarkdown } from '../model/whyPendingText';
import { completeTemplateNames, listTemplateNames, templateKey, type TemplateNames } from '../model/templateNames';
import { CmConnection, type CredentialSource } from './connection';
import { ServerDirectory } from './serverDirectory';
import { searchableNames, type DirectoryEntry, type Lookup } from '../directory/directoryEntry';
import type { DirectoryState } from '../directory/directoryNames';
import { personGroupLabel, personName, type LookupOf } from '../model/peopleText';
import { personKey } from '../model/requestFilter';
import { canonicalSid } from '../directory/adIdentifiers';
import type {
  ConnectionInfo,
  EngineConfig,
  EngineEventMessage,
  EngineViewSettings,
  GroupSummary,
  LoadOutcome,
  LoadSummary,
  Page,
  RequestRow,
} from './protocol';
import * as l10n from '@vscode/l10n';

interface PolicyAnswer {
  readonly policy?: unknown;
  readonly problem?: string;
}

/**
 * How long indexing runs between two looks at the message queue: a page or a filter asked for meanwhile waits
 * at most this long.
 */
const INDEX_SLICE_MS = 2;
/** And at most this many requests, wherever the clock stands. */
const INDEX_SLICE_MAX = 1000;
/** How long a tooltip waits for names still being looked up (it shows GUIDs after that). */
const TOOLTIP_NAMES_MS = 1500;
/** How long a page (Why Is This Pending?) or an export waits for names. */
const DOCUMENT_NAMES_MS = 5000;
/** A filter that finds people by name is applied again as names arrive, at most this often. */
const REFILTER_EVERY_MS = 1000;

export class ServerEngine {
  private readonly connection: CmConnection;
  private readonly codeWarnings: CodeTableWarnings;
  private config: EngineConfig | undefined;
  private formatDate: DateFormatter = localDateFormatter('en');
  private snapshot: RequestSnapshot | undefined;
  /** The last load, flat; groups and filter results are indices into it. */
  private data: LoadedRequests | undefined;
  private viewSettings: EngineViewSettings = { groupBy: 'status', sortOrder: 'newestFirst' };
  private groups: readonly ViewGroup[] = [];
  private filter: RequestFilter | undefined;
  /** With a filter set: the matching requests of each group (by key), in the group's order. */
  private matching = new Map<string, Uint32Array>();
  private inFlight: AbortController | undefined;
  private indexing: Promise<void> = Promise.resolve();
  /** What a filter searches in `data.all`; built after a load (see index()). */
  private filterIndex: FilterIndex | undefined;
  /** Profile template names by lower-case GUID, renewed by each load. */
  private templates: TemplateNames = new Map();
  private templateNameByText = new Map<string, string | undefined>();
  /** Workflow policies by template and type, asked for when a pending request needs explaining; cleared by a load. */
  private policies = new Map<string, Promise<PolicyAnswer>>();
  private readonly correlations = new CorrelationLog();
  private readonly logger: CmLogger;
  private readonly directory: ServerDirectory;
  private refilterTimer: ReturnType<typeof setTimeout> | undefined;

  /** `emit` tells the host what it did not ask (the directory's state and new names). */
  constructor(
    logger: CmLogger,
    private readonly emit: (event: EngineEventMessage) => void = () => undefined,
  ) {
    // Failed calls log the correlation id of CM's error page: kept for the hints of Failed requests.
    this.logger = notingCorrelations(logger, this.correlations);
    logger = this.logger;
    this.codeWarnings = new CodeTableWarnings(logger);
    const secrets: CredentialSource = {
      get: () => Promise.resolve(this.config?.secrets.credential),
      getProxy: () => Promise.resolve(this.config?.secrets.proxy),
      getPassphrase: () => Promise.resolve(this.config?.secrets.passphrase),
    };
    this.connection = new CmConnection(logger, secrets, 'mimcm-requests');
    this.directory = new ServerDirectory(this.logger, (state) => this.namesChanged(state));
  }

  /** Applies settings and secrets; another server drops the data of the previous one. */
  async configure(config: EngineConfig): Promise<ConnectionInfo> {
    if (config.locale !== this.config?.locale) {
      this.formatDate = localDateFormatter(config.locale);
      // Made now, while nothing waits: ICU's locale data takes tens of milliseconds to load, which would
      // otherwise delay the first page after a load.
      this.formatDate(new Date());
      // Dates are part of what a filter matches, as displayed.
      this.reindex();
    }
    this.config = config;
    this.connection.userAgent = config.userAgent;
    const change = await this.connection.apply(config.connection, { rereadSecrets: config.rereadSecrets });
    if (config.rereadSecrets) {
      // New or re-entered secrets come from a sign-in: a user action, which may try them once.
      this.connection.userAction();
    }
    if (change === 'server') {
      this.inFlight?.abort();
      this.forget();
    }
    const state = this.connection.state;
    // Another directory (a setting changed) names what is loaded without a reload.
    if (this.directory.update(config, state) && this.data !== undefined) {
      this.directory.loaded(usersOf(this.data));
    }
    return {
      kind: state.kind,
      change,
      error: state.kind === 'invalid' ? state.error.toDetails() : undefined,
      origin: this.connection.origin,
      proxyUrl: this.connection.proxyUrl,
      hostLabel: this.connection.hostLabel,
      tokenExpiry: state.kind === 'ready' ? state.tokenExpiry?.getTime() : undefined,
    };
  }

  /** Reloads the given statuses; a newer load cancels this one. The data stays as it was when a load fails. */
  async load(statuses: readonly RequestStatusName[]): Promise<LoadOutcome> {
    this.inFlight?.abort();
    const state = this.connection.state;
    if (state.kind !== 'ready') {
      this.forget();
      return state.kind === 'invalid'
        ? { kind: 'failed', error: state.error.toDetails(), credentialsRejected: false }
        : { kind: 'canceled' };
    }
    const controller = new AbortController();
    this.inFlight = controller;
    try {
      // Asked alongside the requests: the credential guard still lets only one exchange carry credentials the
      // server has not yet accepted.
      const listing = listTemplateNames(state.client, controller.signal, this.logger);
      const snapshot = await loadSnapshot(state.client, controller.signal, this.codeWarnings, statuses);
      const data = new LoadedRequests(snapshot.groups);
      const used = data.templateIds();
      const templates = await completeTemplateNames(state.client, await listing, used, this.templates, controller.signal, this.logger);
      if (controller.signal.aborted) {
        return { kind: 'canceled' };
      }
      this.templates = templates;
      this.templateNameByText = new Map();
      this.policies = new Map();
      this.snapshot = snapshot;
      this.data = data;
      // Indexed before regrouping: with a filter set, the groups' matches must come from the requests just loaded.
      this.reindex();
      this.regroup();
      // The CM server has now judged the sign-in (and `auto` chosen a method): the directory may use them.
      this.directory.update(this.config, this.connection.state);
      this.directory.loaded(usersOf(data));
      this.logger.info(`Loaded ${data.all.length} requests from ${state.client.hostLabel}.`);
      return { kind: 'loaded', summary: this.summaryOf(snapshot), total: data.all.length };
    } catch (error) {
      if (controller.signal.aborted || isCanceled(error)) {
        return { kind: 'canceled' };
      }
      const failure = CmError.from(error);
      this.logger.error(`Refresh failed: ${failure.describe()}`);
      return { kind: 'failed', error: failure.toDetails(), credentialsRejected: state.client.guard?.rejected !== undefined };
    } finally {
      if (this.inFlight === controller) {
        this.inFlight = undefined;
      }
    }
  }

  /** Group counts as the view shows them, with "n of m" while a filter is set; undefined before any load. */
  private summary(): LoadSummary | undefined {
    return this.snapshot === undefined ? undefined : this.summaryOf(this.snapshot);
  }

  /** Blank text clears the filter. Matching costs no server call. */
  setFilter(text: string): LoadSummary | undefined {
    this.filter = RequestFilter.parse(text, this.formatDate);
    this.applyFilter();
    return this.summary();
  }

  /** Groups and orders the loaded requests anew (mimcm.groupBy, mimcm.sortOrder); no server call. */
  setView(settings: EngineViewSettings): LoadSummary | undefined {
    if (settings.groupBy !== this.viewSettings.groupBy || settings.sortOrder !== this.viewSettings.sortOrder) {
      this.viewSettings = settings;
      this.regroup();
    }
    return this.summary();
  }

  /** The first `limit` rows of a group (after the filter), and how many more there are. */
  page(group: string, limit: number): Page {
    const indices = this.visible(group);
    const shown = Math.min(indices.length, Math.max(0, limit));
    const rows = new Array<RequestRow>(shown);
    for (let offset = 0; offset < shown; offset++) {
      rows[offset] = this.row(indices[offset] ?? 0);
    }
    return { rows, remaining: indices.length - shown };
  }

  /**
   * Every field of one loaded request, decoded, for its tooltip; for a Pending request why it may wait (its
   * template's workflow policy, read once per template and type), for a Failed one where the reason is logged.
   */
  async details(requestId: string, group: string): Promise<(readonly [string, string])[] | undefined> {
    const index = this.find(requestId, group);
    const data = this.data;
    const request = index === undefined ? undefined : data?.all[index];
    if (index === undefined || data === undefined || request === undefined) {
      return undefined;
    }
    const status = data.status(index);
    try {
      const templateName = this.templateName(request);
      const people = this.people();
      await this.directory.ensure(
        [request.request.TargetUserUuid, request.request.OriginatorUserUuid].filter((key): key is string => typeof key === 'string'),
        TOOLTIP_NAMES_MS,
      );
      const rows = summarizeRequest(request, this.formatDate, templateName, people);
      // What explains the status goes right under it, where a tooltip that scrolls still shows it.
      const underStatus = rows.findIndex(([label]) => label === l10n.t('Status')) + 1;
      if (status === 'Pending') {
        const { policy, problem } = await this.policyFor(request);
        await this.directory.ensure(sidsOfPolicy(policy), TOOLTIP_NAMES_MS);
        rows.splice(underStatus, 0, ...pendingReasons(request, policy, problem, templateName, people));
      } else if (status === 'Failed') {
        rows.splice(underStatus, 0, ...failureHints(request, this.formatDate, templateName, this.correlations.recent));
      }
      return rows;
    } catch (error) {
      return [
        [l10n.t('Request'), request.id],
        [l10n.t('Problem'), l10n.t`This record cannot be summarised: ${cleanServerText(String(error))}`],
      ];
    }
  }

  /** One request fresh from the server, as the JSON document shows it; undefined when the server has none. */
  async fetch(requestId: string): Promise<string | undefined> {
    const received = await this.connection.getRequest(requestId, new AbortController().signal);
    return received === undefined ? undefined : requestJson(received);
  }

  /** A linked object's document (profile, smart card, template, a request's objects); undefined when none. */
  async document(address: LinkedAddress): Promise<string | undefined> {
    return linkedDocument(this.connection.readyClient(), address, new AbortController().signal);
  }

  /**
   * The dashboard's figures from the loaded requests, or those the filter shows (no server call); undefined
   * before a load.
   */
  dashboard(range: DashboardRange, now: number): DashboardFigures | undefined {
    if (this.data === undefined) {
      return undefined;
    }
    const subset = this.filter === undefined ? undefined : concatenated(this.groups.map((group) => this.visible(group.key)));
    return dashboardFigures(this.data, range, now, (id) => this.templates.get(id), subset);
  }

  /**
   * A chunk of the export of what the view shows (every group, after the filter, in the view's order): rows
   * `from` … `from + limit` of the whole, as text, and how many there are in all.
   */
  async exportChunk(format: ExportFormat, from: number, limit: number): Promise<{ text: string; rows: number; total: number }> {
    if (from === 0 && this.data !== undefined) {
      // Names go into the file: the first chunk waits (a little) for the ones still being looked up.
      await this.directory.ensure(usersOf(this.data), DOCUMENT_NAMES_MS);
    }
    const data = this.data;
    const people = this.people();
    const groups = this.groups.map((group) => ({ group, indices: this.visible(group.key) }));
    const total = groups.reduce((sum, { indices }) => sum + indices.length, 0);
    const parts: string[] = from === 0 ? [exportHeader(format)] : [];
    let position = 0;
    let rows = 0;
    for (const { group, indices } of groups) {
      if (data === undefined || rows >= limit) {
        break;
      }
      const start = Math.max(0, from - position);
      for (let offset = start; offset < indices.length && rows < limit; offset++) {
        const request = data.all[indices[offset] ?? 0];
        if (request !== undefined) {
          parts.push(
            exportRow(format, exportCells(this.groupLabel(group), request, this.templateName(request), people), from + rows === 0),
          );
        }
        rows++;
      }
      position += indices.length;
    }
    if (from + rows >= total) {
      parts.push(exportFooter(format, total === 0));
    }
    return { text: parts.join(''), rows, total };
  }

  /** One request's row, read fresh (a watched request's poll). */
  async pollRow(requestId: string): Promise<RequestRow | undefined> {
    const received = await this.connection.getRequest(requestId, new AbortController().signal);
    if (received === undefined) {
      return undefined;
    }
    const name = requestStatusName(received.request.Status);
    const status = REQUEST_STATUSES.find((candidate) => candidate === name) ?? 'None';
    return this.rowOf(received, status);
  }

  /**
   * Cancels or abandons one request (the user confirmed it on the host). Resolves to its JSON as the server now
   * has it; a refusal is explained (403: a CM permission; 500: most often a status that no longer allows it).
   */
  async setStatus(requestId: string, status: SettableStatus): Promise<string | undefined> {
    const id = requestId.slice(0, 8);
    const cancel = status === 'Canceled';
    try {
      const received = await this.connection.readyClient().setRequestStatus(requestId, status, new AbortController().signal);
      this.logger.info(`Request ${requestId} set to ${status} on ${this.connection.hostLabel}.`);
      return received === undefined ? undefined : requestJson(received);
    } catch (error) {
      const failure = CmError.from(error);
      if (failure.status === 403) {
        throw new CmError({
          ...failure.toDetails(),
          message: cancel
            ? l10n.t`The CM server refused to cancel request ${id} (HTTP 403): your account lacks the CM permission for it.`
            : l10n.t`The CM server refused to abandon request ${id} (HTTP 403): your account lacks the CM permission for it.`,
          hint: l10n.t(
            "CM needs the matching right on the request's profile template management policy for your account (or a group of it); ask your CM administrator.",
          ),
          action: 'showLog',
        });
      }
      if (failure.status !== undefined && failure.status >= 500) {
        throw new CmError({
          ...failure.toDetails(),
          message: cancel
            ? l10n.t`The CM server could not cancel request ${id} (HTTP ${failure.status}).`
            : l10n.t`The CM server could not abandon request ${id} (HTTP ${failure.status}).`,
          hint: l10n.t`Its status may no longer allow it (cancel: Pending or Approved; abandon: Approved or Executing). Refresh to see where it stands; the log has the server's answer.`,
          action: 'retry',
        });
      }
      throw failure;
    }
  }

  /** The filter that finds the requests related to this one; read from the loaded data, else from the server. */
  async relatedFilter(requestId: string): Promise<string | undefined> {
    const loaded = this.data?.all.find((candidate) => candidate.id === requestId);
    const received = loaded ?? (await this.connection.getRequest(requestId, new AbortController().signal));
    return received === undefined ? undefined : relatedFilterText(received);
  }

  /** "Why is this pending?" for one request, as Markdown; read fresh, with its template's policy. */
  async whyPending(requestId: string): Promise<string | undefined> {
    const received = await this.connection.getRequest(requestId, new AbortController().signal);
    if (received === undefined) {
      return undefined;
    }
    const key = templateKey(received.request.ProfileTemplateUuid);
    const templateName = key === undefined ? undefined : this.templates.get(key);
    const { policy, problem } = await this.policyFor(received);
    await this.directory.ensure(sidsOfPolicy(policy), DOCUMENT_NAMES_MS);
    return whyPendingMarkdown(received, pendingReasons(received, policy, problem, templateName, this.people()), {
      templateName,
      hostLabel: this.connection.hostLabel,
      formatDate: this.formatDate,
    });
  }

  /** Resolves once the filter texts of the last load are built (for `npm run bench`). */
  indexed(): Promise<void> {
    return this.indexing;
  }

  /** A user asked for something: rejected credentials may be tried once more. Says whether they stand rejected. */
  userAction(): boolean {
    const rejected = this.connection.credentialsRejected !== undefined;
    this.connection.userAction();
    this.directory.names.userAction();
    return rejected;
  }

  /** What the directory says of these GUIDs and SIDs (the known ones); the others are looked up, and told by an event. */
  names(keys: readonly string[]): Record<string, Lookup> {
    this.directory.names.want(keys);
    const known: Record<string, Lookup> = {};
    for (const key of keys) {
      const lookup = this.directory.lookup(key);
      if (lookup !== undefined) {
        known[key] = lookup;
      }
    }
    return known;
  }

  /** People matching typed text (Show Requests for User), asked of the directory now. */
  findPeople(text: string): Promise<{ guid: string; entry: DirectoryEntry }[]> {
    return this.directory.names.findPeople(text);
  }

  /** The summary as it stands now (group labels follow the names that arrived). */
  currentSummary(): LoadSummary | undefined {
    return this.summary();
  }

  dispose(): void {
    clearTimeout(this.refilterTimer);
    this.inFlight?.abort();
    this.connection.dispose();
    this.directory.dispose();
  }

  /** What the directory said of a GUID or SID, for the summaries and pages. */
  private people(): LookupOf {
    return (key) => this.directory.lookup(key);
  }

  /** Names arrived (or the directory's state changed): a filter that finds people by name is applied again. */
  private namesChanged(state: DirectoryState): void {
    if (this.filter !== undefined && this.refilterTimer === undefined) {
      this.refilterTimer = setTimeout(() => {
        this.refilterTimer = undefined;
        this.applyFilter();
        this.emit({ event: 'directory', state: this.directory.names.state });
      }, REFILTER_EVERY_MS);
    }
    this.emit({ event: 'directory', state });
  }

  /** A group's label: a person's name once the directory said, the key's own otherwise. */
  private groupLabel(group: ViewGroup): string {
    const colon = group.key.indexOf(':');
    const kind = group.key.slice(0, colon);
    const guid = group.key.slice(colon + 1);
    return (kind === 'user' || kind === 'originator') && guid !== '' ? personGroupLabel(guid, this.directory.lookup(guid)) : group.label;
  }

  /**
   * Builds every request's filter text (and what the dashboard needs of it) after a load, a slice at a time, so
   * the first filter or dashboard finds it ready; requests in between (a page, a filter) are answered between
   * slices.
   */
  private async index(data: LoadedRequests, index: FilterIndex): Promise<void> {
    while (!index.complete) {
      // Yielding first lets the load's answer go out before any indexing.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.filterIndex !== index) {
        return;
      }
      const until = performance.now() + INDEX_SLICE_MS;
      const end = Math.min(index.size + INDEX_SLICE_MAX, data.all.length);
      // At least one request per slice, however late the clock: indexing always gets on.
      do {
        index.addNext();
      } while (index.size < end && (index.size % 16 !== 0 || performance.now() < until));
      RequestFacts.of(data).decodeUpTo(index.size);
    }
  }

  /** A new filter index for the loaded requests, built in the background. */
  private reindex(): void {
    const data = this.data;
    if (data === undefined) {
      this.filterIndex = undefined;
      return;
    }
    const index = new FilterIndex(data.all, this.formatDate, (request) => this.templateName(request));
    this.filterIndex = index;
    this.indexing = this.index(data, index);
  }

  private forget(): void {
    this.snapshot = undefined;
    this.data = undefined;
    this.groups = [];
    this.filterIndex = undefined;
    this.matching.clear();
  }

  private regroup(): void {
    const data = this.data;
    this.groups =
      data === undefined ? [] : buildView(data, this.viewSettings.groupBy, this.viewSettings.sortOrder, (id) => this.templates.get(id));
    this.applyFilter();
  }

  /** The index of a request in a group; by id anywhere when the group is gone (a regroup since the row was drawn). */
  private find(requestId: string, groupKey: string): number | undefined {
    const data = this.data;
    if (data === undefined) {
      return undefined;
    }
    const group = this.groups.find((candidate) => candidate.key === groupKey);
    for (const index of group?.indices ?? []) {
      if (data.all[index]?.id === requestId) {
        return index;
      }
    }
    const anywhere = data.all.findIndex((candidate) => candidate.id === requestId);
    return anywhere === -1 ? undefined : anywhere;
  }

  private summaryOf(snapshot: RequestSnapshot): LoadSummary {
    const statusCounts: Partial<Record<RequestStatusName, number>> = {};
    for (const group of snapshot.groups) {
      statusCounts[group.status] = group.requests.length + group.invalid.length;
    }
    const invalid = snapshot.groups.flatMap((group) => group.invalid);
    return {
      groups: this.groups.map((group) => this.groupSummary(group)),
      groupBy: this.viewSettings.groupBy,
      statusCounts,
      loadedAt: snapshot.loadedAt.getTime(),
      templates: [...this.templates],
      // Grouped by status, each group says its own; otherwise the unreadable records are counted once.
      invalid: this.viewSettings.groupBy === 'status' || invalid.length === 0 ? undefined : invalidSummary(invalid),
    };
  }

  /** Asked for every request while indexing: each distinct GUID text is looked up once per load. */
  private templateName(request: ReceivedRequest): string | undefined {
    const raw = request.request.ProfileTemplateUuid;
    if (typeof raw !== 'string') {
      return undefined;
    }
    if (!this.templateNameByText.has(raw)) {
      const key = templateKey(raw);
      this.templateNameByText.set(raw, key === undefined ? undefined : this.templates.get(key));
    }
    return this.templateNameByText.get(raw);
  }

  /** The workflow policy for the request's template and type, asked for once per pair until the next load. */
  private policyFor(request: ReceivedRequest): Promise<PolicyAnswer> {
    const template = templateKey(request.request.ProfileTemplateUuid);
    const type = policyTypeFor(request.request.RequestType);
    if (template === undefined || type === undefined) {
      return Promise.resolve({
        problem:
          template === undefined
            ? l10n.t('The request names no profile template.')
            : l10n.t('No workflow policy is known for this request type.'),
      });
    }
    const key = `${template}/${type}`;
    let answer = this.policies.get(key);
    if (answer === undefined) {
      answer = this.readPolicy(template, type);
      this.policies.set(key, answer);
    }
    return answer;
  }

  private async readPolicy(template: string, type: string): Promise<PolicyAnswer> {
    try {
      const policy = await this.connection
        .readyClient()
        .call('GET', `profiletemplates/${template}/policies/${type}`, {}, new AbortController().signal);
      return policy === undefined ? { problem: l10n.t`The server has no ${type} policy for this template.` } : { policy };
    } catch (error) {
      const failure = CmError.from(error);
      // A failure is not kept: the next hover may ask again (after a sign-in, say).
      this.policies.delete(`${template}/${type}`);
      return {
        problem: l10n.t`The ${type} policy could not be read: ${failure.message}${failure.status === 403 ? l10n.t(' Reading policies needs CM permission on the template.') : ''}`,
      };
    }
  }

  private visible(group: string): Uint32Array {
    if (this.filter !== undefined) {
      return this.matching.get(group) ?? new Uint32Array(0);
    }
    return this.groups.find((candidate) => candidate.key === group)?.indices ?? new Uint32Array(0);
  }

  private applyFilter(): void {
    this.matching.clear();
    const filter = this.filter;
    if (filter === undefined) {
      return;
    }
    const found = this.filterIndex?.matching(
      filter,
      (index) => this.fieldsAt(index),
      (word) => this.directory.names.holding(word, searchableNames),
    );
    if (found === undefined) {
      return;
    }
    for (const group of this.groups) {
      // A loop, not indices.filter(): a typed array's filter calls back per element, ~10 ms over 200k.
      this.matching.set(group.key, foundAmong(group.indices, found));
    }
  }

  private fieldsAt(index: number): FieldReader {
    const data = this.data;
    const request = data?.all[index];
    return request === undefined || data === undefined ? () => '' : fieldsOf(request, data.status(index));
  }

  private groupSummary(group: ViewGroup): GroupSummary {
    return {
      key: group.key,
      label: this.groupLabel(group),
      status: group.status,
      count: group.indices.length + group.invalid.length,
      matching: this.filter === undefined ? undefined : (this.matching.get(group.key)?.length ?? 0),
      error: group.error?.toDetails(),
      ...invalidSummary(group.invalid),
    };
  }

  private row(index: number): RequestRow {
    return this.rowOf(this.data?.all[index] as ReceivedRequest, this.data?.status(index) ?? 'None');
  }

  private rowOf(request: ReceivedRequest, status: RequestStatusName): RequestRow {
    try {
      const target = request.request.TargetUserUuid;
      return {
        id: request.id,
        status,
        label: requestLabel(request, this.templateName(request)),
        submitted: cmTime(request.request.Submitted),
        smartcard: isSmartcardRequest(request),
        targetUserId: typeof target === 'string' ? cleanServerText(target, 80) : undefined,
        targetName: personName(this.directory.lookup(target)),
      };
    } catch (error) {
      this.logger.error(
        `Request ${request.id} could not be shown: ${cleanServerText(error instanceof Error ? error.message : String(error))}`,
      );
      return {
        id: request.id,
        status,
        label: l10n.t`Request ${request.id.slice(0, 8)}`,
        smartcard: false,
        broken: cleanServerText(String(error)),
      };
    }
  }
}

/** The loaded requests' target users and originators, each once, the most frequent first. */
function usersOf(data: LoadedRequests): string[] {
  const counts = new Map<string, number>();
  for (const { request } of data.all) {
    for (const value of [request.TargetUserUuid, request.OriginatorUserUuid]) {
      const key = personKey(value);
      if (key !== undefined) {
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([key]) => key);
}

/** The SIDs a workflow policy names (approvers, enrollment agents, initiators). */
function sidsOfPolicy(policy: unknown): string[] {
  if (policy === null || typeof policy !== 'object') {
    return [];
  }
  const fields = policy as Record<string, unknown>;
  return [fields.AuthorizedApprover, fields.AuthorizedEnrollmentAgent, fields.AuthorizedInitiator]
    .flatMap((value) => (Array.isArray(value) ? (value as unknown[]) : [value]))
    .flatMap((value) => {
      const sid = typeof value === 'string' ? canonicalSid(value) : undefined;
      return sid === undefined ? [] : [sid];
    });
}

function concatenated(arrays: readonly Uint32Array[]): Uint32Array {
  const all = new Uint32Array(arrays.reduce((sum, array) => sum + array.length, 0));
  let offset = 0;
  for (const array of arrays) {
    all.set(array, offset);
    offset += array.length;
  }
  return all;
}

function invalidSummary(invalid: readonly InvalidRecord[]): { invalidCount: number; invalidSample: string[] } {
  return {
    invalidCount: invalid.length,
    invalidSample:
      invalid.length === 0
        ? []
        : [
            firstFew(
              invalid.map((record) => `#${record.index}: ${cleanServerText(record.problems)}`),
              10,
            ),
          ],
  };
}

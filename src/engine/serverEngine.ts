// One CM server's data engine: connection, loading, the loaded requests, filter, sort and paging. Runs in its
// own worker thread (worker.ts) so parsing and indexing 200k requests never blocks the extension host; it is
// plain Node and is also tested in-process.
import { policyTypeFor, type RequestStatusName } from '../cm/codes';
import { CmError, isCanceled } from '../cm/errors';
import type { CmLogger } from '../cm/logger';
import type { ReceivedRequest } from '../cm/schemas';
import { cleanServerText, firstFew } from '../cm/serverText';
import { localDateFormatter } from '../dates';
import type { DateFormatter } from '../model/cmDates';
import { requestJson } from '../model/requestJson';
import { RequestFilter, relatedFilterText, searchableText } from '../model/requestFilter';
import { CodeTableWarnings, loadSnapshot, type RequestSnapshot, type StatusGroup } from '../model/requestSnapshot';
import { cmTime, isSmartcardRequest, requestLabel, summarizeRequest } from '../model/requestSummary';
import { CorrelationLog, failureHints } from '../model/failureHints';
import { linkedDocument, type LinkedAddress } from '../model/linkedDocuments';
import { pendingReasons } from '../model/pendingReasons';
import { whyPendingMarkdown } from '../model/whyPendingText';
import { completeTemplateNames, listTemplateNames, templateIdsOf, templateKey, type TemplateNames } from '../model/templateNames';
import { CmConnection, type CredentialSource } from './connection';
import type { ConnectionInfo, EngineConfig, GroupSummary, LoadOutcome, LoadSummary, Page, RequestRow } from './protocol';

interface PolicyAnswer {
  readonly policy?: unknown;
  readonly problem?: string;
}

/** Requests indexed between two looks at the message queue. */
const INDEX_SLICE = 250;

export class ServerEngine {
  private readonly connection: CmConnection;
  private readonly codeWarnings: CodeTableWarnings;
  private config: EngineConfig | undefined;
  private formatDate: DateFormatter = localDateFormatter('en');
  private snapshot: RequestSnapshot | undefined;
  private filter: RequestFilter | undefined;
  /** With a filter set: the matching requests of each group, in the group's order. */
  private matching = new Map<RequestStatusName, readonly ReceivedRequest[]>();
  private inFlight: AbortController | undefined;
  private indexing: Promise<void> = Promise.resolve();
  /** Each group's filter texts, index for index with its requests; built after a load (see index()). */
  private texts = new Map<StatusGroup, (string | undefined)[]>();
  /** Profile template names by lower-case GUID, renewed by each load. */
  private templates: TemplateNames = new Map();
  /** Workflow policies by template and type, asked for when a pending request needs explaining; cleared by a load. */
  private policies = new Map<string, Promise<PolicyAnswer>>();
  private readonly correlations = new CorrelationLog();
  private readonly logger: CmLogger;

  constructor(logger: CmLogger) {
    // Failed calls log the correlation id of CM's error page: kept for the hints of Failed requests.
    const note = (write: (message: string) => void) => (message: string) => {
      this.correlations.note(message);
      write(message);
    };
    this.logger = { ...logger, warn: note(logger.warn.bind(logger)), error: note(logger.error.bind(logger)) };
    logger = this.logger;
    this.codeWarnings = new CodeTableWarnings(logger);
    const secrets: CredentialSource = {
      get: () => Promise.resolve(this.config?.secrets.credential),
      getProxy: () => Promise.resolve(this.config?.secrets.proxy),
      getPassphrase: () => Promise.resolve(this.config?.secrets.passphrase),
    };
    this.connection = new CmConnection(logger, secrets, 'mimcm-requests');
  }

  /** Applies settings and secrets; another server drops the data of the previous one. */
  async configure(config: EngineConfig): Promise<ConnectionInfo> {
    if (config.locale !== this.config?.locale) {
      this.formatDate = localDateFormatter(config.locale);
      // Dates are part of what a filter matches, as displayed.
      this.texts = new Map();
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
      this.snapshot = undefined;
      this.matching.clear();
    }
    const state = this.connection.state;
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
      this.snapshot = undefined;
      this.matching.clear();
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
      const used = templateIdsOf(snapshot.groups.flatMap((group) => group.requests));
      const templates = await completeTemplateNames(state.client, await listing, used, this.templates, controller.signal, this.logger);
      if (controller.signal.aborted) {
        return { kind: 'canceled' };
      }
      this.templates = templates;
      this.policies = new Map();
      this.snapshot = snapshot;
      this.applyFilter();
      this.indexing = this.index(snapshot);
      const total = snapshot.groups.reduce((sum, group) => sum + group.requests.length, 0);
      this.logger.info(`Loaded ${total} requests from ${state.client.hostLabel}.`);
      return { kind: 'loaded', summary: this.summaryOf(snapshot), total };
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

  /** The first `limit` rows of a group (after the filter), and how many more there are. */
  page(status: RequestStatusName, limit: number): Page {
    const requests = this.visible(status);
    const rows = requests.slice(0, Math.max(0, limit)).map((request) => this.row(request));
    return { rows, remaining: Math.max(0, requests.length - rows.length) };
  }

  /**
   * Every field of one loaded request, decoded, for its tooltip; for a Pending request why it may wait (its
   * template's workflow policy, read once per template and type), for a Failed one where the reason is logged.
   */
  async details(requestId: string, status: RequestStatusName): Promise<(readonly [string, string])[] | undefined> {
    const request = this.group(status)?.requests.find((candidate) => candidate.id === requestId);
    if (request === undefined) {
      return undefined;
    }
    try {
      const templateName = this.templateName(request);
      const rows = summarizeRequest(request, this.formatDate, templateName);
      if (status === 'Pending') {
        const { policy, problem } = await this.policyFor(request);
        rows.push(...pendingReasons(request, policy, problem, templateName));
      } else if (status === 'Failed') {
        rows.push(...failureHints(request, this.formatDate, templateName, this.correlations.recent));
      }
      return rows;
    } catch (error) {
      return [
        ['Request', request.id],
        ['Problem', `This record cannot be summarised: ${cleanServerText(String(error))}`],
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

  /** The filter that finds the requests related to this one; read from the loaded data, else from the server. */
  async relatedFilter(requestId: string): Promise<string | undefined> {
    const loaded = this.snapshot?.groups.flatMap((group) => group.requests.filter((candidate) => candidate.id === requestId))[0];
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
    return whyPendingMarkdown(received, pendingReasons(received, policy, problem, templateName), {
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
    return rejected;
  }

  dispose(): void {
    this.inFlight?.abort();
    this.connection.dispose();
  }

  /**
   * Builds every request's filter text after a load, a slice at a time, so the first filter a user types finds
   * it ready; requests in between (a page, a filter) are answered between slices.
   */
  private async index(snapshot: RequestSnapshot): Promise<void> {
    this.texts = new Map();
    for (const group of snapshot.groups) {
      for (let end = INDEX_SLICE; end < group.requests.length + INDEX_SLICE; end += INDEX_SLICE) {
        if (this.snapshot !== snapshot) {
          return;
        }
        this.textsOf(group, Math.min(end, group.requests.length), end - INDEX_SLICE);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  private summaryOf(snapshot: RequestSnapshot): LoadSummary {
    return {
      groups: snapshot.groups.map((group) => this.groupSummary(group)),
      loadedAt: snapshot.loadedAt.getTime(),
      templates: [...this.templates],
    };
  }

  private templateName(request: ReceivedRequest): string | undefined {
    const key = templateKey(request.request.ProfileTemplateUuid);
    return key === undefined ? undefined : this.templates.get(key);
  }

  /** The workflow policy for the request's template and type, asked for once per pair until the next load. */
  private policyFor(request: ReceivedRequest): Promise<PolicyAnswer> {
    const template = templateKey(request.request.ProfileTemplateUuid);
    const type = policyTypeFor(request.request.RequestType);
    if (template === undefined || type === undefined) {
      return Promise.resolve({
        problem: template === undefined ? 'The request names no profile template.' : 'No workflow policy is known for this request type.',
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
      return policy === undefined ? { problem: `The server has no ${type} policy for this template.` } : { policy };
    } catch (error) {
      const failure = CmError.from(error);
      // A failure is not kept: the next hover may ask again (after a sign-in, say).
      this.policies.delete(`${template}/${type}`);
      return {
        problem: `The ${type} policy could not be read: ${failure.message}${failure.status === 403 ? ' Reading policies needs CM permission on the template.' : ''}`,
      };
    }
  }

  private group(status: RequestStatusName): StatusGroup | undefined {
    return this.snapshot?.groups.find((candidate) => candidate.status === status);
  }

  private visible(status: RequestStatusName): readonly ReceivedRequest[] {
    return this.filter === undefined ? (this.group(status)?.requests ?? []) : (this.matching.get(status) ?? []);
  }

  private applyFilter(): void {
    this.matching.clear();
    const filter = this.filter;
    if (filter === undefined || this.snapshot === undefined) {
      return;
    }
    for (const group of this.snapshot.groups) {
      const texts = this.textsOf(group, group.requests.length);
      this.matching.set(
        group.status,
        group.requests.filter((_request, index) => filter.matchesText(texts[index] ?? '')),
      );
    }
  }

  /** The group's filter texts, the first `upTo` of them built now if the background indexing has not yet. */
  private textsOf(group: StatusGroup, upTo: number, from = 0): (string | undefined)[] {
    let texts = this.texts.get(group);
    if (texts === undefined) {
      texts = new Array<string | undefined>(group.requests.length);
      this.texts.set(group, texts);
    }
    for (let index = from; index < upTo; index++) {
      if (texts[index] === undefined) {
        const request = group.requests[index];
        try {
          texts[index] = searchableText(request, this.formatDate, this.templateName(request));
        } catch {
          // A record the filter cannot read is still found by its GUID, and never hides the rest of its group.
          texts[index] = request.id;
        }
      }
    }
    return texts;
  }

  private groupSummary(group: StatusGroup): GroupSummary {
    return {
      status: group.status,
      count: group.requests.length + group.invalid.length,
      matching: this.filter === undefined ? undefined : (this.matching.get(group.status)?.length ?? 0),
      error: group.error?.toDetails(),
      invalidCount: group.invalid.length,
      invalidSample:
        group.invalid.length === 0
          ? []
          : [
              firstFew(
                group.invalid.map((record) => `#${record.index}: ${cleanServerText(record.problems)}`),
                10,
              ),
            ],
    };
  }

  private row(request: ReceivedRequest): RequestRow {
    try {
      const target = request.request.TargetUserUuid;
      return {
        id: request.id,
        label: requestLabel(request, this.templateName(request)),
        submitted: cmTime(request.request.Submitted),
        smartcard: isSmartcardRequest(request),
        targetUserId: typeof target === 'string' ? cleanServerText(target, 80) : undefined,
      };
    } catch (error) {
      this.logger.error(
        `Request ${request.id} could not be shown: ${cleanServerText(error instanceof Error ? error.message : String(error))}`,
      );
      return {
        id: request.id,
        label: `Request ${request.id.slice(0, 8)}`,
        smartcard: false,
        broken: cleanServerText(String(error)),
      };
    }
  }
}

import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { authorizerFor, type Authorizer, type AuthMethod, type Credentials, type HeaderCredentials } from './auth';
import type { RequestStatusName } from './codes';
import { CredentialGuard, type ReportVerdict } from './credentialGuard';
import { canceledError, CmError } from './errors';
import { createPool, type ProxyRoute } from './dispatcher';
import { errorForStatus } from './httpStatusErrors';
import { errorForTransport, timeoutError } from './transportErrors';
import type { CmEndpoint } from './endpoint';
import { parseRequestGuid } from './guid';
import type { CmLogger } from './logger';
import { ntlmContext } from './negotiate/ntlmContext';
import { platformNegotiate, type NegotiateProvider } from './negotiate/platformNegotiate';
import { MAX_LEGS, type SecurityContext } from './negotiate/securityContext';
import type { ClientCertificate } from './tlsOptions';
import { DEFAULT_MAX_RESPONSE_MEGABYTES } from './limits';
import { readBodyText } from './responseBody';
import { checkRoute, statusBody, type HttpMethod, type SettableStatus } from './routes';
import { checkRequestRecord, readRequestList, type ReceivedRequest, type RequestList } from './schemas';
import { cleanServerText, firstFew } from './serverText';
import { handshakeChallenge, offeredSchemes } from './wwwAuthenticate';
import * as l10n from '@vscode/l10n';

export type TargetUser = 'all' | 'current';

export interface CmClientOptions {
  readonly endpoint: CmEndpoint;
  readonly targetUser: TargetUser;
  readonly timeoutSeconds: number;
  readonly logger: CmLogger;
  readonly userAgent?: string;
  /** How to authenticate; omitted for servers that need no credentials. */
  readonly credentials?: Credentials;
  /** CA certificates (PEM) to trust instead of Node's defaults; see tlsOptions.ts. */
  readonly ca?: string[];
  /** Presented to servers that ask for one (IIS "Require SSL client certificates"). */
  readonly clientCertificate?: ClientCertificate;
  /** Go through this proxy (see proxy.ts); `authorization` answers its 407. */
  readonly proxy?: ProxyRoute;
  /** No answer is read past this many bytes (after decompression); default 256 MiB. */
  readonly maxResponseBytes?: number;
  /**
   * Keeps a rejected credential from being sent again. Shared by every client built for the same credential
   * and settings (see CmConnection); a client makes its own when none is given.
   */
  readonly guard?: CredentialGuard;
  /** Makes Negotiate contexts; the platform's library (SSPI or GSSAPI) unless a test gives its own. */
  readonly negotiate?: NegotiateProvider;
}

/** A handshake over one connection: how each exchange starts its context, and the scheme it opens with. */
interface Handshake {
  readonly scheme: 'NTLM' | 'Negotiate';
  readonly start: () => SecurityContext;
}

/** How long calls in flight may take to finish when the client is replaced or closed. */
const CLOSE_GRACE_MS = 2000;

const EMPTY_LIST: RequestList = { requests: [], invalid: [] };

/**
 * Reads CM requests over the REST API. Owns one keep-alive connection pool (never the global dispatcher, which
 * other extensions share); call close() when the settings change.
 */
export class CmClient {
  private readonly agent: Dispatcher;
  private readonly timeoutMs: number;
  private readonly authorize: Authorizer;
  private readonly negotiate: NegotiateProvider;
  private readonly maxResponseBytes: number;
  /** For `auto`: the server offered Negotiate and it worked, so later calls open with it at once. */
  private autoNegotiated = false;
  /** Undefined when nothing secret is sent (no credentials, no proxy sign-in). */
  readonly guard: CredentialGuard | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: CmClientOptions) {
    this.timeoutMs = Math.round(options.timeoutSeconds * 1000);
    const credentials = options.credentials ?? { method: 'none' };
    this.authorize = isHeaderMethod(credentials) ? authorizerFor(credentials) : () => Promise.resolve(undefined);
    this.negotiate = options.negotiate ?? platformNegotiate();
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_MEGABYTES * 1024 * 1024;
    const sendsSecrets = credentials.method !== 'none' || options.proxy?.authorization !== undefined;
    this.guard = sendsSecrets ? (options.guard ?? new CredentialGuard()) : undefined;
    this.agent = this.createDispatcher(false);
  }

  /** Whether calls go with the user's own Negotiate sign-in (set, or chosen by `auto`). */
  get usesNegotiate(): boolean {
    return this.effectiveMethod === 'negotiate';
  }

  /** The server as users name it in messages, e.g. "cm.contoso.com". */
  get hostLabel(): string {
    return new URL(this.options.endpoint.origin).host;
  }

  /** All requests with the given status, filtered by the server (the filter takes names, not codes). */
  async listRequests(status: RequestStatusName, signal: AbortSignal): Promise<RequestList> {
    const body = await this.call('GET', 'requests', { status }, signal);
    if (body === undefined) {
      return EMPTY_LIST;
    }
    const list = readRequestList(body);
    if (list.invalid.length > 0) {
      const details = firstFew(list.invalid.map((record) => `#${record.index}: ${cleanServerText(record.problems)}`));
      this.options.logger.warn(`${list.invalid.length} ${status} request record(s) could not be read: ${details}`);
    }
    return list;
  }

  /** One request, or undefined when the server has none with this id (204, or 404 on the id). */
  async getRequest(requestGuid: string, signal: AbortSignal): Promise<ReceivedRequest | undefined> {
    const id = requestGuidOf(requestGuid);
    const body = await this.call('GET', `requests/${id}`, {}, signal);
    if (body === undefined) {
      return undefined;
    }
    // A server may wrap the single record in a list; pick the one asked for.
    const candidates: unknown[] = Array.isArray(body) ? body : [body];
    if (candidates.length === 0) {
      return undefined;
    }
    const problems: string[] = [];
    for (const candidate of candidates) {
      const record = checkRequestRecord(candidate);
      if (record.ok && record.value.id === id) {
        return record.value;
      }
      problems.push(record.ok ? l10n.t`it is request ${record.value.id}` : cleanServerText(record.problems));
    }
    const url = this.url(`requests/${id}`, {});
    this.options.logger.error(`GET ${url}: not a readable record for ${id}: ${firstFew(problems)}`);
    throw new CmError({
      kind: 'notJson',
      message: l10n.t`The CM server's answer for request ${id} is not a readable request record (${problems[0]}).`,
      hint: l10n.t('Check mimcm.apiPath points at the CM REST API; the log has the details.'),
      action: 'showLog',
      url,
    });
  }

  /**
   * The one door to the server: `method path?query` (relative to the API root) if the route is allowed (see
   * routes.ts), with the credential guard in front. Resolves to the parsed JSON, or undefined for "nothing".
   */
  async call(
    method: HttpMethod,
    path: string,
    query: Readonly<Record<string, string>>,
    signal: AbortSignal,
    body?: string,
  ): Promise<unknown> {
    checkRoute(method, path, query, body);
    const url = this.url(path, query);
    const isApiRoot = path === 'requests';
    const outgoing: Outgoing = { method: method === 'PUT' ? 'PUT' : 'GET', body };
    if (this.guard === undefined) {
      return this.exchangeJson(outgoing, url, signal, isApiRoot, () => undefined);
    }
    return this.guard.run((report) => this.exchangeJson(outgoing, url, signal, isApiRoot, report));
  }

  /**
   * Cancels or abandons one request (PUT requests/{id}); the caller has asked the user first. Resolves to the
   * request as the server now has it, or undefined when it has no such request.
   */
  async setRequestStatus(requestGuid: string, status: SettableStatus, signal: AbortSignal): Promise<ReceivedRequest | undefined> {
    const body = await this.call('PUT', `requests/${requestGuidOf(requestGuid)}`, {}, signal, statusBody(status));
    if (body === undefined) {
      return undefined;
    }
    const record = checkRequestRecord(body);
    return record.ok ? record.value : undefined;
  }

  /**
   * Ends the pool once; later calls get the same promise (a closed ProxyAgent throws on a second close).
   * Calls in flight may finish (a settings change must not turn them into failures), but a connection still
   * hung in its TLS handshake would hold a graceful close until its timeout, so after a grace period it is torn
   * down.
   */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      const timer = setTimeout(
        () =>
          void this.agent
            .destroy()
            .catch(() => undefined)
            .then(resolve),
        CLOSE_GRACE_MS,
      );
      this.agent.close().then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        () => undefined,
      );
    });
    return this.closing;
  }

  /** A keep-alive pool, through the proxy when there is one; `single` limits it to one connection (NTLM). */
  private createDispatcher(single: boolean): Dispatcher {
    const { ca, clientCertificate, proxy } = this.options;
    return createPool({ timeoutMs: this.timeoutMs, ca, clientCertificate, proxy, keepAliveTimeoutMs: 30_000, single });
  }

  private url(path: string, query: Readonly<Record<string, string>>): string {
    const { origin, apiPath } = this.options.endpoint;
    const params = new URLSearchParams(query);
    // Only the request list is per target user; the objects a request links to are addressed by id.
    if (this.options.targetUser === 'current' && path === 'requests') {
      params.set('targetuser', 'current');
    }
    const search = params.toString();
    return `${origin}${apiPath}/${path}${search === '' ? '' : `?${search}`}`;
  }

  /**
   * The parsed JSON body, or undefined when the server says "nothing" (204, empty body, or 404 on an id).
   * `report` tells the credential guard whether the server took the credentials.
   */
  private async exchangeJson(
    outgoing: Outgoing,
    url: string,
    signal: AbortSignal,
    isApiRoot: boolean,
    report: ReportVerdict,
  ): Promise<unknown> {
    const { logger } = this.options;
    const { method } = outgoing;
    const started = Date.now();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = AbortSignal.any([signal, timeout]);
    logger.debug(`${method} ${url}`);

    const fail = (error: unknown, whileReadingBody: boolean): CmError => {
      if (signal.aborted) {
        return canceledError(url);
      }
      const failure = timeout.aborted
        ? timeoutError(url, this.options.timeoutSeconds, error)
        : errorForTransport(error, {
            url,
            timeoutSeconds: this.options.timeoutSeconds,
            whileReadingBody,
            proxyUrl: this.options.proxy?.url,
          });
      logger.error(
        `${method} ${url} failed after ${Date.now() - started} ms: ${failure.message} [${cleanServerText(describeCause(error))}]`,
      );
      if (failure.kind === 'proxy' && failure.status === 407 && this.options.proxy?.authorization !== undefined) {
        report({ accepted: false, rejection: failure });
      }
      return failure;
    };

    const phase = { readingBody: false };
    let exchange: Exchange;
    try {
      const running = this.exchange(outgoing, url, combined, phase);
      // undici does not abort a connection that is still being set up (DNS, connect, TLS handshake), so a
      // cancel would wait for the timeout: stop waiting at once; the abandoned attempt ends at its timeout.
      exchange = await untilAborted(running, combined);
    } catch (error) {
      if (error instanceof CmError) {
        throw error;
      }
      throw fail(error, phase.readingBody);
    }
    const { text, headers: responseHeaders } = exchange;
    const status = exchange.status;
    const contentType = headerValue(responseHeaders['content-type']);
    logger.debug(
      `${method} ${url} → ${status} ${cleanServerText(contentType ?? '(no content type)', 100)}, ${text.length} chars in ${Date.now() - started} ms`,
    );

    if (status !== 401) {
      report({ accepted: true });
    }
    if (status === 204 || (status === 404 && !isApiRoot)) {
      return undefined;
    }
    if (status < 200 || status >= 300) {
      const error = errorForStatus({
        status,
        body: text,
        url,
        isApiRoot,
        location: headerValue(responseHeaders.location),
        sentCredentials: exchange.sentCredentials,
        offeredSchemes: offeredSchemes(responseHeaders['www-authenticate']),
        method: this.effectiveMethod,
      });
      if (status === 401 && exchange.sentCredentials) {
        report({ accepted: false, rejection: error });
      }
      logger.error(`${method} ${url}: ${error.message} Body starts: ${cleanServerText(text.slice(0, 300))}`);
      throw error;
    }
    if (text.trim() === '') {
      return undefined;
    }
    return parseJsonBody(text, contentType, url, logger, method);
  }

  private readText(response: { body: Readable; headers: IncomingHttpHeaders }, url: string): Promise<string> {
    return readBodyText(response.body, {
      url,
      maxBytes: this.maxResponseBytes,
      contentType: headerValue(response.headers['content-type']),
      contentEncoding: headerValue(response.headers['content-encoding']),
      contentLength: headerValue(response.headers['content-length']),
    });
  }

  private headers(authorization: string | undefined, outgoing: Outgoing): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.options.userAgent ?? 'mimcm-requests' };
    if (outgoing.body !== undefined) {
      // Not user text: a header.
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    if (authorization !== undefined) {
      // Never logged: the header carries the credential.
      headers.authorization = authorization;
    }
    return headers;
  }

  private async exchangePlain(outgoing: Outgoing, url: string, signal: AbortSignal, phase: { readingBody: boolean }): Promise<Exchange> {
    const authorization = await this.authorize();
    // undici's request() does not follow redirects, so credentials never travel to another origin.
    const response = await request(url, {
      method: outgoing.method,
      body: outgoing.body,
      dispatcher: this.agent,
      signal,
      headers: this.headers(authorization, outgoing),
    });
    phase.readingBody = true;
    const text = await this.readText(response, url);
    return { status: response.statusCode, headers: response.headers, text, sentCredentials: authorization !== undefined };
  }

  /** What a 401 is judged against: for `auto`, Negotiate once it was chosen. */
  private get effectiveMethod(): AuthMethod {
    const method = this.options.credentials?.method ?? 'none';
    return method === 'auto' && this.autoNegotiated ? 'negotiate' : method;
  }

  /** The handshake this client's method needs, if any. */
  private handshake(): Handshake | undefined {
    const credentials = this.options.credentials;
    if (credentials?.method === 'ntlm') {
      const host = this.hostLabel;
      return { scheme: 'NTLM', start: () => ntlmContext(credentials.username, credentials.password, host) };
    }
    if (credentials?.method === 'negotiate' || (credentials?.method === 'auto' && this.autoNegotiated)) {
      const servicePrincipal = credentials.servicePrincipal;
      return { scheme: 'Negotiate', start: () => this.negotiate(servicePrincipal) };
    }
    return undefined;
  }

  /**
   * One request as the method wants it. `auto` first asks without credentials; a 401 that offers Negotiate is
   * answered with it at once (the user's own sign-in, nothing typed), and later calls open with it.
   */
  private async exchange(outgoing: Outgoing, url: string, signal: AbortSignal, phase: { readingBody: boolean }): Promise<Exchange> {
    const handshake = this.handshake();
    if (handshake !== undefined) {
      return this.exchangeHandshake(outgoing, url, signal, phase, handshake);
    }
    const first = await this.exchangePlain(outgoing, url, signal, phase);
    const credentials = this.options.credentials;
    if (credentials?.method !== 'auto' || first.status !== 401) {
      return first;
    }
    const offered = offeredSchemes(first.headers['www-authenticate']);
    if (!offered.some((scheme) => /^(negotiate|kerberos)$/i.test(scheme))) {
      return first;
    }
    const { servicePrincipal } = credentials;
    phase.readingBody = false;
    try {
      const answer = await this.exchangeHandshake(outgoing, url, signal, phase, {
        scheme: 'Negotiate',
        start: () => this.negotiate(servicePrincipal),
      });
      if (answer.status !== 401 && !this.autoNegotiated) {
        this.autoNegotiated = true;
        this.options.logger.info(
          `Signed in to ${this.hostLabel} with Negotiate, chosen automatically (the server offers ${offered.join(', ')}).`,
        );
      }
      return answer;
    } catch (error) {
      if (error instanceof CmError && error.kind === 'auth') {
        // Negotiate could not start here (no ticket, no domain logon, no library): the server still wants a sign-in.
        throw new CmError({
          kind: 'unauthorized',
          status: 401,
          url,
          offeredSchemes: offered,
          message: l10n.t`The CM server asks you to sign in (HTTP 401); it offers ${offered.join(', ')}. Windows sign-in was not possible: ${error.message}`,
          hint: l10n.t`${error.hint} Or run "MIM CM: Sign In" and choose one of the methods it offers.`,
          action: 'signIn',
          cause: error,
        });
      }
      throw error;
    }
  }

  /**
   * Negotiate and NTLM authenticate a connection, not a request: every leg of the handshake (the client's tokens,
   * the server's 401s with theirs, and the answer) goes over one dedicated kept-alive connection. A token on the
   * final answer is the server proving itself (Kerberos mutual authentication); one that does not verify fails
   * the call.
   */
  private async exchangeHandshake(
    outgoing: Outgoing,
    url: string,
    signal: AbortSignal,
    phase: { readingBody: boolean },
    handshake: Handshake,
  ): Promise<Exchange> {
    const connection = this.createDispatcher(true);
    // The handshake's own connection can be torn down at once, also while it is still being set up.
    const abandon = (): void => void connection.destroy().catch(() => undefined);
    signal.addEventListener('abort', abandon, { once: true });
    const context = handshake.start();
    try {
      let scheme: string = handshake.scheme;
      let serverToken: Buffer | undefined;
      for (let leg = 0; leg < MAX_LEGS; leg++) {
        const step = await context.next(serverToken);
        // A write carries its body on each leg: a server that skips the handshake acts on the first one.
        const response = await request(url, {
          method: outgoing.method,
          body: outgoing.body,
          dispatcher: connection,
          signal,
          // Not user text: the authentication header.
          headers: this.headers(step.token === undefined ? undefined : `${scheme} ${step.token.toString('base64')}`, outgoing),
        });
        phase.readingBody = true;
        const text = await this.readText(response, url);
        phase.readingBody = false;
        const challenge = handshakeChallenge(response.headers['www-authenticate']);
        const answer = { status: response.statusCode, headers: response.headers, text, sentCredentials: step.carriesCredential };
        if (response.statusCode === 401 && challenge !== undefined && !step.complete) {
          scheme = challenge.scheme;
          serverToken = challenge.token;
          continue;
        }
        if (response.statusCode !== 401 && challenge !== undefined && !step.complete) {
          // Mutual authentication: the answer counts only if the server proved it is the one the ticket was for.
          await context.next(challenge.token);
        }
        return answer;
      }
      throw new CmError({
        kind: 'auth',
        message: l10n.t`The sign-in handshake with ${this.hostLabel} did not finish after ${MAX_LEGS} rounds.`,
        hint: l10n.t('The server keeps asking for more; check its Windows Authentication providers (Negotiate, NTLM) and the log.'),
        action: 'showLog',
        url,
      });
    } finally {
      signal.removeEventListener('abort', abandon);
      context.dispose();
      abandon();
    }
  }
}

function isHeaderMethod(credentials: Credentials): credentials is HeaderCredentials {
  return credentials.method === 'none' || credentials.method === 'basic' || credentials.method === 'bearer';
}

/** The canonical GUID of a request, or the explained error before anything is sent. */
function requestGuidOf(text: string): string {
  const parsed = parseRequestGuid(text);
  if (!parsed.ok) {
    throw new CmError({
      kind: 'config',
      message: parsed.message,
      hint: l10n.t('Copy the request GUID from CM or from the Requests view.'),
      action: 'showLog',
    });
  }
  return parsed.guid;
}

/** What goes to the server: a read, or the one write with its body. */
interface Outgoing {
  readonly method: 'GET' | 'PUT';
  readonly body?: string;
}

interface Exchange {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** Whether the final request carried credentials: a 401 then means they were rejected. */
  readonly sentCredentials: boolean;
}

/** Rejects when `signal` aborts, without waiting for `work` (which keeps running until its own end). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  const reason = (): Error => (signal.reason instanceof Error ? signal.reason : new Error('aborted'));
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(reason());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(reason());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A page's title is looked for only near its start: a sign-in page names itself there. */
const TITLE_SEARCH_CHARS = 64 * 1024;

function parseJsonBody(text: string, contentType: string | undefined, url: string, logger: CmLogger, method: string): unknown {
  const looksLikeHtml = /html/i.test(contentType ?? '') || /^\s*</.test(text);
  if (looksLikeHtml) {
    logger.error(`${method} ${url} returned HTML instead of JSON. Body starts: ${cleanServerText(text.slice(0, 300))}`);
    const rawTitle = /<title[^>]*>([^<]*)/i.exec(text.slice(0, TITLE_SEARCH_CHARS))?.[1];
    const title = rawTitle === undefined ? undefined : cleanServerText(rawTitle, 120);
    throw new CmError({
      kind: 'notJson',
      message: l10n.t`The CM server answered with a web page${title ? ` ("${title}")` : ''} instead of JSON.`,
      hint: l10n.t('This is usually a sign-in page or the wrong address: check mimcm.host and mimcm.apiPath.'),
      action: 'openSettings',
      url,
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    logger.error(
      `${method} ${url} returned unreadable JSON (${cleanServerText(String(error))}). Body starts: ${cleanServerText(text.slice(0, 300))}`,
    );
    throw new CmError({
      kind: 'malformedJson',
      message: l10n.t`The CM server's answer is not valid JSON (${text.length} characters received): ${cleanServerText(error instanceof Error ? error.message : String(error), 120)}.`,
      hint: l10n.t('Retry; if it persists, check the server and anything between you and it. The log shows the start of the answer.'),
      action: 'retry',
      url,
      cause: error,
    });
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function describeCause(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message}`;
  }
  return String(error);
}

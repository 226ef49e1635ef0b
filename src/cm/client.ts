import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { authorizerFor, type Authorizer, type Credentials, type NtlmCredentials } from './auth';
import type { RequestStatusName } from './codes';
import { CredentialGuard, type ReportVerdict } from './credentialGuard';
import { canceledError, CmError } from './errors';
import { createPool, type ProxyRoute } from './dispatcher';
import { errorForStatus } from './httpStatusErrors';
import { errorForTransport, timeoutError } from './transportErrors';
import type { CmEndpoint } from './endpoint';
import { parseRequestGuid } from './guid';
import type { CmLogger } from './logger';
import { authenticateMessage, negotiateMessage, parseChallengeMessage, type ChallengeMessage } from './ntlm/messages';
import type { ClientCertificate } from './tlsOptions';
import { DEFAULT_MAX_RESPONSE_MEGABYTES } from './limits';
import { readBodyText } from './responseBody';
import { checkRoute, statusBody, type HttpMethod, type SettableStatus } from './routes';
import { checkRequestRecord, readRequestList, type ReceivedRequest, type RequestList } from './schemas';
import { cleanServerText, firstFew } from './serverText';
import { ntlmChallenge, offeredSchemes } from './wwwAuthenticate';
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
  private readonly maxResponseBytes: number;
  /** Undefined when nothing secret is sent (no credentials, no proxy sign-in). */
  readonly guard: CredentialGuard | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: CmClientOptions) {
    this.timeoutMs = Math.round(options.timeoutSeconds * 1000);
    const credentials = options.credentials ?? { method: 'none' };
    this.authorize = credentials.method === 'ntlm' ? () => Promise.resolve(undefined) : authorizerFor(credentials);
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_MEGABYTES * 1024 * 1024;
    const sendsSecrets = credentials.method !== 'none' || options.proxy?.authorization !== undefined;
    this.guard = sendsSecrets ? (options.guard ?? new CredentialGuard()) : undefined;
    this.agent = this.createDispatcher(false);
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
      const credentials = this.options.credentials;
      const running =
        credentials?.method === 'ntlm'
          ? this.exchangeNtlm(outgoing, url, combined, phase, credentials)
          : this.exchangePlain(outgoing, url, combined, phase);
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
        method: this.options.credentials?.method ?? 'none',
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

  /**
   * NTLM authenticates a connection, not a request, so the whole handshake (NEGOTIATE, CHALLENGE, AUTHENTICATE
   * and the answer) runs over one dedicated kept-alive connection.
   */
  private async exchangeNtlm(
    outgoing: Outgoing,
    url: string,
    signal: AbortSignal,
    phase: { readingBody: boolean },
    credentials: NtlmCredentials,
  ): Promise<Exchange> {
    const target = new URL(url);
    const connection = this.createDispatcher(true);
    // The handshake's own connection can be torn down at once, also while it is still being set up.
    const abandon = (): void => void connection.destroy().catch(() => undefined);
    signal.addEventListener('abort', abandon, { once: true });
    try {
      // A write carries its body on each leg: a server that skips the handshake acts on the first one.
      // Not user text: the NTLM header.
      const first = await request(url, {
        method: outgoing.method,
        body: outgoing.body,
        dispatcher: connection,
        signal,
        headers: this.headers(`NTLM ${negotiateMessage().toString('base64')}`, outgoing),
      });
      phase.readingBody = true;
      const firstText = await this.readText(first, url);
      phase.readingBody = false;
      const challenge = first.statusCode === 401 ? ntlmChallenge(first.headers['www-authenticate']) : undefined;
      if (challenge === undefined) {
        return { status: first.statusCode, headers: first.headers, text: firstText, sentCredentials: true };
      }
      let parsed: ChallengeMessage;
      try {
        parsed = parseChallengeMessage(challenge.token);
      } catch (error) {
        throw new CmError({
          kind: 'auth',
          message: l10n.t`NTLM sign-in to ${target.host} failed: ${cleanServerText(error instanceof Error ? error.message : String(error))}.`,
          hint: l10n.t('Check that the site has Windows Authentication with the NTLM provider enabled, or use negotiate.'),
          action: 'signIn',
          url,
        });
      }
      const authenticate = authenticateMessage({ userName: credentials.username, password: credentials.password, challenge: parsed });
      const second = await request(url, {
        method: outgoing.method,
        body: outgoing.body,
        dispatcher: connection,
        signal,
        headers: this.headers(`${challenge.scheme} ${authenticate.toString('base64')}`, outgoing),
      });
      phase.readingBody = true;
      const text = await this.readText(second, url);
      return { status: second.statusCode, headers: second.headers, text, sentCredentials: true };
    } finally {
      signal.removeEventListener('abort', abandon);
      abandon();
    }
  }
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

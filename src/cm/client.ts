import type { IncomingHttpHeaders } from 'node:http';
import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';
import { authorizerFor, type Authorizer, type Credentials, type NtlmCredentials } from './auth';
import type { RequestStatusName } from './codes';
import { canceledError, CmError } from './errors';
import { errorForStatus } from './httpStatusErrors';
import { errorForTransport, timeoutError } from './transportErrors';
import type { CmEndpoint } from './endpoint';
import { parseRequestGuid } from './guid';
import type { CmLogger } from './logger';
import { authenticateMessage, negotiateMessage, parseChallengeMessage, type ChallengeMessage } from './ntlm/messages';
import type { ClientCertificate } from './tlsOptions';
import { checkRequestRecord, readRequestList, type ReceivedRequest, type RequestList } from './schemas';
import { ntlmChallenge, offeredSchemes } from './wwwAuthenticate';

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
  readonly proxy?: { readonly url: string; readonly authorization?: string; readonly strictSSL: boolean };
}

const EMPTY_LIST: RequestList = { requests: [], invalid: [] };

/**
 * Reads CM requests over the REST API. Owns one keep-alive connection pool (never the global dispatcher, which
 * other extensions share); call close() when the settings change.
 */
export class CmClient {
  private readonly agent: Dispatcher;
  private readonly timeoutMs: number;
  private readonly connectOptions: { timeout: number; ca?: string[] } & Partial<ClientCertificate>;
  private readonly authorize: Authorizer;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: CmClientOptions) {
    this.timeoutMs = Math.round(options.timeoutSeconds * 1000);
    this.connectOptions = { timeout: this.timeoutMs, ...(options.ca === undefined ? {} : { ca: options.ca }), ...options.clientCertificate };
    const credentials = options.credentials ?? { method: 'none' };
    this.authorize = credentials.method === 'ntlm' ? () => Promise.resolve(undefined) : authorizerFor(credentials);
    this.agent = this.createDispatcher(false);
  }

  /** The server as users name it in messages, e.g. "cm.contoso.com". */
  get hostLabel(): string {
    return new URL(this.options.endpoint.origin).host;
  }

  /** All requests with the given status, filtered by the server (the filter takes names, not codes). */
  async listRequests(status: RequestStatusName, signal: AbortSignal): Promise<RequestList> {
    const url = this.url('requests', { status });
    const body = await this.getJson(url, signal, true);
    if (body === undefined) {
      return EMPTY_LIST;
    }
    const list = readRequestList(body);
    if (list.invalid.length > 0) {
      const details = list.invalid.map((record) => `#${record.index}: ${record.problems}`).join(' | ');
      this.options.logger.warn(`${list.invalid.length} ${status} request record(s) could not be read: ${details}`);
    }
    return list;
  }

  /** One request, or undefined when the server has none with this id (204, or 404 on the id). */
  async getRequest(requestGuid: string, signal: AbortSignal): Promise<ReceivedRequest | undefined> {
    const parsed = parseRequestGuid(requestGuid);
    if (!parsed.ok) {
      throw new CmError({ kind: 'config', message: parsed.message, hint: 'Copy the request GUID from CM or from the Requests view.', action: 'showLog' });
    }
    const id = parsed.guid;
    const url = this.url(`requests/${id}`, {});
    const body = await this.getJson(url, signal, false);
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
      problems.push(record.ok ? `it is request ${record.value.id}` : record.problems);
    }
    this.options.logger.error(`GET ${url}: not a readable record for ${id}: ${problems.join(' | ')}`);
    throw new CmError({
      kind: 'notJson',
      message: `The CM server's answer for request ${id} is not a readable request record (${problems[0]}).`,
      hint: 'Check mimcm.apiPath points at the CM REST API; the log has the details.',
      action: 'showLog',
      url,
    });
  }

  /** Closes the pool once; later calls get the same promise (a closed ProxyAgent throws on a second close). */
  close(): Promise<void> {
    this.closing ??= this.agent.close();
    return this.closing;
  }

  /** A keep-alive pool, through the proxy when there is one; `single` limits it to one connection (NTLM). */
  private createDispatcher(single: boolean): Dispatcher {
    const common = { keepAliveTimeout: 30_000, headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs, ...(single ? { connections: 1, pipelining: 1 } : {}) };
    const proxy = this.options.proxy;
    if (proxy === undefined) {
      return new Agent({ ...common, connect: this.connectOptions });
    }
    return new ProxyAgent({
      ...common,
      uri: proxy.url,
      token: proxy.authorization,
      requestTls: this.connectOptions,
      proxyTls: { timeout: this.timeoutMs, rejectUnauthorized: proxy.strictSSL },
    });
  }

  private url(path: string, query: Record<string, string>): string {
    const { origin, apiPath } = this.options.endpoint;
    const params = new URLSearchParams(query);
    if (this.options.targetUser === 'current') {
      params.set('targetuser', 'current');
    }
    const search = params.toString();
    return `${origin}${apiPath}/${path}${search === '' ? '' : `?${search}`}`;
  }

  /** The parsed JSON body, or undefined when the server says "nothing" (204, empty body, or 404 on an id). */
  private async getJson(url: string, signal: AbortSignal, isApiRoot: boolean): Promise<unknown> {
    const { logger } = this.options;
    const started = Date.now();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = AbortSignal.any([signal, timeout]);
    logger.debug(`GET ${url}`);

    const fail = (error: unknown, whileReadingBody: boolean): CmError => {
      if (signal.aborted) {
        return canceledError(url);
      }
      const failure = timeout.aborted
        ? timeoutError(url, this.options.timeoutSeconds, error)
        : errorForTransport(error, { url, timeoutSeconds: this.options.timeoutSeconds, whileReadingBody, proxyUrl: this.options.proxy?.url });
      logger.error(`GET ${url} failed after ${Date.now() - started} ms: ${failure.message} [${describeCause(error)}]`);
      return failure;
    };

    const phase = { readingBody: false };
    let exchange: Exchange;
    try {
      const credentials = this.options.credentials;
      exchange = credentials?.method === 'ntlm' ? await this.exchangeNtlm(url, combined, phase, credentials) : await this.exchangePlain(url, combined, phase);
    } catch (error) {
      if (error instanceof CmError) {
        throw error;
      }
      throw fail(error, phase.readingBody);
    }
    const { text, headers: responseHeaders } = exchange;
    const status = exchange.status;
    const contentType = headerValue(responseHeaders['content-type']);
    logger.debug(`GET ${url} → ${status} ${contentType ?? '(no content type)'}, ${text.length} chars in ${Date.now() - started} ms`);

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
      });
      logger.error(`GET ${url}: ${error.message} Body starts: ${JSON.stringify(text.slice(0, 300))}`);
      throw error;
    }
    if (text.trim() === '') {
      return undefined;
    }
    return parseJsonBody(text, contentType, url, logger);
  }

  private headers(authorization: string | undefined): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.options.userAgent ?? 'mimcm-requests' };
    if (authorization !== undefined) {
      // Never logged: the header carries the credential.
      headers.authorization = authorization;
    }
    return headers;
  }

  private async exchangePlain(url: string, signal: AbortSignal, phase: { readingBody: boolean }): Promise<Exchange> {
    const authorization = await this.authorize();
    // undici's request() does not follow redirects, so credentials never travel to another origin.
    const response = await request(url, { method: 'GET', dispatcher: this.agent, signal, headers: this.headers(authorization) });
    phase.readingBody = true;
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text, sentCredentials: authorization !== undefined };
  }

  /**
   * NTLM authenticates a connection, not a request, so the whole handshake (NEGOTIATE, CHALLENGE, AUTHENTICATE
   * and the answer) runs over one dedicated kept-alive connection.
   */
  private async exchangeNtlm(url: string, signal: AbortSignal, phase: { readingBody: boolean }, credentials: NtlmCredentials): Promise<Exchange> {
    const target = new URL(url);
    const connection = this.createDispatcher(true);
    try {
      const first = await request(url, { method: 'GET', dispatcher: connection, signal, headers: this.headers(`NTLM ${negotiateMessage().toString('base64')}`) });
      phase.readingBody = true;
      const firstText = await first.body.text();
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
          message: `NTLM sign-in to ${target.host} failed: ${error instanceof Error ? error.message : String(error)}.`,
          hint: 'Check that the site has Windows Authentication with the NTLM provider enabled, or use negotiate.',
          action: 'signIn',
          url,
        });
      }
      const authenticate = authenticateMessage({ userName: credentials.username, password: credentials.password, challenge: parsed });
      const second = await request(url, { method: 'GET', dispatcher: connection, signal, headers: this.headers(`${challenge.scheme} ${authenticate.toString('base64')}`) });
      phase.readingBody = true;
      const text = await second.body.text();
      return { status: second.statusCode, headers: second.headers, text, sentCredentials: true };
    } finally {
      connection.destroy().catch(() => undefined);
    }
  }
}

interface Exchange {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** Whether the final request carried credentials: a 401 then means they were rejected. */
  readonly sentCredentials: boolean;
}

function parseJsonBody(text: string, contentType: string | undefined, url: string, logger: CmLogger): unknown {
  const looksLikeHtml = /html/i.test(contentType ?? '') || /^\s*</.test(text);
  if (looksLikeHtml) {
    logger.error(`GET ${url} returned HTML instead of JSON. Body starts: ${JSON.stringify(text.slice(0, 300))}`);
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    throw new CmError({
      kind: 'notJson',
      message: `The CM server answered with a web page${title ? ` ("${title}")` : ''} instead of JSON.`,
      hint: 'This is usually a sign-in page or the wrong address: check mimcm.host and mimcm.apiPath.',
      action: 'openSettings',
      url,
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    logger.error(`GET ${url} returned unreadable JSON (${String(error)}). Body starts: ${JSON.stringify(text.slice(0, 300))}`);
    throw new CmError({
      kind: 'malformedJson',
      message: `The CM server's answer is not valid JSON (${text.length} characters received; it may be cut short).`,
      hint: 'Retry; if it persists, check the server and anything between you and it. The log shows the start of the answer.',
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

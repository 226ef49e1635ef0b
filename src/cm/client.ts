import { Agent, request } from 'undici';
import { offeredSchemes, type Authorizer } from './auth';
import type { RequestStatusName } from './codes';
import { canceledError, CmError, errorForStatus, errorForTransport, timeoutError } from './errors';
import type { CmEndpoint } from './endpoint';
import { parseRequestGuid } from './guid';
import type { CmLogger } from './logger';
import { checkRequestRecord, readRequestList, type ReceivedRequest, type RequestList } from './schemas';

export type TargetUser = 'all' | 'current';

export interface CmClientOptions {
  readonly endpoint: CmEndpoint;
  readonly targetUser: TargetUser;
  readonly timeoutSeconds: number;
  readonly logger: CmLogger;
  readonly userAgent?: string;
  /** Adds the Authorization header; omitted for servers that need none. */
  readonly authorize?: Authorizer;
  /** CA certificates (PEM) to trust instead of Node's defaults; see tlsTrust.ts. */
  readonly ca?: string[];
}

const EMPTY_LIST: RequestList = { requests: [], invalid: [] };

/**
 * Reads CM requests over the REST API. Owns one keep-alive connection pool (never the global dispatcher, which
 * other extensions share); call close() when the settings change.
 */
export class CmClient {
  private readonly agent: Agent;
  private readonly timeoutMs: number;

  constructor(private readonly options: CmClientOptions) {
    this.timeoutMs = Math.round(options.timeoutSeconds * 1000);
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      connect: { timeout: this.timeoutMs, ...(options.ca === undefined ? {} : { ca: options.ca }) },
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
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

  close(): Promise<void> {
    return this.agent.close();
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
      const failure = timeout.aborted ? timeoutError(url, this.options.timeoutSeconds, error) : errorForTransport(error, url, this.options.timeoutSeconds, whileReadingBody);
      logger.error(`GET ${url} failed after ${Date.now() - started} ms: ${failure.message} [${describeCause(error)}]`);
      return failure;
    };

    // Never logged: the header carries the credential.
    const authorization = await this.options.authorize?.();
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.options.userAgent ?? 'mimcm-requests' };
    if (authorization !== undefined) {
      headers.authorization = authorization;
    }
    let response: Awaited<ReturnType<typeof request>>;
    try {
      // undici's request() does not follow redirects, so credentials never travel to another origin.
      response = await request(url, { method: 'GET', dispatcher: this.agent, signal: combined, headers });
    } catch (error) {
      throw fail(error, false);
    }
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw fail(error, true);
    }
    const status = response.statusCode;
    const contentType = headerValue(response.headers['content-type']);
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
        location: headerValue(response.headers.location),
        sentCredentials: authorization !== undefined,
        offeredSchemes: offeredSchemes(response.headers['www-authenticate']),
      });
      logger.error(`GET ${url}: ${error.message} Body starts: ${JSON.stringify(text.slice(0, 300))}`);
      throw error;
    }
    if (text.trim() === '') {
      return undefined;
    }
    return parseJsonBody(text, contentType, url, logger);
  }
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

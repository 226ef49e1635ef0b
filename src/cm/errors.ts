/** What the user can do about a failure; the tree turns it into the error node's action. */
export type RecoveryAction = 'retry' | 'openSettings' | 'showLog' | 'signIn' | 'signInToProxy' | 'enterPassphrase';

export type CmErrorKind =
  | 'config'
  | 'unauthorized'
  | 'auth'
  | 'forbidden'
  | 'apiNotFound'
  | 'server'
  | 'httpStatus'
  | 'notJson'
  | 'malformedJson'
  | 'truncated'
  | 'timeout'
  | 'connectionRefused'
  | 'connectionReset'
  | 'dns'
  | 'tls'
  | 'proxy'
  | 'network'
  | 'canceled';

export interface CmErrorDetails {
  readonly kind: CmErrorKind;
  /** What happened, in one sentence a CM admin understands. */
  readonly message: string;
  /** What to do about it. */
  readonly hint: string;
  readonly action: RecoveryAction;
  readonly status?: number;
  readonly correlationId?: string;
  readonly url?: string;
  readonly cause?: unknown;
}

export class CmError extends Error {
  readonly kind: CmErrorKind;
  readonly hint: string;
  readonly action: RecoveryAction;
  readonly status: number | undefined;
  readonly correlationId: string | undefined;
  readonly url: string | undefined;

  constructor(details: CmErrorDetails) {
    super(details.message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'CmError';
    this.kind = details.kind;
    this.hint = details.hint;
    this.action = details.action;
    this.status = details.status;
    this.correlationId = details.correlationId;
    this.url = details.url;
  }

  /** A few words for a narrow tree row; message and hint carry the whole story. */
  get summary(): string {
    const http = this.status !== undefined ? ` (HTTP ${this.status})` : '';
    switch (this.kind) {
      case 'config':
        return 'Check the MIM CM connection settings';
      case 'unauthorized':
        return `Sign-in required${http}`;
      case 'auth':
        return 'Sign-in failed';
      case 'forbidden':
        return `Access refused${http}`;
      case 'apiNotFound':
        return `CM REST API not found${http}`;
      case 'server':
        return `CM server error${http}`;
      case 'httpStatus':
        return this.status !== undefined && this.status >= 300 && this.status < 400 ? `Redirected${http}` : `Unexpected answer${http}`;
      case 'notJson':
        return 'The server did not answer with JSON';
      case 'malformedJson':
        return 'Unreadable JSON from the server';
      case 'truncated':
        return 'Answer cut short';
      case 'timeout':
        return 'No answer from the server (timeout)';
      case 'connectionRefused':
        return 'Connection refused';
      case 'connectionReset':
        return 'Connection dropped';
      case 'dns':
        return 'Host name not found';
      case 'tls':
        return 'Secure connection failed (TLS)';
      case 'proxy':
        return this.status === 407 ? 'Proxy sign-in required (HTTP 407)' : `Proxy problem${http}`;
      case 'network':
        return 'Network error';
      case 'canceled':
        return 'Canceled';
    }
  }

  /** One line for logs and notifications: what happened, then what to do. */
  describe(): string {
    return `${this.message} ${this.hint}`;
  }
}

export function isCanceled(error: unknown): boolean {
  return error instanceof CmError && error.kind === 'canceled';
}

export function configError(message: string, hint: string): CmError {
  return new CmError({ kind: 'config', message, hint, action: 'openSettings' });
}

interface ErrorBodyInfo {
  serverMessage?: string;
  correlationId?: string;
}

const CORRELATION_PATTERN = /correlation[\s_-]*id["'\s:=]*\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;

/**
 * Pulls the ASP.NET Web API `Message` (the likely shape of CM error bodies, which are undocumented) and the
 * correlation id CM writes to its event log, so an admin can find the server-side entry.
 */
export function readErrorBody(body: string): ErrorBodyInfo {
  const info: ErrorBodyInfo = {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object') {
      const record = parsed as Record<string, unknown>;
      const message = record.Message ?? record.message ?? record.ExceptionMessage;
      if (typeof message === 'string' && message.trim() !== '') {
        info.serverMessage = message.trim();
      }
      const correlation = record.CorrelationId ?? record.correlationId;
      if (typeof correlation === 'string' && correlation.trim() !== '') {
        info.correlationId = correlation.replace(/[{}]/g, '').trim();
      }
    }
  } catch {
    // Not JSON: the regex below still finds a correlation id in text or HTML bodies.
  }
  info.correlationId ??= CORRELATION_PATTERN.exec(body)?.[1];
  return info;
}

interface HttpFailure {
  status: number;
  body: string;
  url: string;
  /** A 404 on a list means the API itself is missing; on a single request it means "no such request". */
  isApiRoot: boolean;
  location?: string;
  /** Whether this request carried credentials: a 401 then means they were rejected. */
  sentCredentials?: boolean;
  /** The schemes the server's WWW-Authenticate offers. */
  offeredSchemes?: readonly string[];
}

export function errorForStatus({ status, body, url, isApiRoot, location, sentCredentials = false, offeredSchemes = [] }: HttpFailure): CmError {
  const { serverMessage, correlationId } = readErrorBody(body);
  const said = serverMessage !== undefined ? ` The server said: "${serverMessage}"` : '';
  const base = { status, url, correlationId };
  if (status >= 300 && status < 400) {
    return new CmError({
      ...base,
      kind: 'httpStatus',
      message: `The CM server redirected to ${location ?? 'another address'} (HTTP ${status}) instead of answering.`,
      hint: 'A redirect usually leads to a sign-in page (ADFS or forms) or means mimcm.host should use https or another name.',
      action: 'openSettings',
    });
  }
  if (status === 401) {
    const offers = offeredSchemes.length > 0 ? ` It offers ${offeredSchemes.join(', ')}.` : '';
    return new CmError({
      ...base,
      kind: 'unauthorized',
      message: sentCredentials
        ? `The CM server rejected your credentials (HTTP 401).${said}${offers}`
        : `The CM server asks you to sign in (HTTP 401).${said}${offers}`,
      hint: sentCredentials
        ? 'Run "MIM CM: Sign In" to enter them again (for Negotiate, renew your Kerberos ticket), and check mimcm.authentication matches what the server offers.'
        : `Set mimcm.authentication${suggestedMethod(offeredSchemes)} and run "MIM CM: Sign In".`,
      action: 'signIn',
    });
  }
  if (status === 403) {
    return new CmError({
      ...base,
      kind: 'forbidden',
      message: `The CM server refused access (HTTP 403).${said}`,
      hint: 'Your account needs CM permissions on the requests (profile template and management policy rights).',
      action: 'retry',
    });
  }
  if (status === 404 && isApiRoot) {
    return new CmError({
      ...base,
      kind: 'apiNotFound',
      message: `The CM REST API was not found at ${url} (HTTP 404).`,
      hint: 'Check mimcm.host and mimcm.apiPath. On the server the API is off by default: set Clm.WebApi.Enabled to true in the CM web.config and run iisreset.',
      action: 'openSettings',
    });
  }
  if (status >= 500) {
    const correlation = correlationId !== undefined ? ` Correlation id: ${correlationId}.` : '';
    return new CmError({
      ...base,
      kind: 'server',
      message: `The CM server failed with HTTP ${status}.${said}${correlation}`,
      hint: correlationId !== undefined
        ? 'Look up the correlation id in the CM server event log or trace for the cause.'
        : 'Check the CM server event log; retry once the server is healthy.',
      action: 'retry',
    });
  }
  return new CmError({
    ...base,
    kind: 'httpStatus',
    message: `The CM server answered with unexpected HTTP ${status}.${said}`,
    hint: 'Check mimcm.host and mimcm.apiPath, and the log for details.',
    action: 'showLog',
  });
}

function suggestedMethod(offered: readonly string[]): string {
  const lower = offered.map((scheme) => scheme.toLowerCase());
  if (lower.includes('negotiate') && lower.includes('ntlm')) {
    return ' to negotiate (Windows Integrated Authentication with your Kerberos ticket) or ntlm (user name and password)';
  }
  if (lower.includes('negotiate')) {
    return ' to negotiate (Windows Integrated Authentication)';
  }
  if (lower.includes('ntlm')) {
    return ' to ntlm';
  }
  if (lower.includes('bearer')) {
    return ' to bearer (an ADFS access token)';
  }
  if (lower.includes('basic')) {
    return ' to basic';
  }
  return '';
}

const NETWORK_CODES: Record<string, Omit<CmErrorDetails, 'url' | 'cause'>> = {
  ECONNREFUSED: {
    kind: 'connectionRefused',
    message: 'Nothing is listening at the CM host (connection refused).',
    hint: 'Check the host name and port in mimcm.host, and that IIS is running.',
    action: 'openSettings',
  },
  ECONNRESET: {
    kind: 'connectionReset',
    message: 'The CM server dropped the connection.',
    hint: 'Retry; if it keeps happening, check proxies or load balancers between you and the server.',
    action: 'retry',
  },
  UND_ERR_SOCKET: {
    kind: 'connectionReset',
    message: 'The CM server closed the connection before answering.',
    hint: 'Retry; if it keeps happening, check the server and anything between you and it.',
    action: 'retry',
  },
  ENOTFOUND: {
    kind: 'dns',
    message: 'The CM host name could not be resolved (DNS).',
    hint: 'Check the spelling of mimcm.host and that you are on the network (or VPN) that knows it.',
    action: 'openSettings',
  },
  EAI_AGAIN: {
    kind: 'dns',
    message: 'The CM host name could not be resolved right now (DNS lookup failed).',
    hint: 'Check your network or VPN connection, then retry.',
    action: 'retry',
  },
  EHOSTUNREACH: {
    kind: 'network',
    message: 'The CM host cannot be reached from this machine.',
    hint: 'Check your network or VPN connection, then retry.',
    action: 'retry',
  },
  ENETUNREACH: {
    kind: 'network',
    message: 'The network to the CM host is unreachable.',
    hint: 'Check your network or VPN connection, then retry.',
    action: 'retry',
  },
};

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

const TLS_REASONS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in a CA this machine does not trust',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate was issued by a CA this machine does not trust',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate was issued by a CA this machine does not trust',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate does not name this host',
  CERT_NOT_YET_VALID: 'the server certificate is not valid yet',
  EPROTO: 'the TLS handshake failed (is the port speaking https?)',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server did not answer with TLS (is the port speaking http?)',
};

/** Maps what undici or Node threw while sending or receiving into a CmError a user can act on. */
export interface TransportContext {
  readonly url: string;
  readonly timeoutSeconds: number;
  readonly whileReadingBody: boolean;
  /** The proxy in use (without credentials), so its failures are not blamed on the CM server. */
  readonly proxyUrl?: string;
}

export function errorForTransport(error: unknown, { url, timeoutSeconds, whileReadingBody, proxyUrl }: TransportContext): CmError {
  if (proxyUrl !== undefined) {
    const proxyFailure = errorForProxy(error, url, proxyUrl);
    if (proxyFailure !== undefined) {
      return proxyFailure;
    }
  }
  for (const code of errorCodes(error)) {
    if (TIMEOUT_CODES.has(code)) {
      return timeoutError(url, timeoutSeconds, error);
    }
    const tlsReason = TLS_REASONS[code];
    if (tlsReason !== undefined) {
      return new CmError({
        kind: 'tls',
        message: `The secure connection to the CM host failed: ${tlsReason} (${code}).`,
        hint: code === 'ERR_TLS_CERT_ALTNAME_INVALID'
          ? 'Use the host name the certificate was issued for in mimcm.host.'
          : 'If your organisation uses its own CA, set mimcm.tls.caFile to its certificate (PEM); check mimcm.host matches the name on the certificate.',
        action: 'openSettings',
        url,
        cause: error,
      });
    }
    if (whileReadingBody && (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH')) {
      return new CmError({
        kind: 'truncated',
        message: 'The CM server closed the connection in the middle of its answer (the response was cut short).',
        hint: 'Retry; if it keeps happening, check the server and any proxy between you and it.',
        action: 'retry',
        url,
        cause: error,
      });
    }
    const known = NETWORK_CODES[code];
    if (known !== undefined) {
      // A TLS 1.3 server that wants a client certificate just closes the connection after the handshake.
      const hint = known.kind === 'connectionReset' && url.startsWith('https:') ? `${known.hint} If the site requires a client certificate, set mimcm.tls.clientCertificate.` : known.hint;
      return new CmError({ ...known, hint, url, cause: error });
    }
  }
  const text = error instanceof Error ? error.message : String(error);
  return new CmError({
    kind: 'network',
    message: `The request to the CM server failed: ${text}`,
    hint: 'Check mimcm.host and your network, then retry. The log has details.',
    action: 'showLog',
    url,
    cause: error,
  });
}

export function timeoutError(url: string, timeoutSeconds: number, cause?: unknown): CmError {
  return new CmError({
    kind: 'timeout',
    message: `The CM server did not answer within ${timeoutSeconds} s.`,
    hint: 'Retry, or raise mimcm.requestTimeoutSeconds if the server is just slow.',
    action: 'retry',
    url,
    cause,
  });
}

export function canceledError(url: string): CmError {
  return new CmError({ kind: 'canceled', message: 'The request was canceled.', hint: '', action: 'retry', url });
}

/** undici reports a refused CONNECT as "Proxy response (407) !== 200 when HTTP Tunneling". */
function errorForProxy(error: unknown, url: string, proxyUrl: string): CmError | undefined {
  const messages = errorMessages(error).join(' ');
  const status = /Proxy response \((\d{3})\)/.exec(messages)?.[1];
  if (status === '407') {
    return new CmError({
      kind: 'proxy',
      status: 407,
      message: `The proxy ${proxyUrl} asks for credentials (HTTP 407).`,
      hint: 'Run "MIM CM: Sign In to Proxy" with your proxy user name and password.',
      action: 'signInToProxy',
      url,
      cause: error,
    });
  }
  if (status !== undefined) {
    return new CmError({
      kind: 'proxy',
      status: Number(status),
      message: `The proxy ${proxyUrl} refused to connect to the CM server (HTTP ${status}).`,
      hint: 'Ask for the CM host to be allowed through the proxy, or add it to http.noProxy if it is reachable directly.',
      action: 'openSettings',
      url,
      cause: error,
    });
  }
  const codes = errorCodes(error);
  if (codes.includes('ECONNREFUSED') || codes.includes('ENOTFOUND')) {
    return new CmError({
      kind: 'proxy',
      message: `The proxy ${proxyUrl} cannot be reached (${codes.includes('ENOTFOUND') ? 'unknown host' : 'connection refused'}).`,
      hint: 'Check http.proxy (or HTTPS_PROXY) and http.noProxy.',
      action: 'openSettings',
      url,
      cause: error,
    });
  }
  return undefined;
}

function errorMessages(error: unknown): string[] {
  const messages: string[] = [];
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    messages.push(current.message);
  }
  return messages;
}

/** Codes from the error and its causes (undici wraps Node's socket errors, AggregateError holds several). */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) {
      return;
    }
    seen.add(value);
    const { code, cause, errors } = value as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') {
      codes.push(code);
    }
    visit(cause);
    if (Array.isArray(errors)) {
      errors.forEach(visit);
    }
  };
  visit(error);
  return codes;
}

// Explains what undici or Node threw while talking to the CM server (or a proxy) before a usable answer came.
import { CmError, type CmErrorDetails } from './errors';
import * as l10n from '@vscode/l10n';

const networkCodes = (): Record<string, Omit<CmErrorDetails, 'url' | 'cause'>> => ({
  ECONNREFUSED: {
    kind: 'connectionRefused',
    message: l10n.t('Nothing is listening at the CM host (connection refused).'),
    hint: l10n.t('Check the host name and port in mimcm.host, and that IIS is running.'),
    action: 'openSettings',
  },
  ECONNRESET: {
    kind: 'connectionReset',
    message: l10n.t('The CM server dropped the connection.'),
    hint: l10n.t('Retry; if it keeps happening, check proxies or load balancers between you and the server.'),
    action: 'retry',
  },
  UND_ERR_SOCKET: {
    kind: 'connectionReset',
    message: l10n.t('The CM server closed the connection before answering.'),
    hint: l10n.t('Retry; if it keeps happening, check the server and anything between you and it.'),
    action: 'retry',
  },
  ENOTFOUND: {
    kind: 'dns',
    message: l10n.t('The CM host name could not be resolved (DNS).'),
    hint: l10n.t('Check the spelling of mimcm.host and that you are on the network (or VPN) that knows it.'),
    action: 'openSettings',
  },
  EAI_AGAIN: {
    kind: 'dns',
    message: l10n.t('The CM host name could not be resolved right now (DNS lookup failed).'),
    hint: l10n.t('Check your network or VPN connection, then retry.'),
    action: 'retry',
  },
  EHOSTUNREACH: {
    kind: 'network',
    message: l10n.t('The CM host cannot be reached from this machine.'),
    hint: l10n.t('Check your network or VPN connection, then retry.'),
    action: 'retry',
  },
  ENETUNREACH: {
    kind: 'network',
    message: l10n.t('The network to the CM host is unreachable.'),
    hint: l10n.t('Check your network or VPN connection, then retry.'),
    action: 'retry',
  },
});

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

const tlsReasons = (): Record<string, string> => ({
  CERT_HAS_EXPIRED: l10n.t('the server certificate has expired'),
  DEPTH_ZERO_SELF_SIGNED_CERT: l10n.t('the server certificate is self-signed'),
  SELF_SIGNED_CERT_IN_CHAIN: l10n.t('the certificate chain ends in a CA this machine does not trust'),
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: l10n.t('the certificate was issued by a CA this machine does not trust'),
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: l10n.t('the certificate was issued by a CA this machine does not trust'),
  ERR_TLS_CERT_ALTNAME_INVALID: l10n.t('the certificate does not name this host'),
  CERT_NOT_YET_VALID: l10n.t('the server certificate is not valid yet'),
  EPROTO: l10n.t('the TLS handshake failed (is the port speaking https?)'),
  ERR_SSL_WRONG_VERSION_NUMBER: l10n.t('the server did not answer with TLS (is the port speaking http?)'),
});

export interface TransportContext {
  readonly url: string;
  readonly timeoutSeconds: number;
  readonly whileReadingBody: boolean;
  /** The proxy in use (without credentials), so its failures are not blamed on the CM server. */
  readonly proxyUrl?: string;
}

/** Maps what undici or Node threw while sending or receiving into a CmError a user can act on. */
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
    const tlsReason = tlsReasons()[code];
    if (tlsReason !== undefined) {
      return new CmError({
        kind: 'tls',
        message: l10n.t`The secure connection to the CM host failed: ${tlsReason} (${code}).`,
        hint:
          code === 'ERR_TLS_CERT_ALTNAME_INVALID'
            ? l10n.t('Use the host name the certificate was issued for in mimcm.host.')
            : l10n.t(
                'If your organisation uses its own CA, set mimcm.tls.caFile to its certificate (PEM); check mimcm.host matches the name on the certificate.',
              ),
        action: 'openSettings',
        url,
        cause: error,
      });
    }
    if (whileReadingBody && (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH')) {
      return new CmError({
        kind: 'truncated',
        message: l10n.t('The CM server closed the connection in the middle of its answer (the response was cut short).'),
        hint: l10n.t('Retry; if it keeps happening, check the server and any proxy between you and it.'),
        action: 'retry',
        url,
        cause: error,
      });
    }
    const known = networkCodes()[code];
    if (known !== undefined) {
      // A TLS 1.3 server that wants a client certificate just closes the connection after the handshake.
      const hint =
        known.kind === 'connectionReset' && url.startsWith('https:')
          ? l10n.t`${known.hint} If the site requires a client certificate, set mimcm.tls.clientCertificate.`
          : known.hint;
      return new CmError({ ...known, hint, url, cause: error });
    }
  }
  const text = error instanceof Error ? error.message : String(error);
  return new CmError({
    kind: 'network',
    message: l10n.t`The request to the CM server failed: ${text}`,
    hint: l10n.t('Check mimcm.host and your network, then retry. The log has details.'),
    action: 'showLog',
    url,
    cause: error,
  });
}

export function timeoutError(url: string, timeoutSeconds: number, cause?: unknown): CmError {
  return new CmError({
    kind: 'timeout',
    message: l10n.t`The CM server did not answer within ${timeoutSeconds} s.`,
    hint: l10n.t('Retry, or raise mimcm.requestTimeoutSeconds if the server is just slow.'),
    action: 'retry',
    url,
    cause,
  });
}

/** undici reports a refused CONNECT as "Proxy response (407) !== 200 when HTTP Tunneling". */
function errorForProxy(error: unknown, url: string, proxyUrl: string): CmError | undefined {
  const messages = errorMessages(error).join(' ');
  const status = /Proxy response \((\d{3})\)/.exec(messages)?.[1];
  if (status === '407') {
    return new CmError({
      kind: 'proxy',
      status: 407,
      message: l10n.t`The proxy ${proxyUrl} asks for credentials (HTTP 407).`,
      hint: l10n.t('Run "MIM CM: Sign In to Proxy" with your proxy user name and password.'),
      action: 'signInToProxy',
      url,
      cause: error,
    });
  }
  if (status !== undefined) {
    return new CmError({
      kind: 'proxy',
      status: Number(status),
      message: l10n.t`The proxy ${proxyUrl} refused to connect to the CM server (HTTP ${status}).`,
      hint: l10n.t('Ask for the CM host to be allowed through the proxy, or add it to http.noProxy if it is reachable directly.'),
      action: 'openSettings',
      url,
      cause: error,
    });
  }
  const codes = errorCodes(error);
  if (codes.includes('ECONNREFUSED') || codes.includes('ENOTFOUND')) {
    return new CmError({
      kind: 'proxy',
      message: l10n.t`The proxy ${proxyUrl} cannot be reached (${codes.includes('ENOTFOUND') ? l10n.t('unknown host') : l10n.t('connection refused')}).`,
      hint: l10n.t('Check http.proxy (or HTTPS_PROXY) and http.noProxy.'),
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

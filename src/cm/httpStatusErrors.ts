// Explains an HTTP status the CM server answered with: what it means for a CM admin and what to do.
import type { AuthMethod } from './auth';
import { CmError } from './errors';
import { cleanServerText, redactUrl } from './serverText';
import * as l10n from '@vscode/l10n';

interface ErrorBodyInfo {
  serverMessage?: string;
  correlationId?: string;
}

/** An error body is only read for a message; past this size it is not parsed as JSON at all. */
const MAX_ERROR_BODY_PARSED = 16 * 1024 * 1024;

const CORRELATION_PATTERN = /correlation[\s_-]*id["'\s:=]*\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;

/**
 * Pulls the ASP.NET Web API `Message` (the likely shape of CM error bodies, which are undocumented) and the
 * correlation id CM writes to its event log, so an admin can find the server-side entry.
 */
function readErrorBody(fullBody: string): ErrorBodyInfo {
  const info: ErrorBodyInfo = {};
  const body = fullBody.length > MAX_ERROR_BODY_PARSED ? fullBody.slice(0, 64 * 1024) : fullBody;
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object') {
      const record = parsed as Record<string, unknown>;
      const message = record.Message ?? record.message ?? record.ExceptionMessage;
      if (typeof message === 'string' && cleanServerText(message) !== '') {
        info.serverMessage = cleanServerText(message);
      }
      const correlation = record.CorrelationId ?? record.correlationId;
      if (typeof correlation === 'string' && cleanServerText(correlation) !== '') {
        info.correlationId = cleanServerText(correlation.replace(/[{}]/g, ''), 80);
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
  /** mimcm.authentication, to tell "wrong password" from "wrong method". */
  method?: AuthMethod;
}

/** The WWW-Authenticate schemes a method can answer; IIS offers NTLM inside Negotiate too. */
const SCHEMES_FOR_METHOD: Record<Exclude<AuthMethod, 'none' | 'auto'>, readonly string[]> = {
  negotiate: ['negotiate', 'kerberos'],
  ntlm: ['ntlm', 'negotiate'],
  basic: ['basic'],
  bearer: ['bearer'],
  adfs: ['bearer'],
};

export function errorForStatus({
  status,
  body,
  url,
  isApiRoot,
  location,
  sentCredentials = false,
  offeredSchemes = [],
  method = 'none',
}: HttpFailure): CmError {
  const { serverMessage, correlationId } = readErrorBody(body);
  const said = serverMessage !== undefined ? l10n.t` The server said: "${serverMessage}"` : '';
  const base = { status, url, correlationId };
  if (status >= 300 && status < 400) {
    return new CmError({
      ...base,
      kind: 'httpStatus',
      message: l10n.t`The CM server redirected to ${location === undefined ? l10n.t('another address') : redactUrl(location)} (HTTP ${status}) instead of answering.`,
      hint: l10n.t('A redirect usually leads to a sign-in page (ADFS or forms) or means mimcm.host should use https or another name.'),
      action: 'openSettings',
    });
  }
  if (
    status === 401 &&
    sentCredentials &&
    method !== 'none' &&
    method !== 'auto' &&
    offeredSchemes.length > 0 &&
    !offersMethod(offeredSchemes, method)
  ) {
    const offered = offeredSchemes.map((scheme) => cleanServerText(scheme, 40)).join(', ');
    return new CmError({
      ...base,
      kind: 'wrongMethod',
      message: l10n.t`The CM server offers ${offered}; mimcm.authentication is ${method}.`,
      hint: l10n.t`Set mimcm.authentication${suggestedMethod(offeredSchemes)}, then run "MIM CM: Sign In". Your credentials were not rejected: the server does not take this method.`,
      action: 'openSettings',
      offeredSchemes,
    });
  }
  if (status === 401) {
    const offers = offeredSchemes.length > 0 ? l10n.t` It offers ${offeredSchemes.join(', ')}.` : '';
    const notSentHint =
      method === 'auto'
        ? l10n.t('Run "MIM CM: Sign In" and choose one of the methods it offers; the sign-in is kept in VS Code\'s secret storage.')
        : l10n.t`Set mimcm.authentication${suggestedMethod(offeredSchemes)} and run "MIM CM: Sign In".`;
    return new CmError({
      ...base,
      kind: 'unauthorized',
      offeredSchemes,
      message: sentCredentials
        ? l10n.t`The CM server rejected your credentials (HTTP 401).${said}${offers}`
        : l10n.t`The CM server asks you to sign in (HTTP 401).${said}${offers}`,
      hint: sentCredentials
        ? l10n.t(
            'Run "MIM CM: Sign In" to enter them again (for Negotiate, renew your Kerberos ticket), and check mimcm.authentication matches what the server offers.',
          )
        : notSentHint,
      action: 'signIn',
    });
  }
  if (status === 403) {
    return new CmError({
      ...base,
      kind: 'forbidden',
      message: l10n.t`The CM server refused access (HTTP 403).${said}`,
      hint: l10n.t('Your account needs CM permissions on the requests (profile template and management policy rights).'),
      action: 'retry',
    });
  }
  if (status === 404 && isApiRoot) {
    return new CmError({
      ...base,
      kind: 'apiNotFound',
      message: l10n.t`The CM REST API was not found at ${url} (HTTP 404).`,
      hint: l10n.t(
        'Check mimcm.host and mimcm.apiPath. On the server the API is off by default: set Clm.WebApi.Enabled to true in the CM web.config and run iisreset.',
      ),
      action: 'openSettings',
    });
  }
  if (status >= 500) {
    const correlation = correlationId !== undefined ? l10n.t` Correlation id: ${correlationId}.` : '';
    return new CmError({
      ...base,
      kind: 'server',
      message: l10n.t`The CM server failed with HTTP ${status}.${said}${correlation}`,
      hint:
        correlationId !== undefined
          ? l10n.t('Look up the correlation id in the CM server event log or trace for the cause.')
          : l10n.t('Check the CM server event log; retry once the server is healthy.'),
      action: 'retry',
    });
  }
  return new CmError({
    ...base,
    kind: 'httpStatus',
    message: l10n.t`The CM server answered with unexpected HTTP ${status}.${said}`,
    hint: l10n.t('Check mimcm.host and mimcm.apiPath, and the log for details.'),
    action: 'showLog',
  });
}

function offersMethod(offered: readonly string[], method: Exclude<AuthMethod, 'none' | 'auto'>): boolean {
  return offered.some((scheme) => SCHEMES_FOR_METHOD[method].includes(scheme.toLowerCase()));
}

function suggestedMethod(offered: readonly string[]): string {
  const lower = offered.map((scheme) => scheme.toLowerCase());
  if (lower.includes('negotiate') && lower.includes('ntlm')) {
    return l10n.t(' to negotiate (Windows Integrated Authentication with your Kerberos ticket) or ntlm (user name and password)');
  }
  if (lower.includes('negotiate')) {
    return l10n.t(' to negotiate (Windows Integrated Authentication)');
  }
  if (lower.includes('ntlm')) {
    return l10n.t(' to ntlm');
  }
  if (lower.includes('bearer')) {
    return l10n.t(' to bearer (an ADFS access token)');
  }
  if (lower.includes('basic')) {
    return l10n.t(' to basic');
  }
  return '';
}

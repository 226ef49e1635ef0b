import { configError, CmError } from './errors';
import { cleanServerText, redactUrl } from './serverText';
import * as l10n from '@vscode/l10n';

export const DEFAULT_API_PATH = '/CertificateManagement/api/v1.0';

/** Where the CM REST API lives: the server origin plus the IIS virtual folder and API version. */
export interface CmEndpoint {
  readonly origin: string;
  readonly apiPath: string;
}

export type EndpointResult = { ok: true; endpoint: CmEndpoint } | { ok: false; error: CmError };

/**
 * Validates the two connection settings. Plain http is refused except on loopback, because this client will
 * carry Windows credentials to the server once sign-in exists, and a typo should not leak them.
 */
export function resolveEndpoint(host: string, apiPath: string): EndpointResult {
  const trimmed = host.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return fail(
      l10n.t`mimcm.host "${cleanServerText(trimmed, 120)}" is not a URL.`,
      l10n.t('Use the CM server address with its scheme, e.g. https://cm.contoso.com'),
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return fail(
      l10n.t`mimcm.host uses "${cleanServerText(url.protocol, 40)}", which is not a web address.`,
      l10n.t('Use https://, e.g. https://cm.contoso.com'),
    );
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    return fail(
      l10n.t`mimcm.host uses plain http to ${url.hostname}.`,
      l10n.t('Use https:// for a CM server; http is only allowed for localhost (e.g. the CM simulator).'),
    );
  }
  if (url.username !== '' || url.password !== '') {
    return fail(l10n.t('mimcm.host contains a user name or password.'), l10n.t('Remove them: credentials never belong in settings.'));
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    return fail(
      l10n.t`mimcm.host "${redactUrl(trimmed, 120)}" has a path or query.`,
      l10n.t`Set mimcm.host to just the server (${url.origin}) and put the path in mimcm.apiPath.`,
    );
  }
  if (/^\s*[a-z][a-z0-9+.-]*:\/\//i.test(apiPath)) {
    return fail(
      l10n.t`mimcm.apiPath "${redactUrl(apiPath.trim(), 120)}" is a whole address, not a path.`,
      l10n.t`Put the server in mimcm.host (${url.origin}) and only the path, such as ${DEFAULT_API_PATH}, in mimcm.apiPath.`,
    );
  }
  const path = normalizeApiPath(apiPath);
  if (path === undefined) {
    return fail(
      l10n.t`mimcm.apiPath "${cleanServerText(apiPath, 120)}" is not a usable path.`,
      l10n.t`Use a path such as ${DEFAULT_API_PATH}: no "." or ".." segments (also not percent-encoded), no "?", "#", "\\" or control characters.`,
    );
  }
  return { ok: true, endpoint: { origin: url.origin, apiPath: path } };
}

/**
 * "/CertificateManagement/api/v1.0/" and "CertificateManagement/api/v1.0" both become the canonical form.
 * Segments are judged after percent-decoding, as the server will read them: "%2e%2e" is "..", "%2F" a slash.
 */
function normalizeApiPath(apiPath: string): string | undefined {
  const segments = apiPath
    .trim()
    .split('/')
    .filter((segment) => segment !== '');
  const decoded = segments.map(decodeSafely);
  if (
    decoded.some((segment) => segment === undefined || segment === '.' || segment === '..' || /[/?#\\\u0000-\u001f\u007f]/.test(segment))
  ) {
    return undefined;
  }
  return (decoded as string[]).map((segment) => `/${encodeURIComponent(segment)}`).join('');
}

/** Undefined for a broken escape ("%zz"), which no server would read the same way twice. */
function decodeSafely(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** This machine's own addresses, where plain http never leaves the host. */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function fail(message: string, hint: string): EndpointResult {
  return { ok: false, error: configError(message, hint) };
}

import * as l10n from '@vscode/l10n';
const GUID_PATTERN = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

export const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

export type GuidParseResult = { ok: true; guid: string } | { ok: false; message: string };

/**
 * Accepts a request GUID as admins copy it from CM, logs, JSON or PowerShell: with or without braces, any case,
 * surrounding spaces, in quotes and with the comma that ends a JSON line. Returns the lower-case canonical form
 * so one request always maps to one tab and one URL.
 */
export function parseRequestGuid(input: string): GuidParseResult {
  const text = unquote(input.trim());
  if (text === '') {
    return { ok: false, message: l10n.t('Enter a request GUID, e.g. a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099') };
  }
  const match = GUID_PATTERN.exec(text);
  if (match?.[1] === undefined || text.startsWith('{') !== text.endsWith('}')) {
    return {
      ok: false,
      message: l10n.t`"${shorten(text)}" is not a GUID: expected 32 hex digits as 8-4-4-4-12, e.g. a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099`,
    };
  }
  return { ok: true, guid: match[1].toLowerCase() };
}

/** `"…",` from a JSON line, `'…'` from PowerShell: one pair of matching quotes, and a trailing comma or semicolon. */
function unquote(text: string): string {
  const bare = text.replace(/[,;]$/, '').trim();
  const quoted = /^(["'`])(.*)\1$/s.exec(bare) ?? /^\u201c(.*)\u201d$/s.exec(bare);
  const inner = quoted === null ? undefined : quoted[quoted.length - 1];
  return inner === undefined ? bare : inner.trim();
}

function shorten(text: string): string {
  return text.length > 48 ? `${text.slice(0, 45)}...` : text;
}

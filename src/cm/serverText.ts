import * as l10n from '@vscode/l10n';
// What a server (or a hand-edited setting) sends is data, never UI: everything here bounds it and removes what
// could forge log lines, reorder text on screen (bidi overrides) or drive a terminal (ANSI escapes).

/** Longest piece of server text put into a message, tree row or log line. */
export const MAX_SERVER_TEXT = 300;

// ANSI/VT escape sequences: CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), and two-byte escapes.
const ANSI_ESCAPE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;
// C0 and C1 controls, DEL, bidi embeddings/overrides/isolates and marks, line/paragraph separators, BOM,
// zero-width joiners and spaces, and lone surrogates (which cannot be encoded and garble output).
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Server text made safe to show on one line: escapes and invisible or direction-changing characters removed,
 * line breaks and tabs turned into spaces, runs of spaces collapsed, and cut to `max` characters.
 */
export function cleanServerText(text: string, max = MAX_SERVER_TEXT): string {
  // Cut before cleaning as well, so a 50 MB string costs no more than a short one.
  const head = text.length > max * 4 + 64 ? text.slice(0, max * 4 + 64) : text;
  const cleaned = head
    .replace(ANSI_ESCAPE, '')
    .replace(/[\t\n\r\u000b\u000c\u0085\u2028\u2029]+/g, ' ')
    .replace(UNSAFE, '')
    .replace(/ {2,}/g, ' ')
    .trim();
  const dropped = text.length - head.length;
  return shorten(cleaned, max, dropped);
}

/**
 * `text` cut to `max` characters with what was left out said plainly ("… 49,999,000 more characters"). Never
 * splits a surrogate pair.
 */
export function shorten(text: string, max: number, alreadyDropped = 0): string {
  if (text.length <= max && alreadyDropped === 0) {
    return text;
  }
  let end = Math.min(max, text.length);
  if (end > 0 && end < text.length && /[\ud800-\udbff]/.test(text.charAt(end - 1))) {
    end -= 1;
  }
  const more = text.length - end + alreadyDropped;
  if (more === 0) {
    return text;
  }
  const head = text.slice(0, end);
  return more === 1 ? l10n.t`${head}… 1 more character` : l10n.t`${head}… ${more.toLocaleString('en-US')} more characters`;
}

/**
 * A URL to show or log: user name and password removed (a `Location` or proxy URL may carry them), the rest
 * cleaned and bounded. Text that is not a URL is cleaned the same way, with anything before an `@` in its
 * authority hidden.
 */
export function redactUrl(url: string, max = MAX_SERVER_TEXT): string {
  try {
    const parsed = new URL(url);
    if (parsed.username !== '' || parsed.password !== '') {
      parsed.username = '';
      parsed.password = '';
    }
    return cleanServerText(parsed.href, max);
  } catch {
    return cleanServerText(url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1'), max);
  }
}

/**
 * JSON for a value of any depth and size, bounded: at most `max` characters and `maxDepth` levels, deeper
 * levels written as "[…]" / "{…}". Never throws (JSON.stringify overflows the stack on very deep input).
 */
export function boundedJson(value: unknown, max = MAX_SERVER_TEXT, maxDepth = 8): string {
  const parts: string[] = [];
  let length = 0;
  const push = (text: string): boolean => {
    parts.push(text);
    length += text.length;
    return length <= max;
  };
  const write = (current: unknown, depth: number): boolean => {
    if (current === null || typeof current !== 'object') {
      const text =
        typeof current === 'string'
          ? JSON.stringify(current.length > max ? current.slice(0, max + 1) : current)
          : String(JSON.stringify(current) ?? 'null');
      return push(text);
    }
    const isArray = Array.isArray(current);
    if (depth >= maxDepth) {
      return push(isArray ? '[…]' : '{…}');
    }
    if (!push(isArray ? '[' : '{')) {
      return false;
    }
    let first = true;
    for (const [key, item] of isArray ? current.entries() : Object.entries(current)) {
      if (!first && !push(',')) {
        return false;
      }
      first = false;
      if (!isArray && !push(`${JSON.stringify(key)}:`)) {
        return false;
      }
      if (!write(item, depth + 1)) {
        return false;
      }
    }
    return push(isArray ? ']' : '}');
  };
  write(value, 0);
  return shorten(parts.join(''), max);
}

/** One line for a list of items that may be long: a count, then the first few, then how many more. */
export function firstFew(items: readonly string[], few = 3): string {
  const shown = items.slice(0, few).join(' | ');
  return items.length > few ? l10n.t`${shown} | … and ${items.length - few} more` : shown;
}

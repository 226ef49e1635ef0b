import type { ReceivedRequest } from '../cm/schemas';
import { boundedJson } from '../cm/serverText';
import * as l10n from '@vscode/l10n';

/** Nesting deeper than this is not a CM request; JSON.stringify would overflow the stack long before V8's parser. */
const MAX_DEPTH = 1000;

/**
 * The server's record as the user sees it: its own keys, in its order, pretty-printed. A record nested too
 * deeply to print whole is shown cut at that depth, with a first line that says so, instead of failing.
 */
export function requestJson(received: ReceivedRequest): string {
  return prettyJson(received.raw);
}

/** Any server object the same way (the documents of linked objects). */
export function prettyJson(value: unknown): string {
  if (depthExceeds(value, MAX_DEPTH)) {
    return `${JSON.stringify({ note: l10n.t`This record is nested more than ${MAX_DEPTH} levels deep; it is shown cut at 20 levels.`, record: boundedJson(value, 1_000_000, 20) }, null, 2)}\n`;
  }
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Iterative, so that measuring the depth cannot overflow the stack either. */
function depthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (current === null || typeof current !== 'object') {
      continue;
    }
    if (depth >= limit) {
      return true;
    }
    for (const item of Array.isArray(current) ? current : Object.values(current)) {
      if (item !== null && typeof item === 'object') {
        stack.push([item, depth + 1]);
      }
    }
  }
  return false;
}

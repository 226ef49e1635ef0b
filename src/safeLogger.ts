import type { CmLogger } from './cm/logger';

/** Longest log line; anything longer is cut with a note. */
const MAX_LINE = 4000;
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The last line of defence for the output channel: whatever a caller passes, no control or direction-changing
 * characters and no line longer than MAX_LINE reach it (server text is also cleaned where it is quoted).
 */
export function safeLogger(log: CmLogger): CmLogger {
  const clean = (message: string): string => {
    // Not user text: log lines stay in English, like VS Code's own logs.
    const text = message.length > MAX_LINE ? `${message.slice(0, MAX_LINE)}… (${message.length - MAX_LINE} more characters)` : message;
    return text.replace(UNSAFE, '');
  };
  return {
    trace: (message) => log.trace(clean(message)),
    debug: (message) => log.debug(clean(message)),
    info: (message) => log.info(clean(message)),
    warn: (message) => log.warn(clean(message)),
    error: (message) => log.error(clean(message)),
  };
}

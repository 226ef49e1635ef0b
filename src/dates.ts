import type { DateFormatter } from './model/requestSummary';

/** Formats dates in VS Code's display language, falling back to the runtime's when ICU does not know it. */
export function localDateFormatter(language: string): DateFormatter {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  } catch {
    format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }
  return (date) => format.format(date);
}

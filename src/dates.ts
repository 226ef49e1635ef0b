import type { DateFormatter } from './model/cmDates';

/**
 * Formats dates in VS Code's display language, falling back to the runtime's when ICU does not know it. The
 * formatter is made on first use: loading ICU's locale data costs more than the rest of activation.
 */
export function localDateFormatter(language: string): DateFormatter {
  let format: Intl.DateTimeFormat | undefined;
  return (date) => {
    if (format === undefined) {
      try {
        format = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
      } catch {
        format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
      }
    }
    return format.format(date);
  };
}

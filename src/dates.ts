import type { DateFormatter } from './model/cmDates';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** A date table kept for longer than this many days starts again: dates a server sends are not unbounded memory. */
const MAX_DAYS = 20_000;
/**
 * From 1980 on, every time zone is a whole number of minutes from UTC (the last offset with seconds, Liberia's,
 * ended in 1972), so the local minute is known from getTimezoneOffset, which rounds to minutes.
 */
const WHOLE_MINUTE_OFFSETS_FROM = Date.UTC(1980, 0, 1);

/**
 * Formats dates in VS Code's display language, falling back to the runtime's when ICU does not know it. The
 * formatter is made on first use: loading ICU's locale data costs more than the rest of activation.
 */
export function localDateFormatter(language: string): DateFormatter {
  let format: DateFormatter | undefined;
  return (date) => {
    format ??= splitFormatter(language);
    return format(date);
  };
}

function dateTimeFormat(language: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(language, options);
  } catch {
    return new Intl.DateTimeFormat(undefined, options);
  }
}

/**
 * Date and time as one text, made from a date part cached per local day and a time part cached per minute of
 * the day. Formatting every date of 200k requests for the filter was half of building its index, and a CM
 * database has a few thousand days and 1,440 minutes. Used only when the language writes date and time as
 * "<date><joiner><time>" (checked on sample dates); otherwise every date is formatted whole.
 */
function splitFormatter(language: string): DateFormatter {
  const whole = dateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  const datePart = dateTimeFormat(language, { dateStyle: 'medium' });
  const timePart = dateTimeFormat(language, { timeStyle: 'short' });
  const joiner = joinerOf(whole, datePart, timePart);
  if (joiner === undefined) {
    return (date) => whole.format(date);
  }
  const days = new Map<number, string>();
  const minutes = new Map<number, string>();
  return (date) => {
    const time = date.getTime();
    if (!Number.isFinite(time) || time < WHOLE_MINUTE_OFFSETS_FROM) {
      return whole.format(date);
    }
    const local = time - date.getTimezoneOffset() * MINUTE_MS;
    const day = Math.floor(local / DAY_MS);
    const minute = Math.floor((local - day * DAY_MS) / MINUTE_MS);
    let dateText = days.get(day);
    if (dateText === undefined) {
      if (days.size >= MAX_DAYS) {
        days.clear();
      }
      dateText = datePart.format(date);
      days.set(day, dateText);
    }
    let timeText = minutes.get(minute);
    if (timeText === undefined) {
      timeText = timePart.format(date);
      minutes.set(minute, timeText);
    }
    return dateText + joiner + timeText;
  };
}

/** What the language puts between date and time, if it writes them in that order alike on every sample date. */
function joinerOf(whole: Intl.DateTimeFormat, datePart: Intl.DateTimeFormat, timePart: Intl.DateTimeFormat): string | undefined {
  let joiner: string | undefined;
  for (const sample of [Date.UTC(2024, 0, 5, 9, 7), Date.UTC(2025, 10, 23, 23, 59), Date.UTC(2026, 6, 14, 12, 30)]) {
    const text = whole.format(sample);
    const dateText = datePart.format(sample);
    const timeText = timePart.format(sample);
    if (!text.startsWith(dateText) || !text.endsWith(timeText) || text.length < dateText.length + timeText.length) {
      return undefined;
    }
    const between = text.slice(dateText.length, text.length - timeText.length);
    if (joiner !== undefined && between !== joiner) {
      return undefined;
    }
    joiner = between;
  }
  return joiner;
}

import { cleanServerText } from '../cm/serverText';
import * as l10n from '@vscode/l10n';

/** What CM writes for "no date" (.NET DateTime.MinValue), as Completed until a request is done. */
export const NOT_COMPLETED = '0001-01-01T00:00:00';

export type DateFormatter = (date: Date) => string;

/** A CM date in local time; "not completed" for .NET's minimum date or none; unreadable text shown cleaned. */
export function formatCmDate(value: string | null | undefined, formatDate: DateFormatter): string {
  if (value === null || value === undefined || value.trim() === '' || value.startsWith(NOT_COMPLETED)) {
    return l10n.t('not completed');
  }
  const time = utcTime(value) ?? Date.parse(value);
  return Number.isNaN(time) ? cleanServerText(value, 80) : formatDate(new Date(time));
}

/** Epoch ms of a CM date, undefined for none (.NET's minimum date) or unreadable text. */
export function cmTime(value: string | null | undefined): number | undefined {
  if (typeof value !== 'string' || value === '' || value.startsWith('0001-01-01')) {
    return undefined;
  }
  const time = utcTime(value) ?? Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

const DAY_MS = 86_400_000;

/**
 * Epoch ms of the form CM writes (`2015-07-07T23:36:21.93Z`: UTC, up to 9 fraction digits), read digit by
 * digit; undefined for any other form, which Date.parse then reads. A refresh reads a date for every request,
 * and this is several times faster than Date.parse. Days past the 28th are left to Date.parse too, so a date
 * this reads is always a real one and always the time Date.parse gives (a property test holds it to that).
 */
export function utcTime(text: string): number | undefined {
  const length = text.length;
  if (length < 20 || text.charCodeAt(length - 1) !== 0x5a || text.charCodeAt(10) !== 0x54) {
    return undefined;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (
    text.charCodeAt(4) !== 0x2d ||
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(13) !== 0x3a ||
    text.charCodeAt(16) !== 0x3a ||
    year < 1970 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 28 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  ) {
    return undefined;
  }
  let millis = 0;
  if (length > 20) {
    const fractionDigits = length - 21;
    // .NET writes up to 7 digits; V8 reads 10 or more its own way.
    if (text.charCodeAt(19) !== 0x2e || fractionDigits < 1 || fractionDigits > 9) {
      return undefined;
    }
    const fraction = digits(text, 20, fractionDigits);
    if (fraction < 0) {
      return undefined;
    }
    // Date.parse keeps milliseconds and drops finer digits.
    const kept = digits(text, 20, Math.min(3, fractionDigits));
    millis = kept * (fractionDigits === 1 ? 100 : fractionDigits === 2 ? 10 : 1);
  }
  return daysSinceEpoch(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
}

/** The decimal number written in `count` characters from `start`, or -1 when one of them is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let offset = start; offset < start + count; offset++) {
    const digit = text.charCodeAt(offset) - 0x30;
    if (digit < 0 || digit > 9) {
      return -1;
    }
    value = value * 10 + digit;
  }
  return value;
}

/** Days from 1970-01-01 to a Gregorian date from 1970 on: whole 400-year cycles of March-based years, then the rest. */
function daysSinceEpoch(year: number, month: number, day: number): number {
  const marchYear = month <= 2 ? year - 1 : year;
  const cycle = Math.floor(marchYear / 400);
  const yearOfCycle = marchYear - cycle * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfCycle = yearOfCycle * 365 + Math.floor(yearOfCycle / 4) - Math.floor(yearOfCycle / 100) + dayOfYear;
  return cycle * 146_097 + dayOfCycle - 719_468;
}

import { cleanServerText } from '../cm/serverText';
import * as l10n from '@vscode/l10n';

/** CM writes this for "no date" (.NET DateTime.MinValue). */
const NEVER = /^0001-01-01T00:00:00/;

export type DateFormatter = (date: Date) => string;

/** A CM date in local time; "not completed" for .NET's minimum date or none; unreadable text shown cleaned. */
export function formatCmDate(value: string | null | undefined, formatDate: DateFormatter): string {
  if (value === null || value === undefined || value.trim() === '' || NEVER.test(value)) {
    return l10n.t('not completed');
  }
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? cleanServerText(value, 80) : formatDate(parsed);
}

/** Epoch ms of a CM date, undefined for none (.NET's minimum date) or unreadable text. */
export function cmTime(value: string | null | undefined): number | undefined {
  if (typeof value !== 'string' || value === '' || value.startsWith('0001-01-01')) {
    return undefined;
  }
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

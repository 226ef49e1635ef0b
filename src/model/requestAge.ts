// How old a request is, in the few characters a tree row has room for, and whether it has waited too long.
// Computed from the submission time on the host, so rows age without asking the server again.
import type { RequestStatusName } from '../cm/codes';
import * as l10n from '@vscode/l10n';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Statuses in which a request is still waiting for someone (an approver, the user, the CM service). */
export const OPEN_STATUSES: ReadonlySet<RequestStatusName> = new Set(['Pending', 'Approved', 'Executing']);

/** "now", "12 min", "5 h", "3 d", "14 mo", "2 y": the largest unit that fits, rounded down. */
export function formatAge(milliseconds: number): string {
  if (!Number.isFinite(milliseconds) || milliseconds < MINUTE) {
    return l10n.t('now');
  }
  if (milliseconds < HOUR) {
    return l10n.t`${Math.floor(milliseconds / MINUTE)} min`;
  }
  if (milliseconds < DAY) {
    return l10n.t`${Math.floor(milliseconds / HOUR)} h`;
  }
  const days = Math.floor(milliseconds / DAY);
  if (days < 60) {
    return l10n.t`${days} d`;
  }
  return days < 730 ? l10n.t`${Math.floor(days / 30.4375)} mo` : l10n.t`${Math.floor(days / 365.25)} y`;
}

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h": a duration such as Submitted → Completed, to two units. */
export function formatDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds) || milliseconds < 0) {
    return l10n.t('unknown');
  }
  if (milliseconds < MINUTE) {
    return l10n.t`${Math.round(milliseconds / 1000)} s`;
  }
  if (milliseconds < HOUR) {
    return l10n.t`${Math.floor(milliseconds / MINUTE)} min`;
  }
  if (milliseconds < DAY) {
    const minutes = Math.floor((milliseconds % HOUR) / MINUTE);
    return minutes === 0 ? l10n.t`${Math.floor(milliseconds / HOUR)} h` : l10n.t`${Math.floor(milliseconds / HOUR)} h ${minutes} min`;
  }
  const hours = Math.floor((milliseconds % DAY) / HOUR);
  return hours === 0 ? l10n.t`${Math.floor(milliseconds / DAY)} d` : l10n.t`${Math.floor(milliseconds / DAY)} d ${hours} h`;
}

export interface RowAge {
  /** "3 d", or "waiting 12 d" once an open request is past the warning age. */
  readonly text: string;
  readonly overdue: boolean;
}

/**
 * The age a row shows. `warningDays` 0 turns the warning off; a request without a readable submission time
 * has no age.
 */
export function rowAge(status: RequestStatusName, submitted: number | undefined, now: number, warningDays: number): RowAge | undefined {
  if (submitted === undefined || !Number.isFinite(submitted)) {
    return undefined;
  }
  const age = Math.max(0, now - submitted);
  const overdue = warningDays > 0 && OPEN_STATUSES.has(status) && age >= warningDays * DAY;
  return { text: overdue ? l10n.t`waiting ${formatAge(age)}` : formatAge(age), overdue };
}

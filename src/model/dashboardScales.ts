import * as l10n from '@vscode/l10n';
// The dashboard's scales, shared by the engine that counts and the webview that draws: no imports, so the
// webview's bundle takes only these few lines.

export const DAY = 24 * 60 * 60 * 1000;

export const DASHBOARD_RANGES = [7, 30, 90, 365, 0] as const;
/** Days shown in the submissions chart; 0 means all. */
export type DashboardRange = (typeof DASHBOARD_RANGES)[number];

/** Upper bounds (days) of the aging histogram's buckets; the last bucket is open-ended. */
export const AGE_BUCKETS = [1, 7, 30, 90, 365] as const;

/** "< 1 d", "1–7 d", …, "≥ 365 d": one label per bucket of AGE_BUCKETS and the open-ended last one. */
export function ageBucketLabels(): string[] {
  return [
    `< ${AGE_BUCKETS[0]} d`,
    ...AGE_BUCKETS.slice(1).map((bound, index) => `${AGE_BUCKETS[index]}–${bound} d`),
    `≥ ${AGE_BUCKETS[AGE_BUCKETS.length - 1]} d`,
  ];
}

export function rangeLabel(range: DashboardRange): string {
  return range === 0 ? 'All' : range === 365 ? l10n.t('Last year') : l10n.t`Last ${range} days`;
}

/** A duration as a report shows it: "45 s", "12 min", "3.5 h", "2.1 d" (one decimal below ten). */
export function formatDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds) || milliseconds < 0) {
    return '–';
  }
  const units: [number, string][] = [
    [DAY, 'd'],
    [60 * 60 * 1000, 'h'],
    [60 * 1000, 'min'],
    [1000, 's'],
  ];
  for (const [size, unit] of units) {
    if (milliseconds >= size || unit === 's') {
      const value = milliseconds / size;
      return `${value < 10 ? (Math.round(value * 10) / 10).toString() : Math.round(value).toString()} ${unit}`;
    }
  }
  return '–';
}

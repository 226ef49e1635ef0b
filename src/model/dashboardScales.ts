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
    l10n.t`< ${AGE_BUCKETS[0]} d`,
    ...AGE_BUCKETS.slice(1).map((bound, index) => l10n.t`${AGE_BUCKETS[index] ?? 0}–${bound} d`),
    l10n.t`≥ ${AGE_BUCKETS[AGE_BUCKETS.length - 1] ?? 0} d`,
  ];
}

export function rangeLabel(range: DashboardRange): string {
  return range === 0 ? l10n.t('All') : range === 365 ? l10n.t('Last year') : l10n.t`Last ${range} days`;
}

/**
 * A duration as a report shows it: "45 s", "12 min", "3.5 h", "2.1 d" (one decimal below ten), in the units and
 * decimal sign of `locale` (the page's language when undefined).
 */
export function formatDuration(milliseconds: number, locale?: string): string {
  if (!Number.isFinite(milliseconds) || milliseconds < 0) {
    return '–';
  }
  const units: [number, (value: string) => string][] = [
    [DAY, (value) => l10n.t`${value} d`],
    [60 * 60 * 1000, (value) => l10n.t`${value} h`],
    [60 * 1000, (value) => l10n.t`${value} min`],
    [1000, (value) => l10n.t`${value} s`],
  ];
  for (const [index, [size, unit]] of units.entries()) {
    if (milliseconds >= size || index === units.length - 1) {
      const value = milliseconds / size;
      return unit(value.toLocaleString(locale, { maximumFractionDigits: value < 10 ? 1 : 0 }));
    }
  }
  return '–';
}

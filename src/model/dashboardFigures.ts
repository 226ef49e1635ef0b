// The figures of a server's dashboard, from the requests the engine has loaded (no server call): headline
// counts, submissions per day or week by current status, the age of open requests, a status × type × template
// pivot, and time to complete. Plain data, built in one pass over typed arrays, for the webview to draw.
import { REQUEST_STATUSES, requestTypeName, type RequestStatusName } from '../cm/codes';
import { OPEN_STATUSES } from './requestAge';
import type { LoadedRequests } from './requestView';
import { cmTime } from './cmDates';
import { templateKey } from './templateNames';
import { AGE_BUCKETS, DAY, type DashboardRange } from './dashboardScales';

export interface DurationFigures {
  readonly key: string;
  readonly label: string;
  readonly count: number;
  /** Milliseconds. */
  readonly median: number;
  readonly p90: number;
}

export interface DashboardFigures {
  readonly total: number;
  readonly byStatus: Partial<Record<RequestStatusName, number>>;
  readonly open: number;
  /** The open request waiting longest, and since when (epoch ms). */
  readonly oldestOpen?: { readonly id: string; readonly submitted: number };
  readonly completedLast7: number;
  readonly completedLast30: number;
  /** Failed ÷ (Completed + Failed): how often finished work fails. Undefined with nothing finished. */
  readonly failureRate?: number;
  /** Submissions per bucket (a day, or a week for long ranges), stacked by current status. */
  readonly submissions: {
    readonly bucketDays: 1 | 7;
    readonly start: number;
    readonly counts: Readonly<Record<RequestStatusName, readonly number[]>>;
  };
  /** Open requests per age bucket (see AGE_BUCKETS) and status. */
  readonly aging: Readonly<Record<'Pending' | 'Approved' | 'Executing', readonly number[]>>;
  /** [status, type, template key] → count; template labels in `templates`. */
  readonly pivot: readonly (readonly [RequestStatusName, string, string, number])[];
  readonly templates: Readonly<Record<string, string>>;
  readonly durationsByType: readonly DurationFigures[];
  readonly durationsByTemplate: readonly DurationFigures[];
}

/**
 * Every figure at once. `now` fixes "today" (tests pass one); `range` bounds the submissions chart (0 = from the
 * oldest request); `templateName` names template GUIDs; `subset` (indices into `data.all`) limits the figures to
 * the requests a filter shows.
 */
export function dashboardFigures(
  data: LoadedRequests,
  range: DashboardRange,
  now: number,
  templateName: (id: string) => string | undefined,
  subset?: ArrayLike<number>,
): DashboardFigures {
  const total = subset?.length ?? data.all.length;
  const at = subset === undefined ? (position: number) => position : (position: number) => subset[position] ?? 0;
  const byStatus: Partial<Record<RequestStatusName, number>> = {};
  let oldestOpen: { id: string; submitted: number } | undefined;
  let completedLast7 = 0;
  let completedLast30 = 0;
  let oldest = now;
  for (let position = 0; position < total; position++) {
    const time = data.times[at(position)] ?? Number.NEGATIVE_INFINITY;
    if (Number.isFinite(time) && time < oldest) {
      oldest = time;
    }
  }
  const bucketDays: 1 | 7 = range === 0 ? (now - oldest > 120 * DAY ? 7 : 1) : range > 90 ? 7 : 1;
  const start = startOfDay(range === 0 ? oldest : now - range * DAY, bucketDays);
  const bucketCount = Math.max(1, Math.ceil((now - start) / (bucketDays * DAY)));
  const submissions = Object.fromEntries(REQUEST_STATUSES.map((status) => [status, new Array<number>(bucketCount).fill(0)])) as Record<
    RequestStatusName,
    number[]
  >;
  const aging = { Pending: ageBuckets(), Approved: ageBuckets(), Executing: ageBuckets() };
  const pivot = new Map<string, number>();
  const templates: Record<string, string> = {};
  const typeDurations = new Map<string, number[]>();
  const templateDurations = new Map<string, number[]>();

  for (let position = 0; position < total; position++) {
    const index = at(position);
    const received = data.all[index];
    if (received === undefined) {
      continue;
    }
    const { request } = received;
    const status = data.status(index);
    const submitted = data.times[index] ?? Number.NEGATIVE_INFINITY;
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    const type = requestTypeName(request.RequestType);
    const template = templateKey(request.ProfileTemplateUuid) ?? '';
    templates[template] ??= template === '' ? 'No template' : (templateName(template) ?? `Template ${template.slice(0, 8)}`);
    const pivotKey = `${status}\u0000${type}\u0000${template}`;
    pivot.set(pivotKey, (pivot.get(pivotKey) ?? 0) + 1);

    if (Number.isFinite(submitted)) {
      const bucket = Math.floor((submitted - start) / (bucketDays * DAY));
      if (bucket >= 0 && bucket < bucketCount) {
        submissions[status][bucket] = (submissions[status][bucket] ?? 0) + 1;
      }
    }
    if (OPEN_STATUSES.has(status) && Number.isFinite(submitted)) {
      if (oldestOpen === undefined || submitted < oldestOpen.submitted) {
        oldestOpen = { id: received.id, submitted };
      }
      const ages = aging[status as keyof typeof aging];
      ages[ageBucket(now - submitted)] = (ages[ageBucket(now - submitted)] ?? 0) + 1;
    }
    if (status === 'Completed') {
      const completed = cmTime(request.Completed);
      if (completed !== undefined) {
        completedLast7 += now - completed <= 7 * DAY ? 1 : 0;
        completedLast30 += now - completed <= 30 * DAY ? 1 : 0;
        if (Number.isFinite(submitted) && completed >= submitted) {
          push(typeDurations, type, completed - submitted);
          push(templateDurations, template, completed - submitted);
        }
      }
    }
  }
  const finished = (byStatus.Completed ?? 0) + (byStatus.Failed ?? 0);
  return {
    total,
    byStatus,
    open: [...OPEN_STATUSES].reduce((sum, status) => sum + (byStatus[status] ?? 0), 0),
    oldestOpen,
    completedLast7,
    completedLast30,
    failureRate: finished === 0 ? undefined : (byStatus.Failed ?? 0) / finished,
    submissions: { bucketDays, start, counts: submissions },
    aging,
    pivot: [...pivot].map(([key, count]) => {
      const [status, type, template] = key.split('\u0000') as [RequestStatusName, string, string];
      return [status, type, template, count] as const;
    }),
    templates,
    durationsByType: durations(typeDurations, (key) => key),
    durationsByTemplate: durations(templateDurations, (key) => templates[key] ?? key),
  };
}

/** The value below which `fraction` of the sorted values lie (nearest rank). */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

/** The index in AGE_BUCKETS of an age (the last, open-ended bucket past them all). */
export function ageBucket(age: number): number {
  const days = age / DAY;
  const index = AGE_BUCKETS.findIndex((bound) => days < bound);
  return index === -1 ? AGE_BUCKETS.length : index;
}

function ageBuckets(): number[] {
  return new Array<number>(AGE_BUCKETS.length + 1).fill(0);
}

/** Midnight UTC of the day (or the Monday of the week) that holds `time`. */
function startOfDay(time: number, bucketDays: 1 | 7): number {
  const day = Math.floor(time / DAY) * DAY;
  // 1970-01-01 was a Thursday: shift so weeks start on Monday.
  return bucketDays === 1 ? day : day - ((Math.floor(day / DAY) + 3) % 7) * DAY;
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list === undefined) {
    map.set(key, [value]);
  } else {
    list.push(value);
  }
}

function durations(map: ReadonlyMap<string, number[]>, label: (key: string) => string): DurationFigures[] {
  return [...map]
    .map(([key, values]) => {
      const sorted = values.sort((a, b) => a - b);
      return { key, label: label(key), count: sorted.length, median: percentile(sorted, 0.5), p90: percentile(sorted, 0.9) };
    })
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

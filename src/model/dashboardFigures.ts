// The figures of a server's dashboard, from the requests the engine has loaded (no server call): headline
// counts, submissions per day or week by current status, the age of open requests, a status × type × template
// pivot, and time to complete. Plain data, built in one pass over typed arrays, for the webview to draw.
import { REQUEST_STATUSES, requestTypeName, type RequestStatusName } from '../cm/codes';
import { OPEN_STATUSES } from './requestAge';
import type { LoadedRequests } from './requestView';
import { cmTime } from './cmDates';
import { templateKey } from './templateNames';
import { AGE_BUCKETS, DAY, type DashboardRange } from './dashboardScales';
import * as l10n from '@vscode/l10n';

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
  const bucketWidth = bucketDays * DAY;
  const bucketCount = Math.max(1, Math.ceil((now - start) / bucketWidth));
  // Statuses by position in REQUEST_STATUSES, counted in typed arrays: this loop runs 200k times per draw.
  const statusCounts = new Float64Array(REQUEST_STATUSES.length);
  const submissions = REQUEST_STATUSES.map(() => new Float64Array(bucketCount));
  const aging = REQUEST_STATUSES.map((status) => (OPEN_STATUSES.has(status) ? new Float64Array(AGE_BUCKETS.length + 1) : undefined));
  const completedCode = REQUEST_STATUSES.indexOf('Completed');
  const { types, templateKeys, typeOf, templateOf, completedAt } = RequestFacts.of(data).decodeUpTo(data.all.length);
  const pivot = new Map<number, number>();
  const typeDurations = new Map<number, number[]>();
  const templateDurations = new Map<number, number[]>();

  for (let position = 0; position < total; position++) {
    const index = at(position);
    const code = data.statusOf[index] ?? 0;
    const submitted = data.times[index] ?? Number.NEGATIVE_INFINITY;
    const type = typeOf[index] ?? 0;
    const template = templateOf[index] ?? 0;
    statusCounts[code] = (statusCounts[code] ?? 0) + 1;
    const pivotKey = (template * MAX_TYPES + type) * REQUEST_STATUSES.length + code;
    pivot.set(pivotKey, (pivot.get(pivotKey) ?? 0) + 1);

    if (submitted >= start) {
      const bucket = Math.floor((submitted - start) / bucketWidth);
      const counts = submissions[code];
      if (counts !== undefined && bucket < bucketCount && Number.isFinite(submitted)) {
        counts[bucket] = (counts[bucket] ?? 0) + 1;
      }
    }
    const ages = aging[code];
    if (ages !== undefined && Number.isFinite(submitted)) {
      if (oldestOpen === undefined || submitted < oldestOpen.submitted) {
        oldestOpen = { id: data.all[index]?.id ?? '', submitted };
      }
      const bucket = ageBucket(now - submitted);
      ages[bucket] = (ages[bucket] ?? 0) + 1;
    }
    const completed = completedAt[index] ?? Number.NaN;
    if (code === completedCode && !Number.isNaN(completed)) {
      completedLast7 += now - completed <= 7 * DAY ? 1 : 0;
      completedLast30 += now - completed <= 30 * DAY ? 1 : 0;
      if (Number.isFinite(submitted) && completed >= submitted) {
        push(typeDurations, type, completed - submitted);
        push(templateDurations, template, completed - submitted);
      }
    }
  }
  const byStatus: Partial<Record<RequestStatusName, number>> = {};
  REQUEST_STATUSES.forEach((status, code) => {
    if ((statusCounts[code] ?? 0) > 0) {
      byStatus[status] = statusCounts[code];
    }
  });
  const agingOf = (status: RequestStatusName): number[] => Array.from(aging[REQUEST_STATUSES.indexOf(status)] ?? []);
  const templates: Record<string, string> = {};
  for (const key of templateKeys.values) {
    templates[key] = key === '' ? l10n.t('No template') : (templateName(key) ?? l10n.t`Template ${key.slice(0, 8)}`);
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
    submissions: {
      bucketDays,
      start,
      counts: Object.fromEntries(REQUEST_STATUSES.map((status, code) => [status, Array.from(submissions[code] ?? [])])) as Record<
        RequestStatusName,
        number[]
      >,
    },
    aging: { Pending: agingOf('Pending'), Approved: agingOf('Approved'), Executing: agingOf('Executing') },
    pivot: [...pivot].map(([key, count]) => {
      const status = REQUEST_STATUSES[key % REQUEST_STATUSES.length] ?? 'None';
      const rest = Math.floor(key / REQUEST_STATUSES.length);
      return [status, types.values[rest % MAX_TYPES] ?? '', templateKeys.values[Math.floor(rest / MAX_TYPES)] ?? '', count] as const;
    }),
    templates,
    durationsByType: durations(
      typeDurations,
      (type) => types.values[type] ?? '',
      (key) => key,
    ),
    durationsByTemplate: durations(
      templateDurations,
      (template) => templateKeys.values[template] ?? '',
      (key) => templates[key] ?? key,
    ),
  };
}

/** The value below which `fraction` of the sorted values lie (nearest rank). */
export function percentile(sorted: ArrayLike<number>, fraction: number): number {
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

/** Midnight UTC of the day (or the Monday of the week) that holds `time`. */
function startOfDay(time: number, bucketDays: 1 | 7): number {
  const day = Math.floor(time / DAY) * DAY;
  // 1970-01-01 was a Thursday: shift so weeks start on Monday.
  return bucketDays === 1 ? day : day - ((Math.floor(day / DAY) + 3) % 7) * DAY;
}

/** Room in a pivot key for distinct request types (CM has 12; each unknown code counts as one): more than any
 * server holds requests, and keys stay exact integers. */
const MAX_TYPES = 1 << 21;

/**
 * What the figures need of each loaded request (type, template, completion time), decoded once per load and
 * kept beside it, so a new range or filter only walks typed arrays. The engine decodes them a slice at a time
 * while it indexes after a load; whatever is left is decoded on first use. 200k requests carry a handful of
 * distinct types and templates, so each raw value is decoded once.
 */
export class RequestFacts {
  readonly types = new Dictionary();
  readonly templateKeys = new Dictionary();
  /** Position in `types` of each request's type name, index for index with `data.all`. */
  readonly typeOf: Uint32Array;
  /** Position in `templateKeys` of each request's template ('' for none). */
  readonly templateOf: Uint32Array;
  /** Completed, epoch ms; NaN while not completed or unreadable. */
  readonly completedAt: Float64Array;
  private readonly typeByValue = new Map<unknown, number>();
  private readonly templateByValue = new Map<unknown, number>();
  private decoded = 0;

  private constructor(private readonly data: LoadedRequests) {
    this.typeOf = new Uint32Array(data.all.length);
    this.templateOf = new Uint32Array(data.all.length);
    this.completedAt = new Float64Array(data.all.length);
  }

  private static readonly known = new WeakMap<LoadedRequests, RequestFacts>();

  static of(data: LoadedRequests): RequestFacts {
    let facts = RequestFacts.known.get(data);
    if (facts === undefined) {
      facts = new RequestFacts(data);
      RequestFacts.known.set(data, facts);
    }
    return facts;
  }

  /** Decodes the requests before `end` that are not yet. */
  decodeUpTo(end: number): this {
    const last = Math.min(end, this.data.all.length);
    for (; this.decoded < last; this.decoded++) {
      const request = this.data.all[this.decoded]?.request;
      if (request === undefined) {
        continue;
      }
      let type = this.typeByValue.get(request.RequestType);
      if (type === undefined) {
        type = this.types.add(requestTypeName(request.RequestType));
        this.typeByValue.set(request.RequestType, type);
      }
      let template = this.templateByValue.get(request.ProfileTemplateUuid);
      if (template === undefined) {
        template = this.templateKeys.add(templateKey(request.ProfileTemplateUuid) ?? '');
        this.templateByValue.set(request.ProfileTemplateUuid, template);
      }
      this.typeOf[this.decoded] = type;
      this.templateOf[this.decoded] = template;
      this.completedAt[this.decoded] = cmTime(request.Completed) ?? Number.NaN;
    }
    return this;
  }
}

/** Distinct strings, each given its position. */
export class Dictionary {
  readonly values: string[] = [];
  private readonly positions = new Map<string, number>();

  add(value: string): number {
    let position = this.positions.get(value);
    if (position === undefined) {
      position = this.values.length;
      this.values.push(value);
      this.positions.set(value, position);
    }
    return position;
  }
}

function push(map: Map<number, number[]>, key: number, value: number): void {
  const list = map.get(key);
  if (list === undefined) {
    map.set(key, [value]);
  } else {
    list.push(value);
  }
}

function durations(
  map: ReadonlyMap<number, number[]>,
  keyOf: (position: number) => string,
  label: (key: string) => string,
): DurationFigures[] {
  return [...map]
    .map(([position, values]) => {
      // A typed array sorts numbers without a comparator call per pair.
      const sorted = Float64Array.from(values).sort();
      const key = keyOf(position);
      return { key, label: label(key), count: sorted.length, median: percentile(sorted, 0.5), p90: percentile(sorted, 0.9) };
    })
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

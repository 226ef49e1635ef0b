// The loaded requests as the tree groups and orders them (mimcm.groupBy, mimcm.sortOrder). The records stay in
// one flat array; groups are typed arrays of indices into it, so regrouping 200k requests allocates a few
// arrays of numbers, not 200k objects, and the filter texts stay index for index with the records.
import { REQUEST_STATUSES, requestTypeName, type RequestStatusName } from '../cm/codes';
import type { CmError } from '../cm/errors';
import type { InvalidRecord, ReceivedRequest } from '../cm/schemas';
import { priorityOf, type StatusGroup } from './requestSnapshot';
import { cmTime } from './cmDates';
import { templateIdsIn, templateIdsOf, templateKey } from './templateNames';
import type { GroupBy, SortOrder } from './viewOrder';
import * as l10n from '@vscode/l10n';

/** Every loaded request once per status group it came in, flat, with what ordering needs parsed once. */
export class LoadedRequests {
  readonly all: readonly ReceivedRequest[];
  /** Index into REQUEST_STATUSES of the group each request was loaded with. */
  readonly statusOf: Uint8Array;
  /** Submitted, epoch ms (-Infinity when unreadable). */
  readonly times: Float64Array;
  /** 0 (highest) … 255 (lowest); 256 when not set or unreadable, so those sort last. */
  readonly priorities: Uint16Array;
  /** Where each status group starts in `all`; its requests are already unique and newest first. */
  readonly starts: ReadonlyMap<StatusGroup, number>;

  constructor(readonly groups: readonly StatusGroup[]) {
    const total = groups.reduce((sum, group) => sum + group.requests.length, 0);
    const all = new Array<ReceivedRequest>(total);
    this.statusOf = new Uint8Array(total);
    this.times = new Float64Array(total);
    this.priorities = new Uint16Array(total);
    const starts = new Map<StatusGroup, number>();
    let next = 0;
    for (const group of groups) {
      const start = next;
      starts.set(group, start);
      this.statusOf.fill(REQUEST_STATUSES.indexOf(group.status), start, start + group.requests.length);
      for (const request of group.requests) {
        all[next++] = request;
      }
      // loadSnapshot reads these in its pass over the records; groups made otherwise (tests) are read here.
      if (group.times !== undefined) {
        this.times.set(group.times, start);
      } else {
        group.requests.forEach(({ request }, offset) => {
          this.times[start + offset] = cmTime(request.Submitted) ?? Number.NEGATIVE_INFINITY;
        });
      }
      if (group.priorities !== undefined) {
        this.priorities.set(group.priorities, start);
      } else {
        group.requests.forEach(({ request }, offset) => {
          this.priorities[start + offset] = priorityOf(request.Priority);
        });
      }
    }
    this.all = all;
    this.starts = starts;
  }

  /** The distinct template ids of the loaded requests (see templateIdsOf). */
  templateIds(): Set<string> {
    const ids = new Set<string>();
    for (const group of this.groups) {
      for (const id of group.templateTexts === undefined ? templateIdsOf(group.requests) : templateIdsIn(group.templateTexts)) {
        ids.add(id);
      }
    }
    return ids;
  }

  status(index: number): RequestStatusName {
    return REQUEST_STATUSES[this.statusOf[index] ?? 0] ?? 'None';
  }
}

export interface ViewGroup {
  /** Stable while the grouping stays: the status name, or e.g. "type:1", "template:<guid>", "user:<guid>". */
  readonly key: string;
  readonly label: string;
  /** Set when grouping by status. */
  readonly status?: RequestStatusName;
  readonly indices: Uint32Array;
  /** A status that failed to load (its own group when grouping by status; a group of its own otherwise). */
  readonly error?: CmError;
  readonly invalid: readonly InvalidRecord[];
}

/**
 * The groups the tree shows. By status: one per loaded status, in the tree's order. Otherwise: one per type
 * (by code), template (by name), target user or originator (largest first), plus one per status that failed to load, so
 * a failure still shows. Within each group, the requests in `order`.
 */
export function buildView(
  data: LoadedRequests,
  groupBy: GroupBy,
  order: SortOrder,
  templateName: (id: string) => string | undefined,
): ViewGroup[] {
  if (groupBy === 'status') {
    return data.groups.map((group) => {
      const start = data.starts.get(group) ?? 0;
      const indices = new Uint32Array(group.requests.length);
      for (let offset = 0; offset < indices.length; offset++) {
        indices[offset] = start + offset;
      }
      return {
        key: group.status,
        label: group.status,
        status: group.status,
        indices: sorted(data, indices, order, true),
        error: group.error,
        invalid: group.invalid,
      };
    });
  }
  const buckets = new Map<string, number[]>();
  data.all.forEach((received, index) => {
    const key = groupKey(received, groupBy);
    let bucket = buckets.get(key);
    if (bucket === undefined) {
      bucket = [];
      buckets.set(key, bucket);
    }
    bucket.push(index);
  });
  const groups: ViewGroup[] = [...buckets].map(([key, indices]) => ({
    key,
    label: groupLabel(key, templateName),
    indices: sorted(data, Uint32Array.from(indices), order, false),
    invalid: [],
  }));
  groups.sort((a, b) => compareGroups(groupBy, a, b));
  const failed = data.groups
    .filter((group) => group.error !== undefined)
    .map((group) => ({
      key: `failed:${group.status}`,
      label: group.status,
      status: group.status,
      indices: new Uint32Array(0),
      error: group.error,
      invalid: [],
    }));
  return [...failed, ...groups];
}

function groupKey({ request }: ReceivedRequest, groupBy: Exclude<GroupBy, 'status'>): string {
  switch (groupBy) {
    case 'type': {
      const code = Number(request.RequestType);
      // A name instead of a code groups by its decoded (bounded) name.
      return `type:${request.RequestType === null || request.RequestType === undefined ? '' : Number.isInteger(code) ? code : requestTypeName(request.RequestType)}`;
    }
    case 'template':
      return `template:${templateKey(request.ProfileTemplateUuid) ?? ''}`;
    case 'targetUser':
      return `user:${templateKey(request.TargetUserUuid) ?? ''}`;
    case 'originator':
      return `originator:${templateKey(request.OriginatorUserUuid) ?? ''}`;
  }
}

function groupLabel(key: string, templateName: (id: string) => string | undefined): string {
  const [kind, value = ''] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
  switch (kind) {
    case 'type':
      return value === '' ? l10n.t('No type') : requestTypeName(/^-?\d+$/.test(value) ? Number(value) : value);
    case 'template':
      return value === '' ? l10n.t('No template') : (templateName(value) ?? l10n.t`Template ${value.slice(0, 8)}`);
    case 'originator':
      return value === '' ? l10n.t('No originator') : l10n.t`User ${value}`;
    default:
      return value === '' ? l10n.t('No target user') : l10n.t`User ${value}`;
  }
}

function compareGroups(groupBy: GroupBy, a: ViewGroup, b: ViewGroup): number {
  if (groupBy === 'type') {
    const codeA = Number(a.key.slice(5));
    const codeB = Number(b.key.slice(5));
    const known = (code: number): number => (Number.isInteger(code) ? code : Number.MAX_SAFE_INTEGER);
    return known(codeA) - known(codeB) || a.label.localeCompare(b.label);
  }
  if (groupBy === 'targetUser' || groupBy === 'originator') {
    return b.indices.length - a.indices.length || a.label.localeCompare(b.label);
  }
  return a.label.localeCompare(b.label);
}

/**
 * Indices in the wanted order, ties by id. A status group arrives newest first already (`newestAlready`), so
 * newest-first costs nothing and oldest-first is a reversal.
 */
function sorted(data: LoadedRequests, indices: Uint32Array, order: SortOrder, newestAlready: boolean): Uint32Array {
  if (newestAlready && order === 'newestFirst') {
    return indices;
  }
  if (newestAlready && order === 'oldestFirst') {
    return indices.reverse();
  }
  const { times, priorities, all } = data;
  const byId = (a: number, b: number): number => {
    const idA = all[a]?.id ?? '';
    const idB = all[b]?.id ?? '';
    return idA < idB ? -1 : idA > idB ? 1 : 0;
  };
  const newest = (a: number, b: number): number => {
    const difference = (times[b] ?? 0) - (times[a] ?? 0);
    return difference > 0 || difference < 0 ? difference : 0;
  };
  switch (order) {
    case 'newestFirst':
      return indices.sort((a, b) => newest(a, b) || byId(a, b));
    case 'oldestFirst':
      return indices.sort((a, b) => newest(b, a) || byId(a, b));
    case 'priority':
      return indices.sort((a, b) => (priorities[a] ?? 256) - (priorities[b] ?? 256) || newest(a, b) || byId(a, b));
  }
}

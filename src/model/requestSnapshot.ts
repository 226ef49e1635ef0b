import type { CmClient } from '../cm/client';
import { REQUEST_STATUSES, requestStatusName, type RequestStatusName } from '../cm/codes';
import { CmError, isCanceled } from '../cm/errors';
import type { CmLogger } from '../cm/logger';
import type { InvalidRecord, ReceivedRequest } from '../cm/schemas';
import { cleanServerText } from '../cm/serverText';
import { cmTime } from './cmDates';
import { newestFirstOrder } from './timeOrder';

export interface StatusGroup {
  readonly status: RequestStatusName;
  /** Newest first. */
  readonly requests: readonly ReceivedRequest[];
  /** Each request's Submitted (epoch ms, -Infinity when none), index for index: parsed once, for the sort. */
  readonly times?: Float64Array;
  /** Each request's Priority, index for index, as LoadedRequests keeps it (see priorityOf). */
  readonly priorities?: Uint16Array;
  /** The distinct ProfileTemplateUuid values of the group, as sent. */
  readonly templateTexts?: ReadonlySet<unknown>;
  readonly invalid: readonly InvalidRecord[];
  /** Set when only this status failed to load (the others still show). */
  readonly error?: CmError;
}

export interface RequestSnapshot {
  readonly groups: readonly StatusGroup[];
  readonly loadedAt: Date;
}

/** Enough to stay polite to an IIS worker while keeping a refresh fast. */
const MAX_IN_FLIGHT = 4;

/**
 * Failures that say nothing will work on this connection (sign-in, proxy, network, TLS, a web page instead of
 * the API): the load stops there instead of repeating them for every status. Other failures (a 500 on one
 * status, one oversized group) stay with their group and the rest still load.
 */
const CONNECTION_FAILURES = new Set<CmError['kind']>([
  'config',
  'unauthorized',
  'wrongMethod',
  'auth',
  'apiNotFound',
  'notJson',
  'encoding',
  'timeout',
  'connectionRefused',
  'connectionReset',
  'dns',
  'tls',
  'proxy',
  'network',
]);

function stopsLoad(error: CmError): boolean {
  return error.needsSignIn || CONNECTION_FAILURES.has(error.kind);
}

/**
 * Loads each status group (all of them unless `statuses` names fewer) with one filtered query each, so group
 * membership is the server's word, never a guess from the numeric codes. The first query goes alone: only once
 * it has worked do the others follow, so credentials the server rejects (or a server that cannot be reached)
 * cost one attempt, not one per status. A sign-in failure in any query stops the queries not yet sent. When the
 * load stops, or every query fails, that first error is thrown: one explained failure, not eight copies of it.
 */
export async function loadSnapshot(
  client: Pick<CmClient, 'listRequests'>,
  signal: AbortSignal,
  codeWarnings: CodeTableWarnings,
  statuses: readonly RequestStatusName[] = REQUEST_STATUSES,
): Promise<RequestSnapshot> {
  let stop: CmError | undefined;
  const loadGroup = async (status: RequestStatusName): Promise<StatusGroup> => {
    if (stop !== undefined) {
      return { status, requests: [], invalid: [], error: stop };
    }
    try {
      const list = await client.listRequests(status, signal);
      codeWarnings.check(status, list.requests);
      return { status, ...uniqueNewestFirst(list.requests), invalid: list.invalid };
    } catch (error) {
      if (error instanceof CmError && !isCanceled(error)) {
        if (error.needsSignIn) {
          stop ??= error;
        }
        return { status, requests: [], invalid: [], error };
      }
      throw error;
    }
  };
  const [first, ...rest] = statuses;
  if (first === undefined) {
    return { groups: [], loadedAt: new Date() };
  }
  const firstGroup = await loadGroup(first);
  if (firstGroup.error !== undefined && stopsLoad(firstGroup.error)) {
    throw firstGroup.error;
  }
  const results = [firstGroup, ...(await mapWithLimit(rest, MAX_IN_FLIGHT, loadGroup))];
  if (stop !== undefined) {
    throw stop;
  }
  const failures = results.filter((group) => group.error !== undefined);
  if (failures.length === results.length && failures[0]?.error !== undefined) {
    throw failures[0].error;
  }
  return { groups: results, loadedAt: new Date() };
}

/**
 * Warns once per (group, code) when the server files a request under a status whose code our table reads
 * differently: the table is inferred from old SDK docs, and this is how a wrong entry would come to light.
 */
export class CodeTableWarnings {
  private readonly seen = new Set<string>();

  constructor(private readonly logger: CmLogger) {}

  check(status: RequestStatusName, requests: readonly ReceivedRequest[]): void {
    // A group holds few distinct codes: each is judged once, not once per request.
    const judged = new Set<unknown>();
    for (const { request } of requests) {
      if (judged.has(request.Status)) {
        continue;
      }
      judged.add(request.Status);
      const decoded = requestStatusName(request.Status);
      const code = cleanServerText(String(request.Status), 40);
      const key = `${status}:${code}`;
      if (decoded !== status && !this.seen.has(key)) {
        this.seen.add(key);
        this.logger.warn(
          `The server lists request ${cleanServerText(request.Uuid, 40)} under status=${status}, but its Status code ${code} reads as ${cleanServerText(decoded, 40)}. ` +
            "The tree groups by the server's answer; please report the code so the table can be corrected.",
        );
      }
    }
  }
}

/**
 * Newest first, ties by id, each request once (a server listing one twice must not give the tree two nodes
 * with one id). What the view needs of each record (Submitted, Priority, the template) is read in this one pass
 * over the records, while each is at hand: every further pass over 200k records that were parsed long before
 * costs tens of milliseconds of a refresh. The sort reads numbers from a typed array (see timeOrder.ts).
 */
function uniqueNewestFirst(requests: readonly ReceivedRequest[]): Omit<StatusGroup, 'status' | 'invalid'> {
  const unique = withoutDuplicates(requests);
  const times = new Float64Array(unique.length);
  const priorities = new Uint16Array(unique.length);
  const templateTexts = new Set<unknown>();
  for (let index = 0; index < unique.length; index++) {
    const { request } = unique[index];
    times[index] = cmTime(request.Submitted) ?? Number.NEGATIVE_INFINITY;
    priorities[index] = priorityOf(request.Priority);
    templateTexts.add(request.ProfileTemplateUuid);
  }
  const order = newestFirstOrder(times, (index) => unique[index].id);
  const sorted = new Array<ReceivedRequest>(unique.length);
  const sortedTimes = new Float64Array(unique.length);
  const sortedPriorities = new Uint16Array(unique.length);
  for (let index = 0; index < order.length; index++) {
    const from = order[index];
    sorted[index] = unique[from];
    sortedTimes[index] = times[from];
    sortedPriorities[index] = priorities[from];
  }
  return { requests: sorted, times: sortedTimes, priorities: sortedPriorities, templateTexts };
}

/** 0 (highest) … 255 (lowest); 256 when not set or unreadable, so those sort last. */
export function priorityOf(value: unknown): number {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 && value <= 255 ? value : 256;
  }
  const priority = Number(value);
  return value !== null && Number.isInteger(priority) && priority >= 0 && priority <= 255 ? priority : 256;
}

/**
 * The first of each id, in order. Ids are GUIDs, so their first eight hex digits are already a good hash: an
 * open-addressing table of those numbers finds duplicates in a fraction of the time a Set of 200k strings takes
 * (which hashes every string first).
 */
export function withoutDuplicates(requests: readonly ReceivedRequest[]): readonly ReceivedRequest[] {
  const size = 2 ** Math.ceil(Math.log2(requests.length * 2 + 2));
  const slots = new Int32Array(size).fill(-1);
  const mask = size - 1;
  let duplicates = 0;
  const keep = new Uint8Array(requests.length);
  for (let index = 0; index < requests.length; index++) {
    const id = requests[index].id;
    let slot = guidPrefix(id) & mask;
    let taken = slots[slot];
    while (taken !== -1 && requests[taken].id !== id) {
      slot = (slot + 1) & mask;
      taken = slots[slot];
    }
    if (taken === -1) {
      slots[slot] = index;
      keep[index] = 1;
    } else {
      duplicates++;
    }
  }
  return duplicates === 0 ? requests : requests.filter((_request, index) => keep[index] === 1);
}

/** The first eight hex digits of a canonical (lower-case) GUID as a number, read without making strings. */
function guidPrefix(id: string): number {
  let value = 0;
  for (let index = 0; index < 8; index++) {
    const code = id.charCodeAt(index);
    value = (value << 4) | (code <= 57 ? code - 48 : code - 87);
  }
  return value >>> 0;
}

/** Like Promise.all over items.map(fn), with at most `limit` calls running at once; results keep item order. */
export async function mapWithLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

import type { CmClient } from '../cm/client';
import { REQUEST_STATUSES, requestStatusName, type RequestStatusName } from '../cm/codes';
import { CmError, isCanceled } from '../cm/errors';
import type { CmLogger } from '../cm/logger';
import type { InvalidRecord, ReceivedRequest } from '../cm/schemas';

export interface StatusGroup {
  readonly status: RequestStatusName;
  /** Newest first. */
  readonly requests: readonly ReceivedRequest[];
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
 * Loads each status group (all of them unless `statuses` names fewer) with one filtered query each, so group
 * membership is the server's word, never a guess from the numeric codes. When every query fails the first error
 * is thrown: one explained failure, not eight copies of it.
 */
export async function loadSnapshot(
  client: Pick<CmClient, 'listRequests'>,
  signal: AbortSignal,
  codeWarnings: CodeTableWarnings,
  statuses: readonly RequestStatusName[] = REQUEST_STATUSES,
): Promise<RequestSnapshot> {
  const results = await mapWithLimit(statuses, MAX_IN_FLIGHT, async (status): Promise<StatusGroup> => {
    try {
      const list = await client.listRequests(status, signal);
      codeWarnings.check(status, list.requests);
      return { status, requests: newestFirst(uniqueById(list.requests)), invalid: list.invalid };
    } catch (error) {
      if (error instanceof CmError && !isCanceled(error)) {
        return { status, requests: [], invalid: [], error };
      }
      throw error;
    }
  });
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
    for (const { request } of requests) {
      const decoded = requestStatusName(request.Status);
      const key = `${status}:${String(request.Status)}`;
      if (decoded !== status && !this.seen.has(key)) {
        this.seen.add(key);
        this.logger.warn(
          `The server lists request ${request.Uuid} under status=${status}, but its Status code ${String(request.Status)} reads as ${decoded}. ` +
            'The tree groups by the server\'s answer; please report the code so the table can be corrected.',
        );
      }
    }
  }
}

function uniqueById(requests: readonly ReceivedRequest[]): ReceivedRequest[] {
  const byId = new Map<string, ReceivedRequest>();
  for (const request of requests) {
    if (!byId.has(request.id)) {
      byId.set(request.id, request);
    }
  }
  return [...byId.values()];
}

function newestFirst(requests: ReceivedRequest[]): ReceivedRequest[] {
  const time = (request: ReceivedRequest): number => {
    const parsed = Date.parse(request.request.Submitted ?? '');
    return Number.isNaN(parsed) ? Number.NEGATIVE_INFINITY : parsed;
  };
  return requests.sort((a, b) => time(b) - time(a) || a.id.localeCompare(b.id));
}

/** Like Promise.all over items.map(fn), with at most `limit` calls running at once; results keep item order. */
export async function mapWithLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

import { DOCUMENTED_REQUESTS } from './documentedRequests';
import { ALICE, BOB, CAROL, DOMAIN_SID, HELPDESK, JANE } from './people';

/** A request as the simulator serves it: the documented field order, numeric enum codes. */
export type SimulatedRequest = Record<string, unknown> & { Uuid: string; Status: number; TargetUserUuid: string };

/** The user the docs' examples belong to; `targetuser=current` selects this user's requests. */
export const CURRENT_USER_UUID = JANE.guid;

/** A user whose requests the simulator's caller may read but not change: PUT answers 403 for them. */
export const READ_ONLY_USER_UUID = CAROL.guid;

export const STATUS_CODES: Readonly<Record<string, number>> = {
  None: 0,
  Approved: 3,
  Denied: 4,
  Completed: 8,
  Failed: 9,
  Pending: 16,
  Canceled: 17,
  Executing: 18,
};

const ZERO = '00000000-0000-0000-0000-000000000000';
const NOT_COMPLETED = '0001-01-01T00:00:00';

// Weighted like a live CM: mostly finished work, a tail of open and failed requests.
const STATUS_WEIGHTS: readonly [string, number][] = [
  ['Completed', 40],
  ['Pending', 14],
  ['Approved', 12],
  ['Canceled', 10],
  ['Failed', 8],
  ['Executing', 6],
  ['Denied', 6],
  ['None', 4],
];
// Mostly enrollments and unblocks, like a live CM; every type code 1–11 occurs, and 12 stands for a code a
// newer server might send that no table names.
const TYPE_WEIGHTS: readonly [number, number][] = [
  [1, 50],
  [5, 20],
  [3, 8],
  [6, 5],
  [2, 3],
  [4, 3],
  [7, 3],
  [8, 2],
  [9, 2],
  [10, 2],
  [11, 1],
  [12, 1],
];
const USERS = [CURRENT_USER_UUID, ALICE.guid, BOB.guid, READ_ONLY_USER_UUID];
/** Who else submits a request: mostly the help desk, on the user's behalf. */
const OTHER_ORIGINATORS = [HELPDESK.guid, HELPDESK.guid, BOB.guid, CURRENT_USER_UUID];
const TEMPLATES = ['a039b4d0-5ce8-4eff-8651-181c6576fda3', '12bd5120-86a2-4ee1-8d05-131066871578', '2b7044cf-aa96-4911-b886-177947e9271b'];
const COMMENTS = ['', '', 'New starter', 'Card lost on site visit', 'VPN access', 'Replacement after PIN lockout'];
const DATA_ITEMS: readonly [string, string | null][] = [
  ['Request Reason', 'Need VPN Certs'],
  ['Employee ID', 'E-20417'],
  ['Sample Data Item', null],
  ['Cost Center', '4410'],
];

/** Small, fast, seedable PRNG (mulberry32): the same seed gives the same data on every machine. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The newest submission of the seeded data unless a caller says otherwise: fixed, so unit tests never age. */
export const SEEDED_NEWEST = Date.UTC(2026, 10, 1);

/**
 * `count` requests (at least the two documented ones), deterministic for a seed, submitted over the 180 days
 * before `newest`. The first generated ones cover every status so each tree group has members whatever the
 * count. The demo and the browser tests pass today's date, so the dashboard's recent ranges have data.
 */
export function generateRequests(count: number, seed: number, newest = SEEDED_NEWEST): SimulatedRequest[] {
  const random = randomSource(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const weighted = <T>(table: readonly [T, number][]): T => {
    const total = table.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = random() * total;
    for (const [value, weight] of table) {
      roll -= weight;
      if (roll < 0) {
        return value;
      }
    }
    return table[table.length - 1][0];
  };
  const guid = (): string => {
    const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(random() * 4)]}${hex.slice(17, 20)}-${hex.slice(20)}`;
  };

  const requests: SimulatedRequest[] = DOCUMENTED_REQUESTS.map((record) => ({ ...record }) as SimulatedRequest);
  const statusNames = STATUS_WEIGHTS.map(([name]) => name);
  for (let index = 0; requests.length < count; index++) {
    const statusName = index < statusNames.length ? statusNames[index] : weighted(STATUS_WEIGHTS);
    const isSmartcard = random() < 0.6;
    const submitted = new Date(newest - Math.floor(random() * 180 * 24 * 60) * 60_000 - Math.floor(random() * 1000));
    const finished = ['Completed', 'Failed', 'Denied', 'Canceled'].includes(statusName);
    const target = pick(USERS);
    const profile = statusName === 'Completed' ? guid() : ZERO;
    const card = isSmartcard && statusName !== 'Pending' ? guid() : ZERO;
    const items = DATA_ITEMS.filter(() => random() < 0.3).map(([Name, Value]) => ({ Name, Value }));
    requests.push({
      Uuid: guid(),
      RequestType: weighted(TYPE_WEIGHTS),
      Status: STATUS_CODES[statusName],
      Flags: isSmartcard ? 2 : 0,
      DataCollection: items,
      DataCollectionFlags: 32,
      OriginatorUserUuid: random() < 0.7 ? target : pick(OTHER_ORIGINATORS),
      TargetUserUuid: target,
      Submitted: submitted.toISOString(),
      Completed: finished ? new Date(submitted.getTime() + Math.floor(random() * 3_600_000)).toISOString() : NOT_COMPLETED,
      NewProfileUuid: profile,
      OldProfileUuid: ZERO,
      NewSmartcardUuid: card,
      OldSmartcardUuid: ZERO,
      Priority: Math.floor(random() * 3),
      Comment: pick(COMMENTS),
      ProfileTemplateUuid: pick(TEMPLATES),
      // Real servers pad the SDDL with NULs; clients must cope.
      SecurityDescriptor: `O:${DOMAIN_SID}-14134865D:(A;;RC;;;WD)(A;;CCDCLCSWSDRC;;;${DOMAIN_SID}-14134865)${'\u0000'.repeat(1 + (index % 9))}`,
      IsSmartcard: isSmartcard,
      IsEnrollmentAgent: false,
      IsDataCollectionComplete: items.length > 0,
    });
  }
  return requests.slice(0, Math.max(count, DOCUMENTED_REQUESTS.length));
}

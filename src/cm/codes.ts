// Code tables for the numeric enums in CM response bodies. Only Enroll/Unblock and the status numbers are
// documented or inferred (see README "API notes"); anything else is shown as "Unknown (n)", never guessed.

/** Status names in the order the tree shows them: work in flight first, finished states after. */
export const REQUEST_STATUSES = ['Pending', 'Approved', 'Executing', 'Completed', 'Failed', 'Denied', 'Canceled', 'None'] as const;
export type RequestStatusName = (typeof REQUEST_STATUSES)[number];

type CodeTable = ReadonlyMap<number, string>;

export const REQUEST_STATUS_CODES: CodeTable = new Map([
  [0, 'None'],
  [3, 'Approved'],
  [4, 'Denied'],
  [8, 'Completed'],
  [9, 'Failed'],
  [16, 'Pending'],
  [17, 'Canceled'],
  [18, 'Executing'],
]);

export const REQUEST_TYPE_CODES: CodeTable = new Map([
  [0, 'None'],
  [1, 'Enroll'],
  [5, 'Unblock'],
]);

const REQUEST_FLAG_BITS: CodeTable = new Map([
  [1, 'EnrollmentAgent'],
  [2, 'Smartcard'],
]);

/**
 * Turns an enum value as a server may send it (a number, a numeric string or a member name in any case)
 * into its display name.
 */
export function decodeCode(table: CodeTable, value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') {
    return 'not set';
  }
  if (typeof value === 'string' && !/^-?\d+$/.test(value.trim())) {
    const wanted = value.trim().toLowerCase();
    for (const name of table.values()) {
      if (name.toLowerCase() === wanted) {
        return name;
      }
    }
    return value.trim();
  }
  const code = Number(value);
  return table.get(code) ?? `Unknown (${code})`;
}

export function requestStatusName(value: number | string | null | undefined): string {
  return decodeCode(REQUEST_STATUS_CODES, value);
}

export function requestTypeName(value: number | string | null | undefined): string {
  return decodeCode(REQUEST_TYPE_CODES, value);
}

/** Flags as "Smartcard" or "EnrollmentAgent | Smartcard"; bits with no known name are shown as hex. */
export function requestFlagNames(value: number | string | null | undefined): string {
  return decodeFlags(REQUEST_FLAG_BITS, value);
}

/** DataCollectionFlags: the member names are documented but not their bits, so only raw bits are honest. */
export function dataCollectionFlagsText(value: number | string | null | undefined): string {
  return decodeFlags(new Map(), value);
}

function decodeFlags(bits: CodeTable, value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') {
    return 'not set';
  }
  const numeric = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(numeric) || numeric < 0) {
    return String(value);
  }
  if (numeric === 0) {
    return 'None (0)';
  }
  const names: string[] = [];
  for (let bit = 1; bit <= numeric && bit > 0; bit *= 2) {
    if ((numeric & bit) !== 0) {
      names.push(bits.get(bit) ?? `0x${bit.toString(16)}`);
    }
  }
  return `${names.join(' | ')} (${numeric})`;
}

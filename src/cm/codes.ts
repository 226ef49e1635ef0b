// Code tables for the numeric enums in CM response bodies, each number with a source (README "API notes"):
// anything without one is shown as "Unknown (n)", never guessed.
import { cleanServerText } from './serverText';
import * as l10n from '@vscode/l10n';

/** Status names in the order the tree shows them: work in flight first, finished states after. */
export const REQUEST_STATUSES = ['Pending', 'Approved', 'Executing', 'Completed', 'Failed', 'Denied', 'Canceled', 'None'] as const;
export type RequestStatusName = (typeof REQUEST_STATUSES)[number];

type CodeTable = ReadonlyMap<number, string>;

/** Longest enum name shown as the server sent it. */
const MAX_NAME = 80;

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

// 1–11 from the CM database column dbo.Requests.req_type (TechNet Wiki 4188), agreeing with every REST example
// (1 Enroll, 5 Unblock) and the SDK's Duplicate sample (6). TemporaryCardDisable, TemporaryCardRetire and
// OfflineUnblock have names but no number anywhere, so they stay Unknown.
export const REQUEST_TYPE_CODES: CodeTable = new Map([
  [0, 'None'],
  [1, 'Enroll'],
  [2, 'Recover'],
  [3, 'Renew'],
  [4, 'Disable'],
  [5, 'Unblock'],
  [6, 'Duplicate'],
  [7, 'Retire'],
  [8, 'RecoverOnBehalf'],
  [9, 'SuspendOrReinstate'],
  [10, 'OnlineUpdate'],
  [11, 'TemporaryCardEnroll'],
]);

/**
 * The `{type}` of `profiletemplates/{id}/policies/{type}` for each request type: the policy vocabulary differs
 * from the response names (Disable → Revoke and SuspendOrReinstate → Reinstate are inferred).
 */
const POLICY_TYPES: ReadonlyMap<string, string> = new Map([
  ['Enroll', 'Enroll'],
  ['Recover', 'Recover'],
  ['Renew', 'Renew'],
  ['Disable', 'Revoke'],
  ['Unblock', 'Unblock'],
  ['Duplicate', 'Duplicate'],
  ['Retire', 'Retire'],
  ['RecoverOnBehalf', 'RecoverOnBehalf'],
  ['SuspendOrReinstate', 'Reinstate'],
  ['OnlineUpdate', 'OnlineUpdate'],
  ['TemporaryCardEnroll', 'TemporaryEnroll'],
]);

/** The workflow policy that governs a request of this type, or undefined when the type has none we know. */
export function policyTypeFor(requestType: number | string | null | undefined): string | undefined {
  return POLICY_TYPES.get(requestTypeName(requestType));
}

/** Priority is a byte, not an enum: 0 is the highest and 255 the lowest (FIM CM SQL API, SDK InitiateEnroll). */
export function priorityText(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') {
    return l10n.t('not set');
  }
  const numeric = Number(value);
  if (!Number.isInteger(numeric) || numeric < 0 || numeric > 255) {
    return String(value);
  }
  return numeric === 0 ? '0 (highest)' : numeric === 255 ? '255 (lowest)' : l10n.t`${numeric} (0 highest … 255 lowest)`;
}

/**
 * The Flags bits are inferred; the documented booleans IsSmartcard and IsEnrollmentAgent are the authority.
 * Says where the two disagree, so a wrong inference comes to light instead of being shown as fact.
 */
export function requestFlagsText(
  flags: number | string | null | undefined,
  isSmartcard: boolean | null | undefined,
  isEnrollmentAgent: boolean | null | undefined,
): string {
  const names = requestFlagNames(flags);
  const numeric = Number(flags);
  if (flags === null || flags === undefined || flags === '' || !Number.isInteger(numeric)) {
    return names;
  }
  const disagreements: string[] = [];
  if (typeof isSmartcard === 'boolean' && isSmartcard !== ((numeric & 2) !== 0)) {
    disagreements.push(l10n.t`IsSmartcard is ${isSmartcard}`);
  }
  if (typeof isEnrollmentAgent === 'boolean' && isEnrollmentAgent !== ((numeric & 1) !== 0)) {
    disagreements.push(l10n.t`IsEnrollmentAgent is ${isEnrollmentAgent}`);
  }
  return disagreements.length === 0
    ? l10n.t`${names}, bits inferred`
    : l10n.t`${names}, bits inferred; the record disagrees (${disagreements.join(', ')}), which is the authority`;
}

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
    return l10n.t('not set');
  }
  if (typeof value === 'string' && !/^-?\d+$/.test(value.trim())) {
    const wanted = value.trim().toLowerCase();
    for (const name of table.values()) {
      if (name.toLowerCase() === wanted) {
        return name;
      }
    }
    // A name no table has, as the server wrote it: it becomes labels, group keys and cells, so it is bounded.
    return cleanServerText(value.trim(), MAX_NAME);
  }
  const code = Number(value);
  return table.get(code) ?? l10n.t`Unknown (${code})`;
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
    return l10n.t('not set');
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

/**
 * Codes of the objects a request links to. Every entry is inferred (CM API notes §4): SmartcardStatus from the
 * REST examples' 2, 3 and 6 in the SDK's member order, ProfileStatus Active from `profiles?status=Active`, the
 * Primary flag from the ILM 2007 CLM MA sample, and the generation options from WinRT's
 * CertificateRequestProperties. Shown with "(inferred)"; anything else stays raw.
 */
export const LINKED_CODE_TABLES = {
  smartcardStatus: new Map([
    [0, 'None'],
    [1, 'New'],
    [2, 'Assigned'],
    [3, 'Active'],
    [4, 'Disabled'],
    [5, 'Suspended'],
    [6, 'Retired'],
  ]),
  profileStatus: new Map([[2, 'Active']]),
  objectFlags: new Map([[1, 'Primary']]),
  exportable: new Map([
    [0, 'NotExportable'],
    [1, 'Exportable'],
  ]),
  keyProtectionLevel: new Map([
    [0, 'NoConsent'],
    [1, 'ConsentOnly'],
    [2, 'ConsentWithPassword'],
    [3, 'ConsentWithFingerprint'],
  ]),
} satisfies Record<string, CodeTable>;

const KEY_USAGE_BITS: CodeTable = new Map([
  [1, 'Decryption'],
  [2, 'Signing'],
  [4, 'KeyAgreement'],
]);

/** An inferred code's name with "(inferred)", or undefined when no table names it (the raw value then stands). */
export function inferredName(table: CodeTable, value: number | string): string | undefined {
  const name = table.get(Number(value));
  return name === undefined ? undefined : `${name} (inferred)`;
}

/** KeyUsages as WinRT's EnrollKeyUsages bits (inferred); 16777215 is All. */
export function keyUsagesText(value: number | string): string | undefined {
  const numeric = Number(value);
  if (numeric === 16777215) {
    return l10n.t('All (inferred)');
  }
  if (!Number.isInteger(numeric) || numeric <= 0 || numeric > 7) {
    return undefined;
  }
  return `${decodeFlags(KEY_USAGE_BITS, numeric).replace(/ \(\d+\)$/, '')} (inferred)`;
}

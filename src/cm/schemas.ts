import { z } from 'zod';

// Tolerant by design: the docs are thin, so accept numbers or names for enums, null for strings, and keep
// fields we do not know (they still reach the JSON view, which shows the server's own text).
const enumValue = z.union([z.number(), z.string()]);
const optionalText = z.string().nullable().optional();
const optionalEnum = enumValue.nullable().optional();

export const dataCollectionItemSchema = z.looseObject({
  Name: z.string().nullable().optional(),
  Value: z.unknown().optional(),
});

export const cmRequestSchema = z.looseObject({
  Uuid: z.string().regex(/^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i, 'not a GUID'),
  RequestType: optionalEnum,
  Status: enumValue,
  Flags: optionalEnum,
  DataCollection: z.array(dataCollectionItemSchema).nullable().optional(),
  DataCollectionFlags: optionalEnum,
  OriginatorUserUuid: optionalText,
  TargetUserUuid: optionalText,
  Submitted: optionalText,
  Completed: optionalText,
  NewProfileUuid: optionalText,
  OldProfileUuid: optionalText,
  NewSmartcardUuid: optionalText,
  OldSmartcardUuid: optionalText,
  Priority: z.union([z.number(), z.string()]).nullable().optional(),
  Comment: optionalText,
  ProfileTemplateUuid: optionalText,
  SecurityDescriptor: optionalText,
  IsSmartcard: z.boolean().nullable().optional(),
  IsEnrollmentAgent: z.boolean().nullable().optional(),
  IsDataCollectionComplete: z.boolean().nullable().optional(),
});

export type CmRequest = z.infer<typeof cmRequestSchema>;

/** A request record as the server sent it, plus the validated view the extension reads. */
export interface ReceivedRequest {
  /** Lower-case GUID without braces: the stable identity used for tree ids, URIs and tabs. */
  readonly id: string;
  readonly request: CmRequest;
  readonly raw: unknown;
}

/** A record the server sent that could not be read; it is reported, never silently dropped. */
export interface InvalidRecord {
  readonly index: number;
  readonly problems: string;
  readonly raw: unknown;
}

export interface RequestList {
  readonly requests: ReceivedRequest[];
  readonly invalid: InvalidRecord[];
}

export type RecordCheck = { ok: true; value: ReceivedRequest } | { ok: false; problems: string };

const isText = (value: unknown): boolean => value === undefined || value === null || typeof value === 'string';
const isCode = (value: unknown): boolean => value === undefined || value === null || typeof value === 'number' || typeof value === 'string';
const isFlag = (value: unknown): boolean => value === undefined || value === null || typeof value === 'boolean';

/**
 * The schema's checks written out by hand, for the common case of a record that passes: several times faster
 * than zod on 200k records, which is much of a refresh's time after JSON.parse. Fields are read by name (not in a
 * loop over names) so V8 sees one record shape. It may say no to a record the schema accepts (zod then decides,
 * and explains what is wrong), never yes to one it refuses; a property test holds it to that.
 */
function passesFastCheck(raw: unknown): raw is Omit<CmRequest, 'Uuid'> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return false;
  }
  const r = raw as Record<string, unknown>;
  const status = r.Status;
  if (typeof status !== 'number' && typeof status !== 'string') {
    return false;
  }
  if (
    !isText(r.OriginatorUserUuid) ||
    !isText(r.TargetUserUuid) ||
    !isText(r.Submitted) ||
    !isText(r.Completed) ||
    !isText(r.NewProfileUuid) ||
    !isText(r.OldProfileUuid) ||
    !isText(r.NewSmartcardUuid) ||
    !isText(r.OldSmartcardUuid) ||
    !isText(r.Comment) ||
    !isText(r.ProfileTemplateUuid) ||
    !isText(r.SecurityDescriptor) ||
    !isCode(r.RequestType) ||
    !isCode(r.Flags) ||
    !isCode(r.DataCollectionFlags) ||
    !isCode(r.Priority) ||
    !isFlag(r.IsSmartcard) ||
    !isFlag(r.IsEnrollmentAgent) ||
    !isFlag(r.IsDataCollectionComplete)
  ) {
    return false;
  }
  const items = r.DataCollection;
  if (items === undefined || items === null) {
    return true;
  }
  if (!Array.isArray(items)) {
    return false;
  }
  for (const item of items as unknown[]) {
    if (item === null || typeof item !== 'object' || Array.isArray(item) || !isText((item as Record<string, unknown>).Name)) {
      return false;
    }
  }
  return true;
}

/** The record as the extension reads it when the fast check passes; undefined sends it to zod. */
function fastRecord(raw: unknown): ReceivedRequest | undefined {
  if (!passesFastCheck(raw)) {
    return undefined;
  }
  const id = typeof raw.Uuid === 'string' ? canonicalGuid(raw.Uuid) : undefined;
  return id === undefined ? undefined : { id, request: raw as CmRequest, raw };
}

export function checkRequestRecord(raw: unknown): RecordCheck {
  const fast = fastRecord(raw);
  return fast === undefined ? checkedBySchema(raw) : { ok: true, value: fast };
}

/** zod's verdict, with what is wrong explained; for the records the fast check leaves to it. */
function checkedBySchema(raw: unknown): RecordCheck {
  const result = cmRequestSchema.safeParse(raw);
  if (!result.success) {
    return { ok: false, problems: describeIssues(result.error.issues) };
  }
  // The schema only checks (no transforms, unknown keys kept), so the server's own object is the checked record:
  // keeping zod's copy as well would hold every request twice.
  return { ok: true, value: { id: canonicalId(result.data.Uuid), request: raw as CmRequest, raw } };
}

/** Lower case, without braces: one request, one id, whatever form the server wrote. */
function canonicalId(uuid: string): string {
  const start = uuid.charCodeAt(0) === 0x7b ? 1 : 0;
  const end = uuid.charCodeAt(uuid.length - 1) === 0x7d ? uuid.length - 1 : uuid.length;
  return uuid.slice(start, end).toLowerCase();
}

/**
 * The canonical id of a GUID written as 8-4-4-4-12 hex digits in braces or none, else undefined. One pass over
 * the characters instead of a regular expression and a second one for upper case: it runs for every record of a
 * refresh. A lower-case GUID without braces (what CM sends) is returned as it is, without a copy.
 */
function canonicalGuid(text: string): string | undefined {
  const braced = text.charCodeAt(0) === 0x7b;
  const start = braced ? 1 : 0;
  if (text.length !== start * 2 + 36 || (braced && text.charCodeAt(text.length - 1) !== 0x7d)) {
    return undefined;
  }
  let upper = false;
  for (let offset = 0; offset < 36; offset++) {
    const code = text.charCodeAt(start + offset);
    if (offset === 8 || offset === 13 || offset === 18 || offset === 23) {
      if (code !== 0x2d) {
        return undefined;
      }
    } else if (code >= 0x41 && code <= 0x46) {
      upper = true;
    } else if (!((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66))) {
      return undefined;
    }
  }
  const bare = braced ? text.slice(1, -1) : text;
  return upper ? bare.toLowerCase() : bare;
}

/** Servers (and doc examples) sometimes return one object where a list is expected: accept both shapes. */
export function readRequestList(body: unknown): RequestList {
  const records = Array.isArray(body) ? body : [body];
  const requests: ReceivedRequest[] = [];
  const invalid: InvalidRecord[] = [];
  for (let index = 0; index < records.length; index++) {
    const raw: unknown = records[index];
    const fast = fastRecord(raw);
    if (fast !== undefined) {
      requests.push(fast);
      continue;
    }
    const checked = checkedBySchema(raw);
    if (checked.ok) {
      requests.push(checked.value);
    } else {
      invalid.push({ index, problems: checked.problems, raw });
    }
  }
  return { requests, invalid };
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(record)'}: ${issue.message}`).join('; ');
}

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

export function checkRequestRecord(raw: unknown): RecordCheck {
  const result = cmRequestSchema.safeParse(raw);
  if (!result.success) {
    return { ok: false, problems: describeIssues(result.error.issues) };
  }
  const id = result.data.Uuid.replace(/[{}]/g, '').toLowerCase();
  // The schema only checks (no transforms, unknown keys kept), so the server's own object is the checked record:
  // keeping zod's copy as well would hold every request twice.
  return { ok: true, value: { id, request: raw as CmRequest, raw } };
}

/** Servers (and doc examples) sometimes return one object where a list is expected: accept both shapes. */
export function readRequestList(body: unknown): RequestList {
  const records = Array.isArray(body) ? body : [body];
  const requests: ReceivedRequest[] = [];
  const invalid: InvalidRecord[] = [];
  records.forEach((raw, index) => {
    const checked = checkRequestRecord(raw);
    if (checked.ok) {
      requests.push(checked.value);
    } else {
      invalid.push({ index, problems: checked.problems, raw });
    }
  });
  return { requests, invalid };
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(record)'}: ${issue.message}`)
    .join('; ');
}

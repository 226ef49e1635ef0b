import { dataCollectionFlagsText, requestFlagNames, requestStatusName, requestTypeName } from '../cm/codes';
import { ZERO_GUID } from '../cm/guid';
import { cmRequestSchema, type ReceivedRequest } from '../cm/schemas';

/** CM writes this for "no date" (.NET DateTime.MinValue). */
const NEVER = /^0001-01-01T00:00:00/;

export type DateFormatter = (date: Date) => string;

/** "Enroll · a9b4b42c": what a request is and enough of its id to tell it apart. */
export function requestLabel({ id, request }: ReceivedRequest): string {
  return `${requestTypeName(request.RequestType)} · ${id.slice(0, 8)}`;
}

export function formatCmDate(value: string | null | undefined, formatDate: DateFormatter): string {
  if (value === null || value === undefined || value.trim() === '' || NEVER.test(value)) {
    return 'not completed';
  }
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? value : formatDate(parsed);
}

/** The SDDL without the NUL padding CM leaves at its end. */
export function cleanSecurityDescriptor(value: string | null | undefined): string {
  return (value ?? '').replace(/\u0000+$/, '');
}

/** Every field of a request as [label, text] rows, codes decoded, for the tooltip. */
export function summarizeRequest({ id, request, raw }: ReceivedRequest, formatDate: DateFormatter): [string, string][] {
  const guid = (value: string | null | undefined): string => {
    if (value === null || value === undefined || value === '' || value === ZERO_GUID) {
      return 'none';
    }
    return value;
  };
  const withCode = (name: string, value: unknown): string => (typeof value === 'number' && !name.startsWith('Unknown') ? `${name} (${value})` : name);
  const yesNo = (value: boolean | null | undefined): string => (value === true ? 'yes' : value === false ? 'no' : 'not set');
  const items = request.DataCollection ?? [];
  const rows: [string, string][] = [
    ['Request', id],
    ['Type', withCode(requestTypeName(request.RequestType), request.RequestType)],
    ['Status', withCode(requestStatusName(request.Status), request.Status)],
    ['Flags', requestFlagNames(request.Flags)],
    ['Submitted', request.Submitted ? formatCmDate(request.Submitted, formatDate) : 'not set'],
    ['Completed', formatCmDate(request.Completed, formatDate)],
    ['Priority', request.Priority === null || request.Priority === undefined ? 'not set' : String(request.Priority)],
    ['Comment', request.Comment ? request.Comment : 'none'],
    ['Originator', guid(request.OriginatorUserUuid)],
    ['Target user', guid(request.TargetUserUuid)],
    ['Profile template', guid(request.ProfileTemplateUuid)],
    ['New profile', guid(request.NewProfileUuid)],
    ['Old profile', guid(request.OldProfileUuid)],
    ['New smart card', guid(request.NewSmartcardUuid)],
    ['Old smart card', guid(request.OldSmartcardUuid)],
    ['Smart card', yesNo(request.IsSmartcard)],
    ['Enrollment agent', yesNo(request.IsEnrollmentAgent)],
    [
      'Data collection',
      items.length === 0 ? 'none' : items.map((item) => `${item.Name ?? '(unnamed)'} = ${item.Value === null || item.Value === undefined ? '(empty)' : String(item.Value)}`).join('; '),
    ],
    ['Data collection flags', dataCollectionFlagsText(request.DataCollectionFlags)],
    ['Data collection complete', yesNo(request.IsDataCollectionComplete)],
    ['Security descriptor', cleanSecurityDescriptor(request.SecurityDescriptor) || 'none'],
  ];
  const known = new Set(Object.keys(cmRequestSchema.shape));
  if (raw !== null && typeof raw === 'object') {
    for (const [key, value] of Object.entries(raw)) {
      if (!known.has(key)) {
        rows.push([key, typeof value === 'string' ? value : JSON.stringify(value)]);
      }
    }
  }
  return rows;
}

/** Smart card requests get a card icon; everything else is a software (certificate) profile. */
export function isSmartcardRequest({ request }: ReceivedRequest): boolean {
  if (typeof request.IsSmartcard === 'boolean') {
    return request.IsSmartcard;
  }
  const flags = Number(request.Flags);
  return Number.isInteger(flags) && (flags & 2) !== 0;
}

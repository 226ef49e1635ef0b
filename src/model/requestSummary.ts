import { dataCollectionFlagsText, priorityText, requestFlagsText, requestStatusName, requestTypeName } from '../cm/codes';
import { ZERO_GUID } from '../cm/guid';
import { cmRequestSchema, type ReceivedRequest } from '../cm/schemas';
import { boundedJson, cleanServerText } from '../cm/serverText';

/** Longest value a tooltip row shows; longer ones end in "… N more characters". */
export const MAX_FIELD_TEXT = 2000;
/** Longest label a tree row shows. */
const MAX_LABEL_TEXT = 80;
/** Extra fields beyond this many are summarised in one row, so a record with 100k keys stays one tooltip. */
const MAX_EXTRA_FIELDS = 50;

import { cmTime, formatCmDate, type DateFormatter } from './cmDates';
import { formatDuration } from './requestAge';
import { personLine, requestedBy, type LookupOf } from './peopleText';
import * as l10n from '@vscode/l10n';

export { cmTime, formatCmDate, type DateFormatter } from './cmDates';

/**
 * "Enroll · Smart Card Logon": what a request is and for which profile template. Without a template name the
 * template's first GUID digits stand in, and without a template the request's own.
 */
export function requestLabel({ id, request }: ReceivedRequest, templateName?: string): string {
  const type = cleanServerText(requestTypeName(request.RequestType), MAX_LABEL_TEXT);
  if (templateName !== undefined) {
    return `${type} · ${cleanServerText(templateName, MAX_LABEL_TEXT)}`;
  }
  const template = request.ProfileTemplateUuid;
  return typeof template === 'string' && template !== '' && template !== ZERO_GUID
    ? l10n.t`${type} · template ${cleanServerText(template.replace(/^\{/, '').slice(0, 8))}`
    : `${type} · ${id.slice(0, 8)}`;
}

/** A value from the server as one bounded, clean line: strings as they are, anything else as compact JSON. */
function fieldText(value: unknown): string {
  return cleanServerText(typeof value === 'string' ? value : boundedJson(value, MAX_FIELD_TEXT * 2), MAX_FIELD_TEXT);
}

/** The SDDL without the NUL padding CM leaves at its end. */
export function cleanSecurityDescriptor(value: string | null | undefined): string {
  return (value ?? '').replace(/\u0000+$/, '');
}

/**
 * Every field of a request as [label, text] rows, codes decoded, for the tooltip and the filter. Each text is
 * clean and bounded, whatever the server put in the record.
 */
export function summarizeRequest(
  { id, request, raw }: ReceivedRequest,
  formatDate: DateFormatter,
  templateName?: string,
  people: LookupOf = () => undefined,
): [string, string][] {
  const guid = (value: string | null | undefined): string => {
    if (value === null || value === undefined || value === '' || value === ZERO_GUID) {
      return l10n.t('none');
    }
    return fieldText(value);
  };
  const withCode = (name: string, value: unknown): string =>
    fieldText(typeof value === 'number' && !name.startsWith('Unknown') ? `${name} (${value})` : name);
  // A user GUID with what the directory says of it (the GUID stays beside the name).
  const person = (value: string | null | undefined): string =>
    typeof value === 'string' && value !== '' && value !== ZERO_GUID ? fieldText(personLine(fieldText(value), people(value))) : guid(value);
  const requested = requestedBy(
    typeof request.TargetUserUuid === 'string' ? request.TargetUserUuid : undefined,
    typeof request.OriginatorUserUuid === 'string' ? request.OriginatorUserUuid : undefined,
    people,
  );
  const yesNo = (value: boolean | null | undefined): string =>
    value === true ? l10n.t('yes') : value === false ? l10n.t('no') : l10n.t('not set');
  const items = request.DataCollection ?? [];
  const rows: [string, string][] = [
    [l10n.t('Request'), id],
    [l10n.t('Type'), withCode(requestTypeName(request.RequestType), request.RequestType)],
    [l10n.t('Status'), withCode(requestStatusName(request.Status), request.Status)],
    [l10n.t('Flags'), fieldText(requestFlagsText(request.Flags, request.IsSmartcard, request.IsEnrollmentAgent))],
    [l10n.t('Submitted'), request.Submitted ? formatCmDate(request.Submitted, formatDate) : l10n.t('not set')],
    [l10n.t('Completed'), formatCmDate(request.Completed, formatDate)],
    ...took(request.Submitted, request.Completed),
    [l10n.t('Priority'), fieldText(priorityText(request.Priority))],
    [l10n.t('Comment'), request.Comment ? fieldText(request.Comment) : l10n.t('none')],
    [l10n.t('Originator'), person(request.OriginatorUserUuid)],
    [l10n.t('Target user'), person(request.TargetUserUuid)],
    ...(requested === undefined ? [] : ([[l10n.t('Requested'), fieldText(requested)]] as [string, string][])),
    [
      l10n.t('Profile template'),
      templateName === undefined ? guid(request.ProfileTemplateUuid) : `${fieldText(templateName)} (${guid(request.ProfileTemplateUuid)})`,
    ],
    [l10n.t('New profile'), guid(request.NewProfileUuid)],
    [l10n.t('Old profile'), guid(request.OldProfileUuid)],
    [l10n.t('New smart card'), guid(request.NewSmartcardUuid)],
    [l10n.t('Old smart card'), guid(request.OldSmartcardUuid)],
    [l10n.t('Smart card'), yesNo(request.IsSmartcard)],
    [l10n.t('Enrollment agent'), yesNo(request.IsEnrollmentAgent)],
    [
      l10n.t('Data collection'),
      items.length === 0
        ? l10n.t('none')
        : fieldText(
            items
              .slice(0, MAX_EXTRA_FIELDS)
              .map(
                (item) =>
                  `${item.Name ? fieldText(item.Name) : l10n.t('(unnamed)')} = ${item.Value === null || item.Value === undefined ? l10n.t('(empty)') : fieldText(item.Value)}`,
              )
              .join('; ') + (items.length > MAX_EXTRA_FIELDS ? l10n.t`; … and ${items.length - MAX_EXTRA_FIELDS} more items` : ''),
          ),
    ],
    [l10n.t('Data collection flags'), fieldText(dataCollectionFlagsText(request.DataCollectionFlags))],
    [l10n.t('Data collection complete'), yesNo(request.IsDataCollectionComplete)],
    [l10n.t('Security descriptor'), fieldText(cleanSecurityDescriptor(request.SecurityDescriptor)) || l10n.t('none')],
  ];
  if (raw !== null && typeof raw === 'object') {
    const extra = Object.keys(raw).filter((key) => !KNOWN_FIELDS.has(key));
    for (const key of extra.slice(0, MAX_EXTRA_FIELDS)) {
      rows.push([cleanServerText(key, MAX_LABEL_TEXT) || l10n.t('(empty name)'), fieldText((raw as Record<string, unknown>)[key])]);
    }
    if (extra.length > MAX_EXTRA_FIELDS) {
      rows.push([l10n.t('More fields'), l10n.t`${extra.length - MAX_EXTRA_FIELDS} more (open the request to see them)`]);
    }
  }
  return rows;
}

/** How long a finished request took, Submitted → Completed; nothing for one still open. */
function took(submitted: string | null | undefined, completed: string | null | undefined): [string, string][] {
  const start = cmTime(submitted);
  const end = cmTime(completed);
  return start === undefined || end === undefined ? [] : [[l10n.t('Took'), l10n.t`${formatDuration(end - start)} (Submitted → Completed)`]];
}

const KNOWN_FIELDS = new Set(Object.keys(cmRequestSchema.shape));

/** Smart card requests get a card icon; everything else is a software (certificate) profile. */
export function isSmartcardRequest({ request }: ReceivedRequest): boolean {
  if (typeof request.IsSmartcard === 'boolean') {
    return request.IsSmartcard;
  }
  const flags = Number(request.Flags);
  return Number.isInteger(flags) && (flags & 2) !== 0;
}

// "Why is this request still Pending?" The REST API cannot say which approvals were given (only the CM portal
// shows them), but the template's workflow policy for the request's type says what the request needs.
import { requestTypeName } from '../cm/codes';
import type { ReceivedRequest } from '../cm/schemas';
import { boundedJson, cleanServerText } from '../cm/serverText';
import { canonicalSid } from '../directory/adIdentifiers';
import { personLine, type LookupOf } from './peopleText';
import * as l10n from '@vscode/l10n';

const MAX_TEXT = 600;

export const approvalsNotInApi = () =>
  l10n.t('Approvals already given are not available through the CM REST API; the CM portal shows them (request details → approvals).');

/** Reasons a pending request may be waiting, as [topic, explanation] rows; `policy` undefined when unreadable. */
export function pendingReasons(
  { request }: ReceivedRequest,
  policy: unknown,
  policyProblem: string | undefined,
  templateName: string | undefined,
  people: LookupOf = () => undefined,
): [string, string][] {
  const list = (value: unknown): string => listText(value, people);
  const type = cleanServerText(requestTypeName(request.RequestType), 60);
  const template = cleanServerText(templateName ?? request.ProfileTemplateUuid ?? l10n.t('its template'), 120);
  const rows: [string, string][] = [];
  if (policy === undefined || policy === null || typeof policy !== 'object') {
    rows.push([l10n.t('Workflow policy'), policyProblem ?? l10n.t`The ${type} policy of ${template} could not be read.`]);
  } else {
    const fields = policy as Record<string, unknown>;
    const needed = Number(fields.ApprovalsNeeded);
    rows.push([
      l10n.t('Approvals needed'),
      Number.isInteger(needed)
        ? needed === 0
          ? l10n.t`None: the ${type} policy of ${template} needs no approval`
          : l10n.t`${needed} by the ${type} policy of ${template}`
        : l10n.t('not stated by the policy'),
    ]);
    rows.push([l10n.t('Who may approve'), list(fields.AuthorizedApprover)]);
    if (fields.AuthorizedEnrollmentAgent !== undefined) {
      rows.push([l10n.t('Enrollment agents'), list(fields.AuthorizedEnrollmentAgent)]);
    }
    if (fields.AuthorizedInitiator !== undefined) {
      rows.push([l10n.t('Who may request'), list(fields.AuthorizedInitiator)]);
    }
    if (fields.EnrollAgentRequired === true) {
      rows.push([
        l10n.t('Enrollment agent'),
        request.IsEnrollmentAgent === true
          ? l10n.t('required, and this request is by an enrollment agent')
          : l10n.t('required: an enrollment agent must carry this request out'),
      ]);
    }
    if (fields.OneTimePasswordPolicy !== undefined && fields.OneTimePasswordPolicy !== null) {
      rows.push([l10n.t('One-time passwords'), valueText(fields.OneTimePasswordPolicy)]);
    }
  }
  rows.push([
    l10n.t('Data collection'),
    request.IsDataCollectionComplete === true
      ? l10n.t('complete')
      : request.IsDataCollectionComplete === false
        ? l10n.t('not complete: the request waits for the data its policy collects')
        : l10n.t('not stated by the server'),
  ]);
  rows.push([l10n.t('Approvals given'), approvalsNotInApi()]);
  return rows;
}

/** A policy's list of principals; a SID is named from the directory, with the SID beside the name. */
function listText(value: unknown, people: LookupOf): string {
  const item = (entry: unknown): string => {
    const sid = typeof entry === 'string' ? canonicalSid(entry) : undefined;
    return sid === undefined ? valueText(entry) : personLine(sid, people(sid));
  };
  if (Array.isArray(value)) {
    return value.length === 0 ? l10n.t('nobody named') : cleanServerText(value.map(item).join('; '), MAX_TEXT);
  }
  return value === undefined || value === null || value === '' ? l10n.t('not stated by the policy') : item(value);
}

function valueText(value: unknown): string {
  return cleanServerText(typeof value === 'string' ? value : boundedJson(value, MAX_TEXT), MAX_TEXT);
}

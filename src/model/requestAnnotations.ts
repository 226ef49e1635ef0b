import {
  inferredName,
  keyUsagesText,
  LINKED_CODE_TABLES,
  priorityText,
  requestFlagNames,
  requestStatusName,
  requestTypeName,
} from '../cm/codes';
import { ZERO_GUID } from '../cm/guid';
import { cleanServerText } from '../cm/serverText';
import { formatCmDate, type DateFormatter } from './cmDates';
import { fullName, shortName } from '../directory/directoryEntry';
import type { LookupOf } from './peopleText';
import * as l10n from '@vscode/l10n';

/** A decoded value to show after a line of a request's JSON, where the raw value alone says little. */
export interface Annotation {
  readonly line: number;
  /** Just after the value. */
  readonly character: number;
  readonly label: string;
}

/** A top-level `"Key": value` line as requestJson writes it (two-space indent), with a number or string value. */
const TOP_LEVEL_VALUE = /^ {2}"([^"\\]+)": (-?\d+(?:\.\d+)?|"(?:[^"\\]|\\.)*")/;

/**
 * The decodings the tooltip shows, placed in the JSON itself: status and type names for their codes, flag
 * names, dates in local time, "not completed" for .NET's minimum date, "none" for all-zero GUIDs.
 */
export function annotateRequestJson(
  text: string,
  formatDate: DateFormatter,
  templateName: TemplateNameOf = () => undefined,
  people: LookupOf = () => undefined,
): Annotation[] {
  const annotations: Annotation[] = [];
  text.split('\n').forEach((line, index) => {
    const match = TOP_LEVEL_VALUE.exec(line);
    if (match === null || match[1] === undefined || match[2] === undefined) {
      return;
    }
    const value = parseValue(match[2]);
    if (match[1] === 'SecurityDescriptor' && typeof value === 'string') {
      annotations.push(...sidAnnotations(line, index, people));
      return;
    }
    const decoded =
      value === undefined
        ? undefined
        : match[1] === 'ProfileTemplateUuid' && typeof value === 'string'
          ? templateName(value)
          : USER_KEYS.has(match[1]) && typeof value === 'string' && value !== ZERO_GUID
            ? personHint(people(value))
            : annotationFor(match[1], value, formatDate);
    // A server that sends names instead of codes needs no translation.
    if (decoded !== undefined && value !== undefined && decoded.toLowerCase() !== String(value).toLowerCase()) {
      annotations.push({ line: index, character: match[0].length, label: cleanServerText(decoded, MAX_HINT) });
    }
  });
  return annotations;
}

/** A hint is a few words beside a value, whatever the value holds. */
const MAX_HINT = 120;

/** The fields CM fills with a user's objectGUID. */
const USER_KEYS = new Set(['TargetUserUuid', 'OriginatorUserUuid', 'AssignedUserUuid']);

/** A person's names beside their GUID or SID; nothing while the directory has not said. */
function personHint(lookup: ReturnType<LookupOf>): string | undefined {
  if (lookup === undefined) {
    return undefined;
  }
  return lookup === null ? l10n.t('not in the directory') : fullName(lookup);
}

/**
 * A short hint after each SID's first place in a security descriptor's SDDL (the owner, each trustee): the editor
 * gives a line's hints a few dozen characters in all, so a name alone; the hover lists every SID in full.
 */
function sidAnnotations(line: string, index: number, people: LookupOf): Annotation[] {
  const annotations: Annotation[] = [];
  const seen = new Set<string>();
  for (const match of line.matchAll(/S-1-\d{1,15}(?:-\d{1,10}){0,15}/g)) {
    if (seen.has(match[0])) {
      continue;
    }
    seen.add(match[0]);
    const lookup = people(match[0]);
    const label = lookup === undefined ? undefined : lookup === null ? l10n.t('not in the directory') : shortName(lookup);
    if (label !== undefined) {
      annotations.push({ line: index, character: (match.index ?? 0) + match[0].length, label: cleanServerText(label, MAX_HINT) });
    }
  }
  return annotations;
}

function parseValue(text: string): number | string | undefined {
  try {
    return JSON.parse(text) as number | string;
  } catch {
    return undefined;
  }
}

function annotationFor(key: string, value: number | string, formatDate: DateFormatter): string | undefined {
  switch (key) {
    case 'Status':
      return requestStatusName(value);
    case 'RequestType':
      return requestTypeName(value);
    case 'Flags':
      // The JSON already shows the number next to it; the bits are inferred (the Is… fields are the authority).
      return `${requestFlagNames(value).replace(/ \(\d+\)$/, '')} (inferred)`;
    case 'Priority':
      return priorityText(value)
        .replace(/^\d+ /, '')
        .replace(/^\((.*)\)$/, '$1');
    case 'Submitted':
    case 'Completed': {
      if (typeof value !== 'string') {
        return undefined;
      }
      const shown = formatCmDate(value, formatDate);
      return key === 'Submitted' && shown === l10n.t('not completed') ? l10n.t('not set') : shown;
    }
    default:
      return key.endsWith('Uuid') && value === ZERO_GUID ? l10n.t('none') : undefined;
  }
}

/** A template's name for its GUID, when the server gave one. */
export type TemplateNameOf = (id: string) => string | undefined;

/** Any `"Key": value` line of a pretty-printed document, at any depth. */
const ANY_VALUE = /^(\s*)"([^"\\]+)": (-?\d+(?:\.\d+)?|"(?:[^"\\]|\\.)*")/;
/** A top-level section of a linked object's document: `  "Smartcard": {`. */
const SECTION = /^ {2}"([^"\\]+)": [[{]/;

/**
 * Hints for a linked object's document (profile, smart card, template, a request's objects): codes decoded
 * from the tables in codes.ts, each marked inferred; template names; "none" for all-zero GUIDs. A code no
 * table names is left as the server sent it.
 */
export function annotateLinkedJson(
  text: string,
  templateName: TemplateNameOf = () => undefined,
  people: LookupOf = () => undefined,
): Annotation[] {
  const annotations: Annotation[] = [];
  let section = '';
  text.split('\n').forEach((line, index) => {
    section = SECTION.exec(line)?.[1] ?? section;
    const match = ANY_VALUE.exec(line);
    if (match === null || match[2] === undefined || match[3] === undefined || (match[1]?.length ?? 0) <= 2) {
      return;
    }
    const value = parseValue(match[3]);
    const label =
      value === undefined
        ? undefined
        : USER_KEYS.has(match[2]) && typeof value === 'string' && value !== ZERO_GUID
          ? personHint(people(value))
          : linkedAnnotation(section, match[2], value, templateName);
    if (label !== undefined) {
      annotations.push({ line: index, character: match[0].length, label: cleanServerText(label, MAX_HINT) });
    }
  });
  return annotations;
}

function linkedAnnotation(section: string, key: string, value: number | string, templateName: TemplateNameOf): string | undefined {
  if (typeof value === 'string') {
    if (key.endsWith('Uuid') && value === ZERO_GUID) {
      return l10n.t('none');
    }
    return key === 'ProfileTemplateUuid' ? templateName(value) : undefined;
  }
  const tables = LINKED_CODE_TABLES;
  switch (key) {
    case 'Status':
      return section === 'Smartcard'
        ? inferredName(tables.smartcardStatus, value)
        : section === 'Profile' || section === 'Profiles'
          ? inferredName(tables.profileStatus, value)
          : undefined;
    case 'Flags':
      return section === 'Smartcard' || section === 'Profile' || section === 'Profiles'
        ? inferredName(tables.objectFlags, value)
        : undefined;
    case 'Exportable':
      return inferredName(tables.exportable, value);
    case 'KeyProtectionLevel':
      return inferredName(tables.keyProtectionLevel, value);
    case 'KeyUsages':
      return keyUsagesText(value);
    default:
      return undefined;
  }
}

/** The user GUIDs and the SIDs a document holds (user fields at any depth, SIDs in SDDL), each once: to look up. */
export function peopleKeysIn(text: string): string[] {
  const keys = new Set<string>();
  for (const line of text.split('\n')) {
    const match = ANY_VALUE.exec(line);
    if (match === null || match[2] === undefined || match[3] === undefined) {
      continue;
    }
    const value = parseValue(match[3]);
    if (typeof value !== 'string') {
      continue;
    }
    if (USER_KEYS.has(match[2]) && value !== ZERO_GUID) {
      keys.add(value);
    } else if (match[2] === 'SecurityDescriptor') {
      for (const sid of line.matchAll(/S-1-\d{1,15}(?:-\d{1,10}){0,15}/g)) {
        keys.add(sid[0]);
      }
    }
  }
  return [...keys].slice(0, 200);
}

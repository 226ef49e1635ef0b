// Where the GUIDs in a request's (or a linked object's) JSON lead: templates, profiles and smart cards get a
// link to their own read-only document. All-zero GUIDs mean "none" and lead nowhere.
import { policyTypeFor } from '../cm/codes';
import { ZERO_GUID } from '../cm/guid';
import type { LinkedKind } from './linkedDocuments';

export interface LinkTarget {
  readonly line: number;
  /** Column range of the GUID itself, without quotes. */
  readonly start: number;
  readonly end: number;
  readonly kind: Exclude<LinkedKind, 'objects'>;
  readonly id: string;
  readonly policyType?: string;
}

const FIELD_KINDS: Readonly<Record<string, LinkTarget['kind']>> = {
  ProfileTemplateUuid: 'template',
  NewProfileUuid: 'profile',
  OldProfileUuid: 'profile',
  ParentProfileUuid: 'profile',
  PrimaryProfileUuid: 'profile',
  NewSmartcardUuid: 'smartcard',
  OldSmartcardUuid: 'smartcard',
  ParentSmartcardUuid: 'smartcard',
  PrimarySmartcardUuid: 'smartcard',
  PermanentSmartcardUuid: 'smartcard',
};

const LINE = /^(\s*)"([A-Za-z]+)": "\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?"/;
const REQUEST_TYPE = /^ {2}"RequestType": (-?\d+|"[^"]*")/m;

/** Every linkable GUID in a pretty-printed document; a template link carries the request type's policy. */
export function findLinkTargets(text: string): LinkTarget[] {
  const typeMatch = REQUEST_TYPE.exec(text)?.[1];
  const policyType = typeMatch === undefined ? undefined : policyTypeFor(JSON.parse(typeMatch) as number | string);
  const targets: LinkTarget[] = [];
  text.split('\n').forEach((line, index) => {
    const match = LINE.exec(line);
    const kind = match?.[2] === undefined ? undefined : FIELD_KINDS[match[2]];
    const guid = match?.[3];
    if (match === null || kind === undefined || guid === undefined || guid === ZERO_GUID) {
      return;
    }
    const start = line.indexOf(guid, (match[1]?.length ?? 0) + (match[2]?.length ?? 0) + 4);
    targets.push({
      line: index,
      start,
      end: start + guid.length,
      kind,
      id: guid.toLowerCase(),
      ...(kind === 'template' && policyType !== undefined ? { policyType } : {}),
    });
  });
  return targets;
}

// People in the words an admin uses, with the GUID or SID still beside the name: what a tooltip, a hint, a group
// or a page says of a user or group the directory named (or did not).
import { fullName, shortName, type Lookup } from '../directory/directoryEntry';
import * as l10n from '@vscode/l10n';

/** What the directory said of a key: the entry, null (not there), or undefined (not known yet). */
export type LookupOf = (key: string) => Lookup | undefined;

/** "Alice Smith (CONTOSO\alice, alice@contoso.com) · 0378a33b-…"; the key alone while unknown. */
export function personLine(key: string, lookup: Lookup | undefined): string {
  if (lookup === undefined) {
    return key;
  }
  const name = lookup === null ? undefined : fullName(lookup);
  return name === undefined ? l10n.t`${key} · not in the directory` : `${name} · ${key}`;
}

/** A group of requests for one person: "Alice Smith · 0378a33b", or the whole GUID while no name is known. */
export function personGroupLabel(guid: string, lookup: Lookup | undefined): string {
  const name = lookup === null || lookup === undefined ? undefined : shortName(lookup);
  if (name !== undefined) {
    return `${name} · ${guid.slice(0, 8)}`;
  }
  return lookup === null ? l10n.t`${guid} · not in the directory` : l10n.t`User ${guid}`;
}

/** The shortest name of a person, or undefined while the directory has not said. */
export function personName(lookup: Lookup | undefined): string | undefined {
  return lookup === null || lookup === undefined ? undefined : shortName(lookup);
}

/**
 * Who asked for whom: "self-service" when the originator is the target user, else "Help Desk on behalf of Alice
 * Smith" (GUID prefixes where names are unknown).
 */
export function requestedBy(target: string | undefined, originator: string | undefined, lookupOf: LookupOf): string | undefined {
  if (target === undefined || originator === undefined || target === '' || originator === '') {
    return undefined;
  }
  if (target.toLowerCase() === originator.toLowerCase()) {
    return l10n.t('self-service: the target user asked for it');
  }
  const name = (key: string): string => personName(lookupOf(key)) ?? key.slice(0, 8);
  return l10n.t`${name(originator)} on behalf of ${name(target)}`;
}

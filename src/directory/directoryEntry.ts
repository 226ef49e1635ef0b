// What the directory says about a GUID or SID: who or what it is, in the words an admin uses. Directory text is
// server text: cleaned and bounded before it is kept, so every place that shows a name shows it safely.
import { cleanServerText } from '../cm/serverText';
import * as l10n from '@vscode/l10n';

export type EntryKind = 'user' | 'group' | 'computer' | 'other';

export interface DirectoryEntry {
  readonly kind: EntryKind;
  /** displayName, else cn: "Alice Smith". */
  readonly name?: string;
  /** DOMAIN\sAMAccountName (just sAMAccountName while the domain's NetBIOS name is unknown). */
  readonly account?: string;
  /** userPrincipalName: alice@contoso.com. */
  readonly upn?: string;
}

/** The answer for one GUID or SID: the entry, or null when the directory has none. */
export type Lookup = DirectoryEntry | null;

/** A person's, group's or account's words are a few of them: longer is hostile or broken. */
const MAX_NAME = 80;

/** Cleans what the directory sent (control characters, bidi overrides, length) and drops what is empty. */
export function directoryText(value: string | undefined): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  const cleaned = cleanServerText(value.trim(), MAX_NAME);
  return cleaned === '' ? undefined : cleaned;
}

/** The shortest name that says who it is: the display name, else the account, else the UPN. */
export function shortName(entry: DirectoryEntry): string | undefined {
  return entry.name ?? entry.account ?? entry.upn;
}

/** "Alice Smith (CONTOSO\alice, alice@contoso.com)": every name the directory gave, each once. */
export function fullName(entry: DirectoryEntry): string | undefined {
  const first = shortName(entry);
  if (first === undefined) {
    return undefined;
  }
  const others = [entry.account, entry.upn].filter((part): part is string => part !== undefined && part !== first);
  return others.length === 0 ? first : `${first} (${others.join(', ')})`;
}

/** What a GUID or SID is known as, for a hint or a tooltip: its full name, or that the directory has none. */
export function lookupText(lookup: Lookup): string {
  return lookup === null ? l10n.t('not in the directory') : (fullName(lookup) ?? l10n.t('not in the directory'));
}

/** The words a filter finds a person by: every name, lower case. */
export function searchableNames(entry: DirectoryEntry): string {
  return [entry.name, entry.account, entry.upn]
    .filter((part) => part !== undefined)
    .join('\n')
    .toLowerCase();
}

import * as vscode from 'vscode';
import { parseRequestGuid } from '../cm/guid';
import type { LinkedAddress, LinkedKind } from '../model/linkedDocuments';

export const REQUEST_SCHEME = 'mimcm';

/** Which request of which server a tab shows; `serverId` is undefined for the first (or only) server. */
export interface RequestAddress {
  readonly requestId: string;
  readonly serverId?: string;
}

/** Every document the extension shows: a request, what it links to, or why it is pending. */
export type DocumentAddress =
  | { readonly kind: 'request'; readonly requestId: string; readonly serverId?: string }
  | { readonly kind: 'linked'; readonly linked: LinkedAddress; readonly serverId?: string }
  | { readonly kind: 'whyPending'; readonly requestId: string; readonly serverId?: string };

const LINKED_FOLDERS: Readonly<Record<Exclude<LinkedKind, 'objects'>, string>> = {
  profile: 'profiles',
  smartcard: 'smartcards',
  template: 'profiletemplates',
};

const serverQuery = (serverId: string | undefined, extra: Record<string, string> = {}): string =>
  new URLSearchParams({ ...extra, ...(serverId === undefined ? {} : { server: serverId }) }).toString();

/**
 * mimcm:/requests/<guid>.json — one URI per request, so reopening reuses the tab; ".json" gives JSON mode. With
 * several servers the server's id goes in the query, which keeps the tab title the GUID alone.
 */
export function requestUri(requestId: string, serverId?: string): vscode.Uri {
  return vscode.Uri.from({ scheme: REQUEST_SCHEME, path: `/requests/${requestId}.json`, query: serverQuery(serverId) });
}

/** mimcm:/profiles/<guid>.json, /smartcards/…, /profiletemplates/<guid>.json?type=Enroll, /requests/<guid>/objects.json. */
export function linkedUri(linked: LinkedAddress, serverId?: string): vscode.Uri {
  const path = linked.kind === 'objects' ? `/requests/${linked.id}/objects.json` : `/${LINKED_FOLDERS[linked.kind]}/${linked.id}.json`;
  const extra: Record<string, string> = linked.policyType === undefined ? {} : { type: linked.policyType };
  return vscode.Uri.from({ scheme: REQUEST_SCHEME, path, query: serverQuery(serverId, extra) });
}

/** mimcm:/requests/<guid>/why-pending.md: Markdown, so it reads as a page and previews. */
export function whyPendingUri(requestId: string, serverId?: string): vscode.Uri {
  return vscode.Uri.from({ scheme: REQUEST_SCHEME, path: `/requests/${requestId}/why-pending.md`, query: serverQuery(serverId) });
}

export function documentAddress(uri: vscode.Uri): DocumentAddress | undefined {
  if (uri.scheme !== REQUEST_SCHEME) {
    return undefined;
  }
  const query = new URLSearchParams(uri.query);
  const serverId = query.get('server') ?? undefined;
  const match = /^\/(requests|profiles|smartcards|profiletemplates)\/([^/]+?)(\.json|\/objects\.json|\/why-pending\.md)$/.exec(uri.path);
  const parsed = match?.[2] === undefined ? undefined : parseRequestGuid(match[2]);
  if (match === null || !parsed?.ok) {
    return undefined;
  }
  const [, folder, , ending] = match;
  if (folder === 'requests') {
    return ending === '.json'
      ? { kind: 'request', requestId: parsed.guid, serverId }
      : ending === '/objects.json'
        ? { kind: 'linked', linked: { kind: 'objects', id: parsed.guid }, serverId }
        : { kind: 'whyPending', requestId: parsed.guid, serverId };
  }
  if (ending !== '.json') {
    return undefined;
  }
  const kind = folder === 'profiles' ? 'profile' : folder === 'smartcards' ? 'smartcard' : 'template';
  const type = query.get('type');
  const policyType = kind === 'template' && type !== null && /^[A-Za-z]{1,40}$/.test(type) ? type : undefined;
  return { kind: 'linked', linked: { kind, id: parsed.guid, ...(policyType === undefined ? {} : { policyType }) }, serverId };
}

export function requestAddress(uri: vscode.Uri): RequestAddress | undefined {
  const address = documentAddress(uri);
  return address?.kind === 'request' ? { requestId: address.requestId, serverId: address.serverId } : undefined;
}

export function requestIdFromUri(uri: vscode.Uri): string | undefined {
  return requestAddress(uri)?.requestId;
}

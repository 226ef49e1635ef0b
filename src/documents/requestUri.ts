import * as vscode from 'vscode';
import { parseRequestGuid } from '../cm/guid';

export const REQUEST_SCHEME = 'mimcm';

/** Which request of which server a tab shows; `serverId` is undefined for the first (or only) server. */
export interface RequestAddress {
  readonly requestId: string;
  readonly serverId?: string;
}

/**
 * mimcm:/requests/<guid>.json — one URI per request, so reopening reuses the tab; ".json" gives JSON mode. With
 * several servers the server's id goes in the query, which keeps the tab title the GUID alone.
 */
export function requestUri(requestId: string, serverId?: string): vscode.Uri {
  return vscode.Uri.from({
    scheme: REQUEST_SCHEME,
    path: `/requests/${requestId}.json`,
    query: serverId === undefined ? '' : new URLSearchParams({ server: serverId }).toString(),
  });
}

export function requestAddress(uri: vscode.Uri): RequestAddress | undefined {
  if (uri.scheme !== REQUEST_SCHEME) {
    return undefined;
  }
  const match = /^\/requests\/([^/]+)\.json$/.exec(uri.path);
  const parsed = match?.[1] === undefined ? undefined : parseRequestGuid(match[1]);
  if (!parsed?.ok) {
    return undefined;
  }
  const serverId = new URLSearchParams(uri.query).get('server') ?? undefined;
  return { requestId: parsed.guid, serverId };
}

export function requestIdFromUri(uri: vscode.Uri): string | undefined {
  return requestAddress(uri)?.requestId;
}

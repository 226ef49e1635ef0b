import * as vscode from 'vscode';
import { parseRequestGuid } from '../cm/guid';

export const REQUEST_SCHEME = 'mimcm';

/** mimcm:/requests/<guid>.json — one URI per request, so reopening reuses the tab; ".json" gives JSON mode. */
export function requestUri(requestId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: REQUEST_SCHEME, path: `/requests/${requestId}.json` });
}

export function requestIdFromUri(uri: vscode.Uri): string | undefined {
  if (uri.scheme !== REQUEST_SCHEME) {
    return undefined;
  }
  const match = /^\/requests\/([^/]+)\.json$/.exec(uri.path);
  const parsed = match?.[1] === undefined ? undefined : parseRequestGuid(match[1]);
  return parsed?.ok ? parsed.guid : undefined;
}

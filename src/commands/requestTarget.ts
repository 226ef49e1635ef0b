// The request a command acts on: a request row, a (request id, server id) pair, the request tab in front, or a
// GUID the user types; and its server (the row's or tab's, the only one, or the user's pick).
import * as vscode from 'vscode';
import { parseRequestGuid } from '../cm/guid';
import { documentAddress } from '../documents/requestUri';
import type { ServerSession } from '../servers/serverSession';
import type { Servers } from '../servers/servers';
import { pickServer } from './pickServer';
import * as l10n from '@vscode/l10n';

export interface RequestTarget {
  readonly requestId: string;
  readonly session: ServerSession;
}

export async function requestTargetOf(
  servers: Servers,
  arg: unknown,
  serverIdArg: unknown,
  purpose: string,
): Promise<RequestTarget | undefined> {
  const fromNode = nodeTarget(arg);
  const fromTab = arg === undefined ? tabTarget() : undefined;
  const requestId =
    fromNode?.requestId ?? (typeof arg === 'string' ? guidOf(arg) : undefined) ?? fromTab?.requestId ?? (await askForGuid(purpose));
  if (requestId === undefined) {
    return undefined;
  }
  const serverId = fromNode?.serverId ?? (typeof serverIdArg === 'string' ? serverIdArg : undefined) ?? fromTab?.serverId;
  // A tab without a server in its URI belongs to the first server.
  const session = fromTab !== undefined && serverId === undefined ? servers.all[0] : await pickServer(servers, serverId, purpose);
  return session === undefined ? undefined : { requestId, session };
}

/** The first server keeps plain URIs (tabs opened before several servers existed still match). */
export function uriServerId(servers: Servers, session: ServerSession): string | undefined {
  return session === servers.all[0] ? undefined : session.id;
}

function nodeTarget(arg: unknown): { requestId: string; serverId?: string } | undefined {
  if (typeof arg !== 'object' || arg === null) {
    return undefined;
  }
  const { requestId, serverId } = arg as { requestId?: unknown; serverId?: unknown };
  return typeof requestId === 'string' ? { requestId, serverId: typeof serverId === 'string' ? serverId : undefined } : undefined;
}

function tabTarget(): { requestId: string; serverId?: string } | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  const address = uri === undefined ? undefined : documentAddress(uri);
  if (address?.kind === 'request' || address?.kind === 'whyPending') {
    return { requestId: address.requestId, serverId: address.serverId };
  }
  return address?.kind === 'linked' && address.linked.kind === 'objects'
    ? { requestId: address.linked.id, serverId: address.serverId }
    : undefined;
}

function guidOf(text: string): string | undefined {
  const parsed = parseRequestGuid(text);
  return parsed.ok ? parsed.guid : undefined;
}

async function askForGuid(purpose: string): Promise<string | undefined> {
  const text = await vscode.window.showInputBox({
    title: purpose,
    prompt: l10n.t('The request GUID (braces and upper case are fine)'),
    ignoreFocusOut: true,
    validateInput: (value) => {
      const parsed = parseRequestGuid(value);
      return value.trim() === '' || parsed.ok ? undefined : parsed.message;
    },
  });
  return text === undefined ? undefined : guidOf(text);
}

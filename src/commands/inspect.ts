// Commands that explain one request: why it is pending, the objects it produced or changed, and the other
// loaded requests it shares a profile, card or user with. Each takes a request row, a request tab, or asks.
import * as vscode from 'vscode';
import { parseRequestGuid } from '../cm/guid';
import { COMMANDS } from '../commandIds';
import { documentAddress, linkedUri, whyPendingUri } from '../documents/requestUri';
import type { ServerSession } from '../servers/serverSession';
import type { Servers } from '../servers/servers';
import type { RequestsTreeProvider } from '../tree/requestsTreeProvider';
import { pickServer } from './pickServer';

export interface InspectDeps {
  readonly servers: Servers;
  readonly tree: RequestsTreeProvider;
}

interface Target {
  readonly requestId: string;
  readonly session: ServerSession;
}

export function registerInspect(context: vscode.ExtensionContext, deps: InspectDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.whyPending, async (arg?: unknown, serverId?: unknown) => {
      const target = await targetOf(deps.servers, arg, serverId, 'Why Is This Pending?');
      return target === undefined ? undefined : open(whyPendingUri(target.requestId, uriServerId(deps.servers, target.session)));
    }),
    vscode.commands.registerCommand(COMMANDS.showRelatedObjects, async (arg?: unknown, serverId?: unknown) => {
      const target = await targetOf(deps.servers, arg, serverId, 'Show Related Objects');
      return target === undefined
        ? undefined
        : open(linkedUri({ kind: 'objects', id: target.requestId }, uriServerId(deps.servers, target.session)));
    }),
    vscode.commands.registerCommand(COMMANDS.showRelatedRequests, async (arg?: unknown, serverId?: unknown) => {
      const target = await targetOf(deps.servers, arg, serverId, 'Show Related Requests');
      if (target === undefined) {
        return undefined;
      }
      const filter = await target.session.relatedFilter(target.requestId);
      if (filter === undefined || filter === '') {
        void vscode.window.showInformationMessage(
          `Request ${target.requestId.slice(0, 8)} names no profile, smart card or target user to look for.`,
        );
        return undefined;
      }
      await deps.tree.setFilter(filter);
      return filter;
    }),
  );
}

/** The first server keeps plain URIs (tabs opened before several servers existed still match). */
function uriServerId(servers: Servers, session: ServerSession): string | undefined {
  return session === servers.all[0] ? undefined : session.id;
}

async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false });
}

/** A request row, a (request id, server id) pair, the request tab in front, or a GUID the user types. */
async function targetOf(servers: Servers, arg: unknown, serverIdArg: unknown, purpose: string): Promise<Target | undefined> {
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
    prompt: 'The request GUID (braces and upper case are fine)',
    ignoreFocusOut: true,
    validateInput: (value) => {
      const parsed = parseRequestGuid(value);
      return value.trim() === '' || parsed.ok ? undefined : parsed.message;
    },
  });
  return text === undefined ? undefined : guidOf(text);
}

// Commands that explain one request: why it is pending, the objects it produced or changed, and the other
// loaded requests it shares a profile, card or user with. Each takes a request row, a request tab, or asks.
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { linkedUri, whyPendingUri } from '../documents/requestUri';
import type { Servers } from '../servers/servers';
import type { RequestsTreeProvider } from '../tree/requestsTreeProvider';
import { requestTargetOf, uriServerId } from './requestTarget';
import * as l10n from '@vscode/l10n';

export interface InspectDeps {
  readonly servers: Servers;
  readonly tree: RequestsTreeProvider;
}

export function registerInspect(context: vscode.ExtensionContext, deps: InspectDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.whyPending, async (arg?: unknown, serverId?: unknown) => {
      const target = await requestTargetOf(deps.servers, arg, serverId, l10n.t('Why Is This Pending?'));
      return target === undefined ? undefined : open(whyPendingUri(target.requestId, uriServerId(deps.servers, target.session)));
    }),
    vscode.commands.registerCommand(COMMANDS.showRelatedObjects, async (arg?: unknown, serverId?: unknown) => {
      const target = await requestTargetOf(deps.servers, arg, serverId, l10n.t('Show Related Objects'));
      return target === undefined
        ? undefined
        : open(linkedUri({ kind: 'objects', id: target.requestId }, uriServerId(deps.servers, target.session)));
    }),
    vscode.commands.registerCommand(COMMANDS.showRelatedRequests, async (arg?: unknown, serverId?: unknown) => {
      const target = await requestTargetOf(deps.servers, arg, serverId, l10n.t('Show Related Requests'));
      if (target === undefined) {
        return undefined;
      }
      const filter = await target.session.relatedFilter(target.requestId);
      if (filter === undefined || filter === '') {
        void vscode.window.showInformationMessage(
          l10n.t`Request ${target.requestId.slice(0, 8)} names no profile, smart card or target user to look for.`,
        );
        return undefined;
      }
      await deps.tree.setFilter(filter);
      return filter;
    }),
  );
}

async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false });
}

import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import type { RequestDocumentProvider } from '../documents/requestDocumentProvider';
import type { Servers } from '../servers/servers';
import type { RequestsTreeProvider } from '../tree/requestsTreeProvider';
import { serverIdOf } from './pickServer';

/** `mimcm.refresh [server]`: every server from the view title, or the one of the node it is run from. */
export function registerRefresh(
  context: vscode.ExtensionContext,
  deps: { servers: Servers; tree: RequestsTreeProvider; documents: RequestDocumentProvider },
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.refresh, async (arg?: unknown) => {
      const serverId = serverIdOf(arg);
      const sessions = deps.servers.all.filter((session) => serverId === undefined || session.id === serverId);
      // One more try for credentials the server rejected: the tree and the open tabs share it (see CredentialGuard).
      await Promise.all(sessions.map((session) => session.userAction().catch(() => undefined)));
      deps.documents.refreshOpenDocuments();
      await deps.tree.refresh(serverId);
    }),
  );
}

import * as vscode from 'vscode';
import type { CmConnection } from '../connection';
import type { RequestDocumentProvider } from '../documents/requestDocumentProvider';
import type { RequestsTreeProvider } from '../tree/requestsTreeProvider';

export function registerRefresh(context: vscode.ExtensionContext, deps: { connection: CmConnection; tree: RequestsTreeProvider; documents: RequestDocumentProvider }): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('mimcm.refresh', async () => {
      // One more try for credentials the server rejected: the tree and the open tabs share it (see CredentialGuard).
      deps.connection.userAction();
      deps.documents.refreshOpenDocuments();
      await deps.tree.refresh();
    }),
  );
}

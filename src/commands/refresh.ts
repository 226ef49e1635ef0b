import * as vscode from 'vscode';
import type { RequestDocumentProvider } from '../documents/requestDocumentProvider';
import type { RequestsTreeProvider } from '../tree/requestsTreeProvider';

export function registerRefresh(context: vscode.ExtensionContext, deps: { tree: RequestsTreeProvider; documents: RequestDocumentProvider }): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('mimcm.refresh', async () => {
      deps.documents.refreshOpenDocuments();
      await deps.tree.refresh();
    }),
  );
}

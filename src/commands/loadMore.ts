import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import type { RequestsTreeProvider } from '../tree/requestsTreeProvider';

/** Tree-only command behind the "Load more" node (its group's key and server); hidden from the palette. */
export function registerLoadMore(context: vscode.ExtensionContext, deps: { tree: RequestsTreeProvider }): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.loadMore, (group: unknown, serverId: unknown) => {
      if (typeof group === 'string' && group !== '') {
        deps.tree.loadMore(group, typeof serverId === 'string' ? serverId : undefined);
      }
    }),
  );
}

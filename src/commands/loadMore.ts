import * as vscode from 'vscode';
import { REQUEST_STATUSES } from '../cm/codes';
import { COMMANDS } from '../commandIds';
import type { RequestsTreeProvider } from '../tree/requestsTreeProvider';

/** Tree-only command behind the "Load more" node; hidden from the palette. */
export function registerLoadMore(context: vscode.ExtensionContext, deps: { tree: RequestsTreeProvider }): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.loadMore, (status: unknown, serverId: unknown) => {
      const known = REQUEST_STATUSES.find((candidate) => candidate === status);
      if (known !== undefined) {
        deps.tree.loadMore(known, typeof serverId === 'string' ? serverId : undefined);
      }
    }),
  );
}

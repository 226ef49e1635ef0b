import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';

/** Context-menu command on a request node: puts its GUID on the clipboard. */
export function registerCopyRequestId(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.copyRequestId, async (node: unknown) => {
      const requestId = typeof node === 'object' && node !== null ? (node as { requestId?: unknown }).requestId : undefined;
      if (typeof requestId !== 'string') {
        return;
      }
      await vscode.env.clipboard.writeText(requestId);
      vscode.window.setStatusBarMessage(`Copied request id ${requestId}`, 3000);
    }),
  );
}

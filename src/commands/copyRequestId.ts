import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import * as l10n from '@vscode/l10n';

/**
 * Context-menu command on request rows: puts the GUID on the clipboard, or with several rows selected, every
 * selected request's GUID, one per line (in the order shown, each once).
 */
export function registerCopyRequestId(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.copyRequestId, async (node: unknown, selected: unknown) => {
      const rows = Array.isArray(selected) && selected.length > 1 ? (selected as unknown[]) : [node];
      const ids = [...new Set(rows.map(requestIdOf).filter((id): id is string => id !== undefined))];
      if (ids.length === 0) {
        return undefined;
      }
      await vscode.env.clipboard.writeText(ids.join('\n'));
      vscode.window.setStatusBarMessage(
        ids.length === 1 ? l10n.t`Copied request id ${ids[0]}` : l10n.t`Copied ${ids.length} request ids`,
        3000,
      );
      return ids;
    }),
  );
}

function requestIdOf(node: unknown): string | undefined {
  const requestId = typeof node === 'object' && node !== null ? (node as { requestId?: unknown }).requestId : undefined;
  return typeof requestId === 'string' ? requestId : undefined;
}

import * as vscode from 'vscode';
import { ZERO_GUID } from '../cm/guid';
import { COMMANDS } from '../commandIds';
import type { RequestsTreeProvider } from '../tree/requestsTreeProvider';
import * as l10n from '@vscode/l10n';

export function registerFilter(context: vscode.ExtensionContext, deps: { tree: RequestsTreeProvider }): void {
  context.subscriptions.push(
    // A text argument skips the input box, for keybindings and tests.
    vscode.commands.registerCommand(COMMANDS.filter, async (text?: unknown) => {
      const wanted =
        typeof text === 'string'
          ? text
          : await vscode.window.showInputBox({
              title: l10n.t('Filter MIM CM Requests'),
              value: deps.tree.filterText ?? '',
              placeHolder: l10n.t('e.g. 8f1590dc (a user, template or request GUID, or its start), enroll, a comment word'),
              prompt: l10n.t('Shows requests containing every word, in any field the tooltip shows. Empty clears the filter.'),
            });
      if (wanted !== undefined) {
        await deps.tree.setFilter(wanted);
      }
    }),
    vscode.commands.registerCommand(COMMANDS.clearFilter, () => deps.tree.setFilter('')),
    vscode.commands.registerCommand(COMMANDS.filterByTargetUser, async (node: unknown) => {
      const user = typeof node === 'object' && node !== null ? (node as { targetUserId?: unknown }).targetUserId : undefined;
      if (typeof user !== 'string' || user === '' || user === ZERO_GUID) {
        void vscode.window.showInformationMessage(l10n.t('This request names no target user.'));
        return;
      }
      await deps.tree.setFilter(user);
    }),
  );
}

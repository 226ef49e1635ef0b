// "Compare Requests" (two selected rows) and "Select for Compare" / "Compare with Selected": VS Code's diff of
// the two requests' JSON documents, each read fresh from its server.
import * as vscode from 'vscode';
import { COMMANDS, CONTEXT_KEYS } from '../commandIds';
import { requestUri } from '../documents/requestUri';
import type { Servers } from '../servers/servers';
import { requestTargetOf, uriServerId, type RequestTarget } from './requestTarget';
import * as l10n from '@vscode/l10n';

export function registerCompare(context: vscode.ExtensionContext, deps: { readonly servers: Servers }): void {
  let selected: RequestTarget | undefined;
  const diff = (left: RequestTarget, right: RequestTarget): Thenable<unknown> =>
    vscode.commands.executeCommand(
      'vscode.diff',
      requestUri(left.requestId, uriServerId(deps.servers, left.session)),
      requestUri(right.requestId, uriServerId(deps.servers, right.session)),
      `${left.requestId.slice(0, 8)} ↔ ${right.requestId.slice(0, 8)}`,
    );
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.compareRequests, async (_clicked?: unknown, all?: unknown) => {
      const rows = Array.isArray(all) ? all : [];
      if (rows.length !== 2) {
        void vscode.window.showInformationMessage(
          l10n.t('Select two requests (Ctrl or Shift + click) to compare them, or use Select for Compare.'),
        );
        return false;
      }
      const [left, right] = await Promise.all(
        rows.map((row: unknown) => requestTargetOf(deps.servers, row, undefined, l10n.t('Compare Requests'))),
      );
      if (left === undefined || right === undefined) {
        return false;
      }
      await diff(left, right);
      return true;
    }),
    vscode.commands.registerCommand(COMMANDS.selectForCompare, async (arg?: unknown, serverId?: unknown) => {
      selected = await requestTargetOf(deps.servers, arg, serverId, l10n.t('Select for Compare'));
      await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.compareSelected, selected !== undefined);
      return selected !== undefined;
    }),
    vscode.commands.registerCommand(COMMANDS.compareWithSelected, async (arg?: unknown, serverId?: unknown) => {
      const right = await requestTargetOf(deps.servers, arg, serverId, l10n.t('Compare with Selected'));
      if (selected === undefined || right === undefined) {
        return false;
      }
      await diff(selected, right);
      return true;
    }),
  );
}

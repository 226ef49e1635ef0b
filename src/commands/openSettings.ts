import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import * as l10n from '@vscode/l10n';

export function registerOpenSettings(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.openSettings, () =>
      vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${context.extension.id}`),
    ),
  );
}

/** For commands that need a server while mimcm.host is empty: says so, with the way to set it. */
export async function askToConfigureHost(): Promise<void> {
  const choice = await vscode.window.showWarningMessage(
    l10n.t('Set the MIM CM host first (mimcm.host, or mimcm.servers for several).'),
    l10n.t('Configure CM Host'),
  );
  if (choice !== undefined) {
    await vscode.commands.executeCommand(COMMANDS.openSettings);
  }
}

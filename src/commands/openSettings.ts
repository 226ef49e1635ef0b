import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';

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
    'Set the MIM CM host first (mimcm.host, or mimcm.servers for several).',
    'Configure CM Host',
  );
  if (choice !== undefined) {
    await vscode.commands.executeCommand(COMMANDS.openSettings);
  }
}

import * as vscode from 'vscode';

export function registerShowLog(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(vscode.commands.registerCommand('mimcm.showLog', () => log.show(true)));
}

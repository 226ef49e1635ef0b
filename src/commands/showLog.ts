import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';

export function registerShowLog(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(vscode.commands.registerCommand(COMMANDS.showLog, () => log.show(true)));
}

// "Export Requests...": what the view shows (after the filter, in its grouping and order) to CSV or JSON, through
// the save dialog, streamed with progress and cancellable.
import * as vscode from 'vscode';
import { CmError } from '../cm/errors';
import { COMMANDS } from '../commandIds';
import type { ExportFormat } from '../model/requestExport';
import { writeExport } from '../servers/exportWriter';
import type { Servers } from '../servers/servers';
import { pickServer, serverIdOf } from './pickServer';

export function registerExportRequests(context: vscode.ExtensionContext, deps: { readonly servers: Servers }): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.exportRequests, async (arg?: unknown) => {
      const session = await pickServer(deps.servers, serverIdOf(arg), 'Export Requests');
      if (session === undefined) {
        return undefined;
      }
      if (session.summary === undefined) {
        void vscode.window.showWarningMessage(`Nothing to export yet: ${session.name} has not loaded.`);
        return undefined;
      }
      const formats: (vscode.QuickPickItem & { format: ExportFormat })[] = [
        { label: 'CSV', description: 'for a spreadsheet (RFC 4180; formula-like cells neutralised)', format: 'csv' },
        { label: 'JSON', description: 'an array of objects with the same columns', format: 'json' },
      ];
      const format = await vscode.window.showQuickPick(formats, {
        title: 'Export Requests',
        placeHolder: session.filtered ? 'The requests that match the filter' : 'Every loaded request',
      });
      if (format === undefined) {
        return undefined;
      }
      const day = new Date().toISOString().slice(0, 10);
      const defaultName = `mimcm-requests-${session.name.replace(/[^\w.-]+/g, '_')}-${day}.${format.format}`;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({
        title: 'Export Requests',
        defaultUri: folder === undefined ? undefined : vscode.Uri.joinPath(folder, defaultName),
        filters: format.format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
      });
      if (target === undefined) {
        return undefined;
      }
      if (target.scheme !== 'file') {
        void vscode.window.showErrorMessage('Export writes to a local file; choose a folder on this machine.');
        return undefined;
      }
      try {
        const outcome = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Exporting requests from ${session.name}`, cancellable: true },
          (progress, token) => {
            let shown = 0;
            return writeExport(
              session,
              format.format,
              target.fsPath,
              (written, total) => {
                const percent = total === 0 ? 100 : (written / total) * 100;
                progress.report({ increment: percent - shown, message: `${written.toLocaleString()} of ${total.toLocaleString()}` });
                shown = percent;
              },
              () => token.isCancellationRequested,
            );
          },
        );
        if (outcome.kind === 'written') {
          void vscode.window
            .showInformationMessage(`Exported ${outcome.rows.toLocaleString()} requests to ${target.fsPath}.`, 'Open')
            .then((choice) => (choice === 'Open' ? vscode.commands.executeCommand('vscode.open', target) : undefined));
        }
        return outcome.kind === 'written' ? target : undefined;
      } catch (error) {
        void vscode.window.showErrorMessage(`The export failed: ${CmError.from(error).message}`);
        return undefined;
      }
    }),
  );
}

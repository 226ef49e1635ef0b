// "Export Requests...": what the view shows (after the filter, in its grouping and order) to CSV or JSON, through
// the save dialog, streamed with progress and cancellable; or the dashboard's status × type × template pivot.
import * as vscode from 'vscode';
import { CmError } from '../cm/errors';
import { COMMANDS } from '../commandIds';
import type { CountFormatter } from '../model/countText';
import { pivotExport, type ExportFormat } from '../model/requestExport';
import { writeExport } from '../servers/exportWriter';
import type { ServerSession } from '../servers/serverSession';
import type { Servers } from '../servers/servers';
import { pickServer, serverIdOf } from './pickServer';
import * as l10n from '@vscode/l10n';

export function registerExportRequests(
  context: vscode.ExtensionContext,
  deps: { readonly servers: Servers; readonly formatCount: CountFormatter },
): void {
  const { formatCount } = deps;
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.exportRequests, async (arg?: unknown) => {
      const session = await pickServer(deps.servers, serverIdOf(arg), l10n.t('Export Requests'));
      if (session === undefined) {
        return undefined;
      }
      if (session.summary === undefined) {
        void vscode.window.showWarningMessage(l10n.t`Nothing to export yet: ${session.name} has not loaded.`);
        return undefined;
      }
      const onlyPivot = typeof arg === 'object' && arg !== null && (arg as { what?: unknown }).what === 'pivot';
      const shown = session.filtered ? l10n.t('the requests that match the filter') : l10n.t('every loaded request');
      const choices: (vscode.QuickPickItem & { format: ExportFormat; what: 'requests' | 'pivot' })[] = [
        { label: l10n.t('Requests as CSV'), description: l10n.t`${shown}, for a spreadsheet (RFC 4180)`, format: 'csv', what: 'requests' },
        {
          label: l10n.t('Requests as JSON'),
          description: l10n.t`${shown}, an array of objects with the same columns`,
          format: 'json',
          what: 'requests',
        },
        {
          label: l10n.t('Pivot as CSV'),
          description: l10n.t('count per status, type and template (the dashboard table)'),
          format: 'csv',
          what: 'pivot',
        },
        { label: l10n.t('Pivot as JSON'), description: l10n.t('count per status, type and template'), format: 'json', what: 'pivot' },
      ];
      const format = await vscode.window.showQuickPick(
        choices.filter((choice) => !onlyPivot || choice.what === 'pivot'),
        {
          title: onlyPivot ? l10n.t('Export Pivot') : l10n.t('Export Requests'),
          placeHolder: l10n.t('What to export, and in which format'),
        },
      );
      if (format === undefined) {
        return undefined;
      }
      const day = new Date().toISOString().slice(0, 10);
      const defaultName = `mimcm-${format.what}-${session.name.replace(/[^\w.-]+/g, '_')}-${day}.${format.format}`;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({
        title: l10n.t('Export Requests'),
        defaultUri: folder === undefined ? undefined : vscode.Uri.joinPath(folder, defaultName),
        filters: format.format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
      });
      if (target === undefined) {
        return undefined;
      }
      if (target.scheme !== 'file') {
        void vscode.window.showErrorMessage(l10n.t('Export writes to a local file; choose a folder on this machine.'));
        return undefined;
      }
      if (format.what === 'pivot') {
        return exportPivot(session, format.format, target, formatCount);
      }
      try {
        const outcome = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: l10n.t`Exporting requests from ${session.name}`, cancellable: true },
          (progress, token) => {
            let shown = 0;
            return writeExport(
              session,
              format.format,
              target.fsPath,
              (written, total) => {
                const percent = total === 0 ? 100 : (written / total) * 100;
                progress.report({ increment: percent - shown, message: l10n.t`${written.toLocaleString()} of ${total.toLocaleString()}` });
                shown = percent;
              },
              () => token.isCancellationRequested,
            );
          },
        );
        if (outcome.kind === 'written') {
          offerToOpen(l10n.t`Exported ${formatCount(outcome.rows)} requests to ${target.fsPath}.`, target);
        }
        return outcome.kind === 'written' ? target : undefined;
      } catch (error) {
        void vscode.window.showErrorMessage(l10n.t`The export failed: ${CmError.from(error).message}`);
        return undefined;
      }
    }),
  );
}

/** The pivot has at most a few thousand rows: computed by the engine, written at once. */
async function exportPivot(
  session: ServerSession,
  format: ExportFormat,
  target: vscode.Uri,
  formatCount: CountFormatter,
): Promise<vscode.Uri | undefined> {
  try {
    const figures = await session.dashboard(0);
    if (figures === undefined) {
      void vscode.window.showWarningMessage(l10n.t`Nothing to export yet: ${session.name} has not loaded.`);
      return undefined;
    }
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(pivotExport(figures.pivot, figures.templates, format)));
    offerToOpen(l10n.t`Exported the pivot of ${formatCount(figures.total)} requests to ${target.fsPath}.`, target);
    return target;
  } catch (error) {
    void vscode.window.showErrorMessage(l10n.t`The export failed: ${CmError.from(error).message}`);
    return undefined;
  }
}

/** Says what was written, with a button that opens it. */
function offerToOpen(message: string, target: vscode.Uri): void {
  const open = l10n.t('Open');
  void vscode.window
    .showInformationMessage(message, open)
    .then((choice) => (choice === open ? vscode.commands.executeCommand('vscode.open', target) : undefined));
}

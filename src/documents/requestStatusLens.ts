import * as vscode from 'vscode';
import type { DateFormatter } from '../model/requestSummary';
import { recoveryCommands } from '../recoveryActions';
import type { RequestDocumentProvider } from './requestDocumentProvider';
import { requestIdFromUri } from './requestUri';
import * as l10n from '@vscode/l10n';

/**
 * A line above a request's JSON while it could not be reloaded: what failed and when, how old the text shown
 * is, and the way forward (Retry, plus Sign In or Open Settings when that is what helps).
 */
export class RequestStatusLens implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(
    private readonly documents: RequestDocumentProvider,
    private readonly formatDate: DateFormatter,
  ) {
    this.onDidChangeCodeLenses = documents.onDidChangeStatus;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const status = requestIdFromUri(document.uri) === undefined ? undefined : this.documents.statusOf(document.uri);
    const failure = status?.failure;
    if (failure === undefined) {
      return [];
    }
    const top = new vscode.Range(0, 0, 0, 0);
    const shown =
      status?.loadedAt === undefined
        ? l10n.t('nothing could be loaded yet')
        : l10n.t`showing the copy loaded ${this.formatDate(status.loadedAt)}`;
    const lenses = [
      new vscode.CodeLens(top, {
        title: l10n.t`$(warning) Not updated ${this.formatDate(failure.at)}: ${failure.error.summary}; ${shown}`,
        tooltip: failure.error.describe(),
        command: recoveryCommands().showLog.command,
      }),
      new vscode.CodeLens(top, {
        title: recoveryCommands().retry.title,
        tooltip: l10n.t('Reload the requests and this tab'),
        command: recoveryCommands().retry.command,
      }),
    ];
    const action = failure.error.action;
    if (action !== 'retry' && action !== 'showLog') {
      const { title, command } = recoveryCommands()[action];
      lenses.push(new vscode.CodeLens(top, { title, command }));
    }
    return lenses;
  }
}

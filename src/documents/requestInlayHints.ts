import * as vscode from 'vscode';
import { annotateRequestJson } from '../model/requestAnnotations';
import type { DateFormatter } from '../model/requestSummary';
import { requestIdFromUri } from './requestUri';

/** Shows what the numbers in a request's JSON mean, next to them, without changing the server's text. */
export class RequestInlayHints implements vscode.InlayHintsProvider {
  constructor(private readonly formatDate: DateFormatter) {}

  provideInlayHints(document: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    if (requestIdFromUri(document.uri) === undefined) {
      return [];
    }
    return annotateRequestJson(document.getText(), this.formatDate)
      .filter((annotation) => annotation.line >= range.start.line && annotation.line <= range.end.line)
      .map((annotation) => {
        const hint = new vscode.InlayHint(new vscode.Position(annotation.line, annotation.character), annotation.label);
        hint.paddingLeft = true;
        hint.tooltip = 'Decoded by MIM CM Requests; the server sent the value on the left.';
        return hint;
      });
  }
}

import * as vscode from 'vscode';
import { annotateLinkedJson, annotateRequestJson, type TemplateNameOf } from '../model/requestAnnotations';
import type { DateFormatter } from '../model/requestSummary';
import { documentAddress } from './requestUri';
import * as l10n from '@vscode/l10n';

/** A template's name as the server a document belongs to gave it, at its last load. */
export type TemplateNames = (serverId: string | undefined, templateId: string) => string | undefined;

/**
 * Shows what the numbers and GUIDs in a request's (or a linked object's) JSON mean, next to them, without
 * changing the server's text.
 */
export class RequestInlayHints implements vscode.InlayHintsProvider {
  constructor(
    private readonly formatDate: DateFormatter,
    private readonly templateNames: TemplateNames,
  ) {}

  provideInlayHints(document: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    const address = documentAddress(document.uri);
    if (address === undefined || address.kind === 'whyPending') {
      return [];
    }
    const names: TemplateNameOf = (id) => this.templateNames(address.serverId, id);
    const annotations =
      address.kind === 'request'
        ? annotateRequestJson(document.getText(), this.formatDate, names)
        : annotateLinkedJson(document.getText(), names);
    return annotations
      .filter((annotation) => annotation.line >= range.start.line && annotation.line <= range.end.line)
      .map((annotation) => {
        const hint = new vscode.InlayHint(new vscode.Position(annotation.line, annotation.character), annotation.label);
        hint.paddingLeft = true;
        hint.tooltip = annotation.label.endsWith('(inferred)')
          ? l10n.t(
              "Decoded by MIM CM Requests from a table inferred from the CM docs and examples (see the README's API notes); the server sent the value on the left.",
            )
          : l10n.t('Decoded by MIM CM Requests; the server sent the value on the left.');
        return hint;
      });
  }
}

import * as vscode from 'vscode';
import { annotateLinkedJson, annotateRequestJson, peopleKeysIn, type TemplateNameOf } from '../model/requestAnnotations';
import type { Lookup } from '../directory/directoryEntry';
import { nameKey } from '../directory/directoryNames';
import type { DateFormatter } from '../model/requestSummary';
import { documentAddress } from './requestUri';
import * as l10n from '@vscode/l10n';

/** A template's name as the server a document belongs to gave it, at its last load. */
export type TemplateNames = (serverId: string | undefined, templateId: string) => string | undefined;

/** What the directory of the document's server says of these GUIDs and SIDs (the known ones). */
export type PeopleNames = (serverId: string | undefined, keys: readonly string[]) => Promise<Readonly<Record<string, Lookup>>>;

/**
 * Shows what the numbers and GUIDs in a request's (or a linked object's) JSON mean, next to them, without
 * changing the server's text.
 */
export class RequestInlayHints implements vscode.InlayHintsProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Names that arrive from a directory redraw the hints. */
  readonly onDidChangeInlayHints = this.changed.event;

  constructor(
    private readonly formatDate: DateFormatter,
    private readonly templateNames: TemplateNames,
    private readonly peopleNames: PeopleNames,
  ) {}

  /** Called when a server's directory sent names. */
  namesChanged(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  async provideInlayHints(document: vscode.TextDocument, range: vscode.Range): Promise<vscode.InlayHint[]> {
    const address = documentAddress(document.uri);
    if (address === undefined || address.kind === 'whyPending') {
      return [];
    }
    const text = document.getText();
    const names: TemplateNameOf = (id) => this.templateNames(address.serverId, id);
    let known: Readonly<Record<string, Lookup>> = {};
    try {
      known = await this.peopleNames(address.serverId, peopleKeysIn(text));
    } catch {
      // Without the engine's answer the hints show without names; the GUIDs and SIDs are in the text anyway.
    }
    const byKey = new Map(Object.entries(known).map(([key, lookup]) => [nameKey(key) ?? key, lookup]));
    const people = (key: string): Lookup | undefined => byKey.get(nameKey(key) ?? key);
    const annotations =
      address.kind === 'request' ? annotateRequestJson(text, this.formatDate, names, people) : annotateLinkedJson(text, names, people);
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

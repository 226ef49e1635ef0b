import * as vscode from 'vscode';
import type { Lookup } from '../directory/directoryEntry';
import { nameKey } from '../directory/directoryNames';
import { peopleKeysIn } from '../model/requestAnnotations';
import { personLine } from '../model/peopleText';
import type { PeopleNames } from './requestInlayHints';
import { documentAddress } from './requestUri';
import * as l10n from '@vscode/l10n';

/**
 * On a line that holds users or SIDs (a user GUID field, a security descriptor): who each one is, every name the
 * directory gave with the GUID or SID beside it. The inlay hints are short; this says it all.
 */
export class PeopleHover implements vscode.HoverProvider {
  constructor(private readonly peopleNames: PeopleNames) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const address = documentAddress(document.uri);
    const line = document.lineAt(position.line);
    const keys = address === undefined || address.kind === 'whyPending' ? [] : peopleKeysIn(line.text);
    if (address === undefined || keys.length === 0) {
      return undefined;
    }
    let known: Readonly<Record<string, Lookup>> = {};
    try {
      known = await this.peopleNames(address.serverId, keys);
    } catch {
      return undefined;
    }
    const byKey = new Map(Object.entries(known).map(([key, lookup]) => [nameKey(key) ?? key, lookup]));
    const text = new vscode.MarkdownString(`**${escape(l10n.t('Who they are, from the directory'))}**\n\n`);
    for (const key of keys) {
      text.appendMarkdown(`- ${escape(personLine(key, byKey.get(nameKey(key) ?? key)))}\n`);
    }
    return new vscode.Hover(text, line.range);
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&').replace(/\r?\n/g, ' ');
}

import * as vscode from 'vscode';
import { findLinkTargets } from '../model/linkTargets';
import { documentAddress, linkedUri } from './requestUri';

const KIND_NAMES = { profile: 'profile', smartcard: 'smart card', template: 'profile template' } as const;

/**
 * Makes the template, profile and smart card GUIDs in a request's JSON (and in linked objects' documents) links
 * to their own read-only documents on the same server.
 */
export class RequestLinks implements vscode.DocumentLinkProvider {
  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const address = documentAddress(document.uri);
    if (address === undefined || address.kind === 'whyPending') {
      return [];
    }
    return findLinkTargets(document.getText()).map((target) => {
      const link = new vscode.DocumentLink(
        new vscode.Range(target.line, target.start, target.line, target.end),
        linkedUri({ kind: target.kind, id: target.id, policyType: target.policyType }, address.serverId),
      );
      link.tooltip = `Open the ${KIND_NAMES[target.kind]}${target.policyType === undefined ? '' : ` and its ${target.policyType} policy`} (read-only)`;
      return link;
    });
  }
}

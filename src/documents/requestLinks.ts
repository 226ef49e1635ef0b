import * as vscode from 'vscode';
import { findLinkTargets } from '../model/linkTargets';
import { documentAddress, linkedUri } from './requestUri';
import * as l10n from '@vscode/l10n';

const kindNames = () => ({ profile: 'profile', smartcard: l10n.t('smart card'), template: l10n.t('profile template') }) as const;

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
      link.tooltip = l10n.t`Open the ${kindNames()[target.kind]}${target.policyType === undefined ? '' : l10n.t` and its ${target.policyType} policy`} (read-only)`;
      return link;
    });
  }
}

import * as vscode from 'vscode';
import { CmError, isCanceled } from '../cm/errors';
import type { CmLogger } from '../cm/logger';
import type { LinkedAddress } from '../model/linkedDocuments';
import { documentAddress, type DocumentAddress } from './requestUri';
import * as l10n from '@vscode/l10n';

/** What a document asks of the server it belongs to. */
export interface DocumentServer {
  readonly hostLabel: string;
  fetchRequest(requestId: string): Promise<string | undefined>;
  fetchDocument(address: LinkedAddress): Promise<string | undefined>;
  whyPending(requestId: string): Promise<string | undefined>;
}

/** Where documents read requests from: the server a tab belongs to (the first one when it names none). */
export interface RequestSource {
  serverFor(serverId: string | undefined): DocumentServer | undefined;
}

const linkedNames = (): Readonly<Record<LinkedAddress['kind'], string>> => ({
  profile: 'profile',
  smartcard: l10n.t('smart card'),
  template: l10n.t('profile template'),
  objects: l10n.t('profiles or generation options for request'),
});

/** What an open request tab shows and how fresh it is; the CodeLens on its first line reads this. */
export interface RequestDocumentStatus {
  /** When the text shown was read from the server; undefined when it never could be. */
  readonly loadedAt?: Date;
  /** The last reload that failed, while the tab shows older text (or none). */
  readonly failure?: { readonly error: CmError; readonly at: Date };
}

interface DocumentState extends RequestDocumentStatus {
  readonly text: string;
}

/**
 * Read-only JSON documents for requests. Content is fetched fresh each time VS Code asks; a command that has
 * just fetched a record hands it over once, so opening a request costs one round trip, not two. A failed
 * reload never throws at VS Code (which reports that as an extension error and blanks nothing useful): the tab
 * keeps its last good text, and its status says when that was and why it is not newer.
 */
export class RequestDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly statusChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeStatus = this.statusChanged.event;
  private readonly handedOver = new Map<string, string>();
  private readonly states = new Map<string, DocumentState>();
  private readonly closing: vscode.Disposable;

  constructor(
    private readonly source: RequestSource,
    private readonly log: CmLogger,
  ) {
    this.closing = vscode.workspace.onDidCloseTextDocument((document) => {
      this.states.delete(document.uri.toString());
    });
  }

  /** Supplies just-fetched content for the next read of `uri` and makes an open tab re-read it. */
  handOver(uri: vscode.Uri, json: string): void {
    this.handedOver.set(uri.toString(), json);
    this.changed.fire(uri);
  }

  /** Makes every open document of this extension fetch again (the Refresh command). */
  refreshOpenDocuments(): void {
    for (const document of vscode.workspace.textDocuments) {
      if (documentAddress(document.uri) !== undefined) {
        this.changed.fire(document.uri);
      }
    }
  }

  statusOf(uri: vscode.Uri): RequestDocumentStatus | undefined {
    return this.states.get(uri.toString());
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const key = uri.toString();
    const ready = this.handedOver.get(key);
    if (ready !== undefined) {
      this.handedOver.delete(key);
      return this.remember(key, { text: ready, loadedAt: new Date() });
    }
    const address = documentAddress(uri);
    if (address === undefined) {
      throw new Error(`${uri.toString()} does not name a CM request or object.`);
    }
    const previous = this.states.get(key);
    try {
      const server = this.source.serverFor(address.serverId);
      if (server === undefined) {
        throw new CmError({
          kind: 'config',
          message:
            address.serverId === undefined
              ? l10n.t('No MIM CM server is configured (mimcm.host or mimcm.servers).')
              : l10n.t`No server named "${address.serverId}" is configured (mimcm.servers).`,
          hint: l10n.t('Configure the server, then Retry.'),
          action: 'openSettings',
        });
      }
      const text = await fetchFrom(server, address);
      if (text === undefined) {
        throw new CmError({
          kind: 'httpStatus',
          message: l10n.t`${server.hostLabel} has no ${describe(address)} (any more).`,
          hint: l10n.t('It may have been removed from CM, or your CM permissions do not cover it.'),
          action: 'showLog',
        });
      }
      return this.remember(key, { text, loadedAt: new Date() });
    } catch (error) {
      if (isCanceled(error) || token.isCancellationRequested) {
        return previous?.text ?? '';
      }
      const failure = CmError.from(error);
      this.log.warn(`The ${describe(address)} could not be reloaded: ${failure.describe()}`);
      return this.remember(key, { text: previous?.text ?? '', loadedAt: previous?.loadedAt, failure: { error: failure, at: new Date() } });
    }
  }

  dispose(): void {
    this.closing.dispose();
    this.changed.dispose();
    this.statusChanged.dispose();
  }

  private remember(key: string, state: DocumentState): string {
    this.states.set(key, state);
    this.statusChanged.fire();
    return state.text;
  }
}

function fetchFrom(server: DocumentServer, address: DocumentAddress): Promise<string | undefined> {
  switch (address.kind) {
    case 'request':
      return server.fetchRequest(address.requestId);
    case 'linked':
      return server.fetchDocument(address.linked);
    case 'whyPending':
      return server.whyPending(address.requestId);
  }
}

function describe(address: DocumentAddress): string {
  switch (address.kind) {
    case 'request':
    case 'whyPending':
      return l10n.t`request ${address.requestId}`;
    case 'linked':
      return `${linkedNames()[address.linked.kind]} ${address.linked.id}`;
  }
}

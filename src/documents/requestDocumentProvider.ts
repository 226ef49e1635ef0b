import * as vscode from 'vscode';
import { CmError, isCanceled } from '../cm/errors';
import type { CmLogger } from '../cm/logger';
import type { ReceivedRequest } from '../cm/schemas';
import { requestJson } from '../model/requestJson';
import { requestIdFromUri } from './requestUri';

/** Where documents read requests from: the current connection. */
export interface RequestSource {
  readonly hostLabel: string;
  getRequest(requestId: string, signal: AbortSignal): Promise<ReceivedRequest | undefined>;
}

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
  handOver(uri: vscode.Uri, received: ReceivedRequest): void {
    this.handedOver.set(uri.toString(), requestJson(received));
    this.changed.fire(uri);
  }

  /** Makes every open request document fetch again (the Refresh command). */
  refreshOpenDocuments(): void {
    for (const document of vscode.workspace.textDocuments) {
      if (requestIdFromUri(document.uri) !== undefined) {
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
    const requestId = requestIdFromUri(uri);
    if (requestId === undefined) {
      throw new Error(`${uri.toString()} does not name a CM request.`);
    }
    const previous = this.states.get(key);
    const controller = new AbortController();
    const listener = token.onCancellationRequested(() => controller.abort());
    try {
      const received = await this.source.getRequest(requestId, controller.signal);
      if (received === undefined) {
        throw new CmError({
          kind: 'httpStatus',
          message: `${this.source.hostLabel} has no request ${requestId} (any more).`,
          hint: 'It may have been removed from CM; check the GUID.',
          action: 'showLog',
        });
      }
      return this.remember(key, { text: requestJson(received), loadedAt: new Date() });
    } catch (error) {
      if (isCanceled(error) || controller.signal.aborted) {
        return previous?.text ?? '';
      }
      const failure = CmError.from(error);
      this.log.warn(`Request ${requestId} could not be reloaded: ${failure.describe()}`);
      return this.remember(key, { text: previous?.text ?? '', loadedAt: previous?.loadedAt, failure: { error: failure, at: new Date() } });
    } finally {
      listener.dispose();
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

import * as vscode from 'vscode';
import type { ReceivedRequest } from '../cm/schemas';
import { requestIdFromUri } from './requestUri';

/** The server's record as the user sees it: its own keys, in its order, pretty-printed. */
export function requestJson(received: ReceivedRequest): string {
  return `${JSON.stringify(received.raw, null, 2)}\n`;
}

/** Where documents read requests from: the current connection. */
export interface RequestSource {
  readonly hostLabel: string;
  getRequest(requestId: string, signal: AbortSignal): Promise<ReceivedRequest | undefined>;
}

/**
 * Read-only JSON documents for requests. Content is fetched fresh each time VS Code asks; a command that has
 * just fetched a record hands it over once, so opening a request costs one round trip, not two.
 */
export class RequestDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly handedOver = new Map<string, string>();

  constructor(private readonly source: RequestSource) {}

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

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const key = uri.toString();
    const ready = this.handedOver.get(key);
    if (ready !== undefined) {
      this.handedOver.delete(key);
      return ready;
    }
    const requestId = requestIdFromUri(uri);
    if (requestId === undefined) {
      throw new Error(`${uri.toString()} does not name a CM request.`);
    }
    const controller = new AbortController();
    const listener = token.onCancellationRequested(() => controller.abort());
    try {
      const received = await this.source.getRequest(requestId, controller.signal);
      if (received === undefined) {
        throw new Error(`No request ${requestId} on ${this.source.hostLabel}.`);
      }
      return requestJson(received);
    } finally {
      listener.dispose();
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

// Polls the watched requests, one GET each, at most every 30 s, only while the window has focus, and never
// while a server's credentials stand rejected (a timer must not repeat a failed logon). Says when a watched
// request's status changes. Plain Node, no `vscode`.
import { CmError } from '../cm/errors';
import type { RequestRow } from '../engine/protocol';
import type { WatchList } from './watchList';

export const WATCH_INTERVAL_MS = 30_000;

/** What the watcher needs of a server (a ServerSession). */
export interface WatchedServer {
  readonly id: string;
  readonly name: string;
  readonly credentialsRejected: boolean;
  readonly connected: boolean;
  pollRow(requestId: string): Promise<RequestRow | undefined>;
}

export interface StatusChange {
  readonly server: WatchedServer;
  readonly row: RequestRow;
  readonly before: string;
}

export interface WatcherHost {
  servers(): readonly WatchedServer[];
  /** The window has focus. */
  isWatched(): boolean;
  notify(change: StatusChange): void;
}

export class Watcher {
  private timer: ReturnType<typeof setInterval> | undefined;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly list: WatchList,
    private readonly host: WatcherHost,
    intervalMs = WATCH_INTERVAL_MS,
  ) {
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref?.();
  }

  /** One round over every watched request (the timer's, or right after a Watch); overlapping rounds do not stack. */
  tick(force = false): Promise<void> {
    if (!force && !this.host.isWatched()) {
      return Promise.resolve();
    }
    this.polling ??= this.round().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  /** Polls one request now (a Watch just added it). */
  async pollOne(server: WatchedServer, requestId: string): Promise<void> {
    await this.poll(server, requestId);
  }

  dispose(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async round(): Promise<void> {
    for (const server of this.host.servers()) {
      if (server.credentialsRejected || !server.connected) {
        continue;
      }
      for (const { requestId } of this.list.of(server.id)) {
        await this.poll(server, requestId);
      }
    }
  }

  private async poll(server: WatchedServer, requestId: string): Promise<void> {
    try {
      const row = await server.pollRow(requestId);
      const { before } = this.list.update(server.id, row === undefined ? { requestId, gone: true } : { requestId, row });
      if (before !== undefined && row !== undefined) {
        this.host.notify({ server, row, before });
      }
    } catch (error) {
      this.list.update(server.id, { requestId, problem: CmError.from(error).message });
    }
  }
}

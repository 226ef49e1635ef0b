// Which requests the user watches on each server, kept across sessions (VS Code's global state on the host),
// and what each last looked like. Plain Node, no `vscode`.
import type { RequestRow } from '../engine/protocol';

/** Where the list is kept: VS Code's Memento in the extension, a plain object in tests. */
export interface WatchStore {
  get(): Readonly<Record<string, readonly string[]>> | undefined;
  set(value: Record<string, string[]>): PromiseLike<void>;
}

/** What a watched request last looked like, and whether the last poll failed. */
export interface WatchedRequest {
  readonly requestId: string;
  readonly row?: RequestRow;
  /** Why the last poll did not answer, while the row shown is older. */
  readonly problem?: string;
  /** Set when the server no longer has it. */
  readonly gone?: boolean;
}

export class WatchList {
  private readonly state = new Map<string, Map<string, WatchedRequest>>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly store: WatchStore) {
    for (const [serverId, ids] of Object.entries(store.get() ?? {})) {
      if (Array.isArray(ids)) {
        this.state.set(serverId, new Map(ids.filter((id) => typeof id === 'string').map((id) => [id, { requestId: id }])));
      }
    }
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The watched requests of a server, in the order they were added. */
  of(serverId: string): readonly WatchedRequest[] {
    return [...(this.state.get(serverId)?.values() ?? [])];
  }

  has(serverId: string, requestId: string): boolean {
    return this.state.get(serverId)?.has(requestId) ?? false;
  }

  async add(serverId: string, requestId: string): Promise<void> {
    let server = this.state.get(serverId);
    if (server === undefined) {
      server = new Map();
      this.state.set(serverId, server);
    }
    if (!server.has(requestId)) {
      server.set(requestId, { requestId });
      await this.save();
    }
  }

  async remove(serverId: string, requestId: string): Promise<void> {
    if (this.state.get(serverId)?.delete(requestId) === true) {
      await this.save();
    }
  }

  /** Records a poll's outcome; says the status before, when it changed from a known one. */
  update(serverId: string, entry: WatchedRequest): { before?: string } {
    const server = this.state.get(serverId);
    const previous = server?.get(entry.requestId);
    if (server === undefined || previous === undefined) {
      return {};
    }
    // A failed poll keeps the last row it had.
    const next: WatchedRequest = entry.row === undefined && !entry.gone ? { ...previous, problem: entry.problem } : entry;
    server.set(entry.requestId, next);
    this.fire();
    const before = previous.row?.status;
    return before !== undefined && entry.row !== undefined && before !== entry.row.status ? { before } : {};
  }

  private async save(): Promise<void> {
    const value: Record<string, string[]> = {};
    for (const [serverId, server] of this.state) {
      if (server.size > 0) {
        value[serverId] = [...server.keys()];
      }
    }
    this.fire();
    await this.store.set(value);
  }

  private fire(): void {
    for (const listener of this.listeners) {
      listener();
    }
  }
}

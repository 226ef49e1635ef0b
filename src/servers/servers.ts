// The configured CM servers: one session (and engine) each, created and ended as mimcm.servers / mimcm.host
// change. Each session signs in, loads and fails on its own; this keeps the list, the view settings and the
// filter, which every server shows.
import type { EngineHandle } from '../engine/engineHandle';
import type { Settings, ViewSettings } from '../settings/settings';
import { ServerSession, type SessionHost } from './serverSession';

export class Servers {
  private sessions: ServerSession[] = [];
  private viewValue: ViewSettings = {
    showEmptyGroups: true,
    showPendingBadge: true,
    showStatusBar: true,
    autoRefreshSeconds: 0,
    agingWarningDays: 7,
    groupBy: 'status',
    sortOrder: 'newestFirst',
  };
  private problemsValue: readonly string[] = [];
  private filterText = '';
  private readonly listeners = new Set<() => void>();
  private readonly namesListeners = new Set<() => void>();

  constructor(
    private readonly createEngine: () => EngineHandle,
    private readonly host: SessionHost,
  ) {}

  get all(): readonly ServerSession[] {
    return this.sessions;
  }

  get view(): ViewSettings {
    return this.viewValue;
  }

  /** The filter every server shows, as typed and trimmed ('' for none). */
  get filter(): string {
    return this.filterText;
  }

  /** Filters every server, and every server added later, until cleared ('' or blank). */
  async setFilter(text: string): Promise<void> {
    this.filterText = text.trim();
    await Promise.all(this.sessions.map((session) => session.setFilter(this.filterText)));
  }

  /** Entries of mimcm.servers that could not be used. */
  get problems(): readonly string[] {
    return this.problemsValue;
  }

  find(id: string | undefined): ServerSession | undefined {
    return id === undefined ? undefined : this.sessions.find((session) => session.id === id);
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Some server's directory sent names (documents redraw their hints). */
  onDidChangeNames(listener: () => void): { dispose(): void } {
    this.namesListeners.add(listener);
    return { dispose: () => this.namesListeners.delete(listener) };
  }

  /**
   * Applies settings: sessions for servers no longer listed end (their engines and data with them), new ones
   * start, and every session reconnects in parallel, so a slow server never holds up another.
   */
  async apply(settings: Settings, { rereadSecrets }: { rereadSecrets: boolean }): Promise<void> {
    this.viewValue = settings.view;
    this.problemsValue = settings.problems;
    const next: ServerSession[] = [];
    for (const config of settings.servers) {
      let session = this.sessions.find((candidate) => candidate.id === config.id);
      if (session === undefined) {
        session = new ServerSession(config, this.createEngine(), this.host, this.filterText);
        session.onDidChange(() => this.fire());
        session.onDidChangeNames(() => this.namesListeners.forEach((listener) => listener()));
      }
      session.autoRefresh.setIntervalMs(settings.view.autoRefreshSeconds * 1000);
      next.push(session);
    }
    for (const old of this.sessions) {
      if (!next.includes(old)) {
        old.dispose();
      }
    }
    this.sessions = next;
    this.fire();
    const view = { groupBy: settings.view.groupBy, sortOrder: settings.view.sortOrder };
    await Promise.all(
      next.map(async (session, index) => {
        // Before a load, so the first one is already grouped as the user asked.
        await session.setView(view);
        await session.reconnect(settings.servers[index] ?? session.config, { rereadSecrets });
      }),
    );
  }

  /** The window or view is watched again: sessions whose timer fired unseen catch up. */
  watchedAgain(): void {
    for (const session of this.sessions) {
      session.autoRefresh.watchedAgain();
    }
  }

  dispose(): void {
    for (const session of this.sessions) {
      session.dispose();
    }
    this.sessions = [];
    this.listeners.clear();
    this.namesListeners.clear();
  }

  private fire(): void {
    for (const listener of this.listeners) {
      listener();
    }
  }
}

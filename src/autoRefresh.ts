/** What the timer needs from the extension; plain functions, so it runs and is tested without VS Code. */
export interface AutoRefreshHost {
  /** Reloads the view; resolves when the load ends, whatever its outcome. */
  refresh(): Promise<void>;
  /** Whether anyone would see the result: the window has focus and the view or its badge is showing. */
  isWatched(): boolean;
}

/**
 * Reloads the requests view every few seconds while someone is watching. A VS Code window left in the
 * background does not poll the CM server all night; the refresh it skipped runs as soon as it is watched again.
 * The next wait starts when a load ends, so a slow server never has two loads from us at once.
 */
export class AutoRefresh {
  private intervalMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private missed = false;
  private running = false;

  constructor(private readonly host: AutoRefreshHost) {}

  /** 0 turns it off. */
  setIntervalMs(intervalMs: number): void {
    if (intervalMs === this.intervalMs) {
      return;
    }
    this.intervalMs = intervalMs;
    this.missed = false;
    this.schedule();
  }

  /** Call when the window regains focus or the view becomes visible. */
  watchedAgain(): void {
    if (this.missed && this.host.isWatched()) {
      this.missed = false;
      void this.tick();
    }
  }

  dispose(): void {
    this.intervalMs = 0;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = this.intervalMs > 0 && !this.running ? setTimeout(() => void this.tick(), this.intervalMs) : undefined;
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (this.running) {
      return;
    }
    if (!this.host.isWatched()) {
      this.missed = true;
      return;
    }
    this.running = true;
    try {
      await this.host.refresh();
    } finally {
      this.running = false;
      this.schedule();
    }
  }
}

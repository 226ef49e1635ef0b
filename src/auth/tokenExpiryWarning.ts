import * as vscode from 'vscode';
import { expiryWarningSchedule } from '../cm/auth';
import { COMMANDS } from '../commandIds';
import type { ServerSession } from '../servers/serverSession';
import * as l10n from '@vscode/l10n';

/** One warning before each server's bearer token expires; a new token (or sign-out) replaces it. */
export class TokenExpiryWarnings implements vscode.Disposable {
  private readonly timers = new Map<string, { expiry: number | undefined; timer: NodeJS.Timeout | undefined }>();

  /** Schedules (or keeps) a warning per server from what its engine said about the token. */
  update(sessions: readonly ServerSession[]): void {
    for (const [id, entry] of this.timers) {
      if (!sessions.some((session) => session.id === id)) {
        clearTimeout(entry.timer);
        this.timers.delete(id);
      }
    }
    for (const session of sessions) {
      const expiry = session.info?.tokenExpiry;
      if (this.timers.get(session.id)?.expiry === expiry) {
        continue;
      }
      clearTimeout(this.timers.get(session.id)?.timer);
      this.timers.set(session.id, {
        expiry,
        timer: expiry === undefined ? undefined : this.schedule(session.id, new Date(expiry), session.hostLabel),
      });
    }
  }

  dispose(): void {
    for (const entry of this.timers.values()) {
      clearTimeout(entry.timer);
    }
    this.timers.clear();
  }

  private schedule(serverId: string, expiry: Date, host: string): NodeJS.Timeout | undefined {
    const { warnNow, waitMs } = expiryWarningSchedule(expiry, Date.now());
    if (!warnNow) {
      return setTimeout(() => {
        const entry = this.timers.get(serverId);
        if (entry !== undefined) {
          entry.timer = this.schedule(serverId, expiry, host);
        }
      }, waitMs);
    }
    void vscode.window
      .showWarningMessage(l10n.t`Your access token for ${host} expires at ${expiry.toLocaleString()}.`, l10n.t('Sign In'))
      .then((choice) => {
        if (choice !== undefined) {
          void vscode.commands.executeCommand(COMMANDS.signIn, serverId);
        }
      });
    return undefined;
  }
}

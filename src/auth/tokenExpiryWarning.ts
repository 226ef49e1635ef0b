import * as vscode from 'vscode';
import { expiryWarningSchedule } from '../cm/auth';

/** Schedules one warning before the current token expires; a new token (or sign-out) replaces it. */
export class TokenExpiryWarning implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;

  schedule(expiry: Date | undefined, host: string): void {
    this.dispose();
    if (expiry === undefined) {
      return;
    }
    const { warnNow, waitMs } = expiryWarningSchedule(expiry, Date.now());
    if (warnNow) {
      this.timer = undefined;
      void vscode.window.showWarningMessage(`Your access token for ${host} expires at ${expiry.toLocaleString()}.`, 'Sign In').then((choice) => {
        if (choice !== undefined) {
          void vscode.commands.executeCommand('mimcm.signIn');
        }
      });
      return;
    }
    this.timer = setTimeout(() => this.schedule(expiry, host), waitMs);
  }

  dispose(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}

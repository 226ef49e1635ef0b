import * as vscode from 'vscode';

/** How long before a bearer token lapses the user is told, so a refresh never fails by surprise. */
const WARN_BEFORE_MS = 5 * 60_000;

/** Schedules one warning before the current token expires; a new token (or sign-out) replaces it. */
export class TokenExpiryWarning implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;

  schedule(expiry: Date | undefined, host: string): void {
    this.dispose();
    if (expiry === undefined) {
      return;
    }
    const delay = Math.max(0, expiry.getTime() - Date.now() - WARN_BEFORE_MS);
    this.timer = setTimeout(() => {
      void vscode.window.showWarningMessage(`Your access token for ${host} expires at ${expiry.toLocaleTimeString()}.`, 'Sign In').then((choice) => {
        if (choice !== undefined) {
          void vscode.commands.executeCommand('mimcm.signIn');
        }
      });
    }, delay);
  }

  dispose(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}

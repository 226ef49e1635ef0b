// The status bar item: which server (or how many), who is signed in and how many requests are Pending, kept
// current as the servers change; a click offers what helps next. `mimcm.showStatusBar` hides it.
import * as vscode from 'vscode';
import { KEPT_SIGN_IN_METHODS } from '../auth/storedCredentials';
import { COMMANDS } from '../commandIds';
import type { CountFormatter } from '../model/countText';
import { statusBarText } from '../model/statusBarText';
import type { Servers } from '../servers/servers';
import * as l10n from '@vscode/l10n';

export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly servers: Servers,
    private readonly formatTime: (time: number) => string,
    private readonly formatCount: CountFormatter,
  ) {
    this.item = vscode.window.createStatusBarItem('mimcm.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = l10n.t('MIM CM');
    this.item.command = COMMANDS.showStatusMenu;
    this.subscriptions.push(
      this.item,
      servers.onDidChange(() => this.update()),
    );
    this.update();
  }

  update(): void {
    const shown = this.servers.view.showStatusBar
      ? statusBarText(
          this.servers.all.map((session) => ({
            name: session.name,
            hostLabel: session.hostLabel,
            method: session.method,
            user: session.user,
            pending: session.pendingCount,
            loading: session.loading,
            error: session.error?.message,
            credentialsRejected: session.credentialsRejected,
            loadedAt: session.summary?.loadedAt,
          })),
          this.formatTime,
          this.formatCount,
        )
      : undefined;
    if (shown === undefined) {
      this.item.hide();
      return;
    }
    this.item.text = shown.text;
    const tooltip = new vscode.MarkdownString(shown.tooltip);
    tooltip.supportThemeIcons = false;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = shown.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: shown.text.replace(/\$\([^)]*\)\s*/g, ''), role: 'button' };
    this.item.show();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
  }
}

/** `mimcm.showStatusMenu`: the status bar's click. Sign In and Sign Out only where they apply. */
export function registerStatusMenu(context: vscode.ExtensionContext, servers: Servers, signedIn: () => boolean): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.showStatusMenu, async () => {
      // With `auto` and nothing kept, Sign In is offered only once a server asked for one.
      const keepsSignIn = servers.all.some(
        (session) => KEPT_SIGN_IN_METHODS.includes(session.method) || (session.method === 'auto' && session.error?.needsSignIn === true),
      );
      const items: (vscode.QuickPickItem & { command: string })[] = [
        { label: l10n.t('$(refresh) Refresh'), command: COMMANDS.refresh },
        { label: l10n.t('$(go-to-file) Open Request by GUID...'), command: COMMANDS.openRequest },
        ...(keepsSignIn ? [{ label: l10n.t('$(sign-in) Sign In...'), command: COMMANDS.signIn }] : []),
        ...(signedIn() ? [{ label: l10n.t('$(sign-out) Sign Out'), command: COMMANDS.signOut }] : []),
        { label: l10n.t('$(dashboard) Open Dashboard'), command: COMMANDS.openDashboard },
        { label: l10n.t('$(gear) Open Settings'), command: COMMANDS.openSettings },
        { label: l10n.t('$(output) Show Log'), command: COMMANDS.showLog },
      ];
      const pick = await vscode.window.showQuickPick(items, { title: l10n.t('MIM CM'), placeHolder: l10n.t('What to do') });
      if (pick !== undefined) {
        await vscode.commands.executeCommand(pick.command);
      }
    }),
  );
}

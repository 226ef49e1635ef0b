import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import type { Servers } from '../servers/servers';
import * as l10n from '@vscode/l10n';

/**
 * With `auto`, a server that wants a sign-in this build cannot give by itself (it offers no Negotiate, or Windows
 * has no ticket for it) gets one notification with Sign In, which then offers the server's methods first. Once
 * per server until it loads again: never per refresh, never from a timer's repeat; and not while the Requests
 * view is open, where its Sign In node already says it.
 */
export function registerSignInPrompt(context: vscode.ExtensionContext, servers: Servers, viewVisible: () => boolean): void {
  const prompted = new Set<string>();
  context.subscriptions.push(
    servers.onDidChange(() => {
      for (const session of servers.all) {
        const error = session.error;
        if (session.summary !== undefined && error === undefined) {
          prompted.delete(session.id);
        }
        const wantsSignIn = session.config.connection.authentication === 'auto' && error?.kind === 'unauthorized' && !error.notSent;
        if (!wantsSignIn || prompted.has(session.id) || viewVisible()) {
          continue;
        }
        prompted.add(session.id);
        const offered = error.offeredSchemes ?? [];
        const message =
          offered.length === 0
            ? l10n.t`${session.name} asks you to sign in.`
            : l10n.t`${session.name} asks you to sign in; it offers ${offered.join(', ')}.`;
        void vscode.window.showInformationMessage(message, l10n.t('Sign In')).then((choice) => {
          if (choice !== undefined) {
            void vscode.commands.executeCommand(COMMANDS.signIn, session.id);
          }
        });
      }
    }),
  );
}

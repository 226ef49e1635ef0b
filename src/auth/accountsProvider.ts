// MIM CM sign-ins in VS Code's Accounts menu: one account per configured server whose sign-in is kept (Basic,
// NTLM, bearer), named after the user and the server, with Sign Out there. It exists for the menu only: a
// session's accessToken is always empty, so no other extension can borrow a CM password or token through it.
import * as vscode from 'vscode';
import { COMMANDS, CONTEXT_KEYS } from '../commandIds';
import type { Servers } from '../servers/servers';
import type { CredentialStore } from './credentialStore';
import { KEPT_SIGN_IN_METHODS } from './storedCredentials';
import * as l10n from '@vscode/l10n';

export const AUTH_PROVIDER_ID = 'mimcm';

export class AccountsProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changes.event;
  private known = new Map<string, vscode.AuthenticationSession>();
  /** Refreshes run one after another: each reads secrets, and a later one must not finish first. */
  private queue: Promise<void> = Promise.resolve();
  private lastSignature = '';
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly servers: Servers,
    private readonly credentials: CredentialStore,
  ) {
    this.subscriptions.push(
      this.changes,
      vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, l10n.t('MIM CM'), this, { supportsMultipleAccounts: true }),
      // Servers change on every load; only a change of who is configured, or how, can change the accounts.
      servers.onDidChange(() => {
        const signature = this.signature();
        if (signature !== this.lastSignature) {
          this.lastSignature = signature;
          void this.refresh();
        }
      }),
      credentials.onDidChange(() => void this.refresh()),
    );
    void this.refresh();
  }

  getSessions(): Promise<vscode.AuthenticationSession[]> {
    return Promise.resolve([...this.known.values()]);
  }

  /** "Sign in with MIM CM": the extension's own Sign In, then the session it produced. */
  async createSession(): Promise<vscode.AuthenticationSession> {
    const before = new Set(this.known.keys());
    await vscode.commands.executeCommand(COMMANDS.signIn);
    await this.refresh();
    const created = [...this.known.values()].find((session) => !before.has(session.id)) ?? [...this.known.values()][0];
    if (created === undefined) {
      throw new Error('Sign-in to MIM CM was canceled.');
    }
    return created;
  }

  /** Sign Out from the Accounts menu: forgets that server's kept sign-in. */
  async removeSession(sessionId: string): Promise<void> {
    await this.credentials.delete(sessionId);
    await this.refresh();
  }

  /** Some server has a kept sign-in (Sign Out applies). */
  get signedIn(): boolean {
    return this.known.size > 0;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
  }

  private signature(): string {
    return JSON.stringify(this.servers.all.map((server) => [server.info?.origin, server.config.connection.authentication, server.user]));
  }

  private refresh(): Promise<void> {
    this.queue = this.queue.then(() => this.update()).catch(() => undefined);
    return this.queue;
  }

  /** Sessions are the configured servers with a kept sign-in; the ids are their origins. */
  private async update(): Promise<void> {
    const next = new Map<string, vscode.AuthenticationSession>();
    for (const server of this.servers.all) {
      const origin = server.info?.origin;
      const method = server.method;
      if (origin === undefined || next.has(origin) || !KEPT_SIGN_IN_METHODS.includes(method)) {
        continue;
      }
      const stored = await this.credentials.get(origin);
      if (stored === undefined) {
        continue;
      }
      const user = server.user ?? ('username' in stored ? stored.username : l10n.t('token'));
      next.set(origin, { id: origin, accessToken: '', account: { id: origin, label: `${user} (${new URL(origin).host})` }, scopes: [] });
    }
    const added = [...next.values()].filter((session) => !this.known.has(session.id));
    const removed = [...this.known.values()].filter((session) => !next.has(session.id));
    const changed = [...next.values()].filter((session) => {
      const previous = this.known.get(session.id);
      return previous !== undefined && previous.account.label !== session.account.label;
    });
    const wasSignedIn = this.known.size > 0;
    this.known = next;
    if (wasSignedIn !== next.size > 0) {
      await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.signedIn, next.size > 0);
    }
    if (added.length + removed.length + changed.length > 0) {
      this.changes.fire({ added, removed, changed });
    }
  }
}

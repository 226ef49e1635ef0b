import * as vscode from 'vscode';
import { registerCopyRequestId } from './commands/copyRequestId';
import { registerFilter } from './commands/filter';
import { registerLoadMore } from './commands/loadMore';
import { registerOpenRequest } from './commands/openRequest';
import { registerOpenSettings } from './commands/openSettings';
import { registerRefresh } from './commands/refresh';
import { registerShowLog } from './commands/showLog';
import { registerSignIn } from './commands/signIn';
import { CredentialStore } from './auth/credentialStore';
import { TokenExpiryWarning } from './auth/tokenExpiryWarning';
import { AutoRefresh } from './autoRefresh';
import { readSettings, registerSettingsWatcher } from './config';
import { localDateFormatter } from './dates';
import { CmConnection } from './connection';
import { RequestDocumentProvider } from './documents/requestDocumentProvider';
import { RequestInlayHints } from './documents/requestInlayHints';
import { RequestStatusLens } from './documents/requestStatusLens';
import { safeLogger } from './safeLogger';
import { REQUEST_SCHEME } from './documents/requestUri';
import { REQUESTS_VIEW_ID, RequestsTreeProvider } from './tree/requestsTreeProvider';

/** What activate() exposes: the tree, so the extension-host test suite can read exactly what the view shows. */
export interface MimCmApi {
  readonly requestsTree: RequestsTreeProvider;
}

export function activate(context: vscode.ExtensionContext): MimCmApi {
  const channel = vscode.window.createOutputChannel('MIM CM', { log: true });
  context.subscriptions.push(channel);
  const log = safeLogger(channel);

  const credentials = new CredentialStore(context.secrets);
  const connection = new CmConnection(log, credentials, `mimcm-requests/${String(context.extension.packageJSON.version)} vscode/${vscode.version}`);
  context.subscriptions.push({ dispose: () => connection.dispose() });

  const formatDate = localDateFormatter(vscode.env.language);
  const tree = new RequestsTreeProvider({ connection, log, formatDate });
  const view = vscode.window.createTreeView(REQUESTS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  tree.attach(view);
  context.subscriptions.push(tree, view);

  const documents = new RequestDocumentProvider(connection, log);
  context.subscriptions.push(
    documents,
    vscode.workspace.registerTextDocumentContentProvider(REQUEST_SCHEME, documents),
    vscode.languages.registerInlayHintsProvider({ scheme: REQUEST_SCHEME }, new RequestInlayHints(formatDate)),
    vscode.languages.registerCodeLensProvider({ scheme: REQUEST_SCHEME }, new RequestStatusLens(documents, formatDate)),
  );

  registerRefresh(context, { connection, tree, documents });
  registerOpenRequest(context, { connection, documents, log });
  registerCopyRequestId(context);
  registerOpenSettings(context);
  registerShowLog(context, channel);
  registerLoadMore(context, { tree });
  registerFilter(context, { tree });

  const badgeShown = (): boolean => connection.state.kind === 'ready' && connection.state.settings.showPendingBadge;
  const autoRefresh = new AutoRefresh({
    // A timer never sends credentials the server rejected: it waits for a sign-in, a Refresh or a settings change.
    refresh: () => (tree.loading || connection.credentialsRejected !== undefined ? Promise.resolve() : tree.refresh()),
    isWatched: () => vscode.window.state.focused && (view.visible || badgeShown()),
  });
  context.subscriptions.push(
    autoRefresh,
    vscode.window.onDidChangeWindowState((state) => {
      if (state.focused) {
        autoRefresh.watchedAgain();
      }
    }),
    view.onDidChangeVisibility((event) => {
      if (event.visible) {
        autoRefresh.watchedAgain();
      }
    }),
  );

  const expiryWarning = new TokenExpiryWarning();
  context.subscriptions.push(expiryWarning);
  const reconnect = async (rereadSecrets: boolean): Promise<void> => {
    const settings = readSettings();
    autoRefresh.setIntervalMs(settings.autoRefreshSeconds * 1000);
    const change = await connection.apply(settings, { rereadSecrets });
    if (change === 'viewOnly') {
      await tree.showSettingsChange();
      return;
    }
    if (change === 'server') {
      tree.forgetData();
    }
    if (rereadSecrets) {
      // A sign-in (or Sign In again with the same password) is a user action: it may try once more.
      connection.userAction();
    }
    const state = connection.state;
    expiryWarning.schedule(state.kind === 'ready' ? state.tokenExpiry : undefined, connection.hostLabel);
    await vscode.commands.executeCommand('setContext', 'mimcm.hostConfigured', state.kind !== 'unset');
    // Sign Out is offered only where there is a stored sign-in to forget.
    await vscode.commands.executeCommand('setContext', 'mimcm.signInApplies', ['ntlm', 'basic', 'bearer'].includes(settings.authentication));
    await tree.refresh();
  };
  registerSignIn(context, { connection, credentials, reconnect: () => reconnect(true) });
  registerSettingsWatcher(context, () => void reconnect(false));
  context.subscriptions.push(credentials.onDidChange(() => void reconnect(true)));
  void reconnect(true);
  return { requestsTree: tree };
}

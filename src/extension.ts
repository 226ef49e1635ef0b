import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerCompare } from './commands/compare';
import { registerCopyRequestId } from './commands/copyRequestId';
import { registerDashboard } from './commands/dashboard';
import { registerExportRequests } from './commands/exportRequests';
import { registerFilter } from './commands/filter';
import { registerInspect } from './commands/inspect';
import { registerLoadMore } from './commands/loadMore';
import { registerOpenRequest } from './commands/openRequest';
import { registerOpenSettings } from './commands/openSettings';
import { registerRefresh } from './commands/refresh';
import { registerRequestActions } from './commands/requestActions';
import { registerShowLog } from './commands/showLog';
import { registerShowRequestsForUser } from './commands/showRequestsForUser';
import { registerViewOrder } from './commands/viewOrder';
import { announceChange, registerWatch } from './commands/watch';
import { registerSignIn } from './commands/signIn';
import { registerSignInPrompt } from './auth/signInPrompt';
import { AccountsProvider } from './auth/accountsProvider';
import { CredentialStore } from './auth/credentialStore';
import { TokenExpiryWarnings } from './auth/tokenExpiryWarning';
import { CONTEXT_KEYS, REQUESTS_VIEW_ID } from './commandIds';
import { readSettings, registerSettingsWatcher } from './config';
import { localDateFormatter } from './dates';
import { countFormatter } from './model/countText';
import { RequestDocumentProvider } from './documents/requestDocumentProvider';
import { RequestHover } from './documents/requestHover';
import { PeopleHover } from './documents/peopleHover';
import { RequestInlayHints, type PeopleNames } from './documents/requestInlayHints';
import { RequestLinks } from './documents/requestLinks';
import { RequestStatusLens } from './documents/requestStatusLens';
import { REQUEST_SCHEME } from './documents/requestUri';
import { EngineHandle } from './engine/engineHandle';
import { DashboardPanels } from './dashboard/dashboardPanels';
import { CorrelationLog, notingCorrelations } from './model/failureHints';
import { safeLogger } from './safeLogger';
import { secretsFor, storeSignIn } from './servers/serverSecrets';
import { Servers } from './servers/servers';
import { ConnectionStatusBar, registerStatusMenu } from './status/connectionStatusBar';
import { RequestsTreeProvider } from './tree/requestsTreeProvider';
import { Watcher } from './watch/watcher';
import { WatchList } from './watch/watchList';
import * as l10n from '@vscode/l10n';

/** What activate() exposes: the tree, the servers and the dashboards, so the extension-host suite can read them. */
export interface MimCmApi {
  readonly requestsTree: RequestsTreeProvider;
  readonly servers: Servers;
  readonly dashboards: DashboardPanels;
}

export function activate(context: vscode.ExtensionContext): MimCmApi {
  const channel = vscode.window.createOutputChannel(l10n.t('MIM CM'), { log: true });
  context.subscriptions.push(channel);
  // Failed calls (in the engines too, whose log lines come here) name CM's correlation ids: kept for the hover
  // on a Failed request.
  const correlations = new CorrelationLog();
  const log = notingCorrelations(safeLogger(channel), correlations);

  // Modules without `vscode` (errors, models) translate through @vscode/l10n, given VS Code's bundle here.
  if (vscode.l10n.bundle !== undefined) {
    l10n.config({ contents: vscode.l10n.bundle });
  }
  const credentials = new CredentialStore(context.secrets);
  const formatDate = localDateFormatter(vscode.env.language);
  const formatCount = countFormatter(vscode.env.language);
  // Each server's engine runs in its own worker thread (dist/engineWorker.js), which alone loads undici and zod.
  const servers: Servers = new Servers(() => new EngineHandle(path.join(__dirname, 'engineWorker.js'), log, vscode.l10n.bundle), {
    secretsFor: (config) => secretsFor(credentials, config),
    storeCredential: (config, credential) => storeSignIn(credentials, config, credential),
    userAgent: `mimcm-requests/${String((context.extension.packageJSON as { version?: unknown }).version)} vscode/${vscode.version}`,
    locale: vscode.env.language,
    // Called only by auto-refresh timers, which start after the view below exists.
    isWatched: (): boolean => vscode.window.state.focused && (treeView.visible || servers.view.showPendingBadge),
  });
  context.subscriptions.push({ dispose: () => servers.dispose() });

  const WATCHED_KEY = 'mimcm.watched';
  const watched = new WatchList({
    get: () => context.globalState.get<Record<string, string[]>>(WATCHED_KEY),
    set: (value) => context.globalState.update(WATCHED_KEY, value),
  });
  const watcher = new Watcher(watched, {
    servers: () => servers.all,
    isWatched: () => vscode.window.state.focused,
    notify: (change) => announceChange(watched, change),
  });
  context.subscriptions.push({ dispose: () => watcher.dispose() });

  const tree = new RequestsTreeProvider({ servers, formatDate, formatCount, watched });
  const treeView = vscode.window.createTreeView(REQUESTS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  tree.attach(treeView);
  context.subscriptions.push(tree, treeView);

  const templateNameOf = (serverId: string | undefined, templateId: string): string | undefined =>
    (serverId === undefined ? servers.all[0] : servers.find(serverId))?.templateName(templateId);
  const documents = new RequestDocumentProvider({ serverFor: (id) => (id === undefined ? servers.all[0] : servers.find(id)) }, log);
  const peopleNames: PeopleNames = (serverId, keys) =>
    (serverId === undefined ? servers.all[0] : servers.find(serverId))?.names(keys) ?? Promise.resolve({});
  const inlayHints = new RequestInlayHints(formatDate, templateNameOf, peopleNames);
  context.subscriptions.push(
    documents,
    inlayHints,
    servers.onDidChangeNames(() => inlayHints.namesChanged()),
    vscode.workspace.registerTextDocumentContentProvider(REQUEST_SCHEME, documents),
    vscode.languages.registerInlayHintsProvider({ scheme: REQUEST_SCHEME }, inlayHints),
    vscode.languages.registerDocumentLinkProvider({ scheme: REQUEST_SCHEME }, new RequestLinks()),
    vscode.languages.registerHoverProvider({ scheme: REQUEST_SCHEME }, new RequestHover(formatDate, templateNameOf, correlations)),
    vscode.languages.registerHoverProvider({ scheme: REQUEST_SCHEME }, new PeopleHover(peopleNames)),
    vscode.languages.registerCodeLensProvider({ scheme: REQUEST_SCHEME }, new RequestStatusLens(documents, formatDate)),
  );

  const expiryWarnings = new TokenExpiryWarnings();
  context.subscriptions.push(
    expiryWarnings,
    servers.onDidChange(() => expiryWarnings.update(servers.all)),
  );

  const reconnect = async (rereadSecrets: boolean): Promise<void> => {
    const settings = readSettings();
    await vscode.commands.executeCommand(
      'setContext',
      CONTEXT_KEYS.hostConfigured,
      settings.servers.length > 0 || settings.problems.length > 0,
    );
    await servers.apply(settings, { rereadSecrets });
  };

  registerRefresh(context, { servers, tree, documents });
  registerOpenRequest(context, { servers, documents, log });
  registerCopyRequestId(context);
  registerOpenSettings(context);
  registerShowLog(context, channel);
  registerLoadMore(context, { tree });
  registerFilter(context, { tree });
  registerShowRequestsForUser(context, { servers, tree });
  registerInspect(context, { servers, tree });
  registerViewOrder(context);
  registerRequestActions(context, { servers, documents });
  registerWatch(context, { servers, list: watched, watcher });
  registerExportRequests(context, { servers, formatCount });
  registerCompare(context, { servers });
  const dashboards = new DashboardPanels(servers, context.extensionUri, log, formatDate);
  context.subscriptions.push(dashboards);
  registerDashboard(context, { servers, panels: dashboards });
  context.subscriptions.push(new ConnectionStatusBar(servers, (time) => formatDate(new Date(time)), formatCount));
  const accounts = new AccountsProvider(servers, credentials);
  context.subscriptions.push(accounts);
  registerStatusMenu(context, servers, () => accounts.signedIn);
  registerSignIn(context, { servers, credentials, reconnect: () => reconnect(true) });
  registerSignInPrompt(context, servers, () => treeView.visible);
  registerSettingsWatcher(context, () => void reconnect(false));
  context.subscriptions.push(
    credentials.onDidChange(() => void reconnect(true)),
    vscode.window.onDidChangeWindowState((state) => {
      if (state.focused) {
        servers.watchedAgain();
      }
    }),
    treeView.onDidChangeVisibility((event) => {
      if (event.visible) {
        servers.watchedAgain();
      }
    }),
  );
  void reconnect(true);
  return { requestsTree: tree, servers, dashboards };
}

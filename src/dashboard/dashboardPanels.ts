// "MIM CM: Open Dashboard": one webview per server, drawn from what its engine has loaded. The panels follow
// Refresh, the filter and the settings (any change of the servers redraws a visible panel), and come back after
// a reload through the webview serializer with the server and range they showed.
import * as vscode from 'vscode';
import { CmError } from '../cm/errors';
import type { CmLogger } from '../cm/logger';
import { COMMANDS, REQUESTS_VIEW_ID } from '../commandIds';
import type { DateFormatter } from '../model/cmDates';
import type { DashboardRange } from '../model/dashboardScales';
import { readDashboardMessage, readDashboardState, type FromDashboard, type ToDashboard } from '../model/dashboardMessages';
import { pivotFilterText } from '../model/filterFields';
import type { ServerSession } from '../servers/serverSession';
import type { Servers } from '../servers/servers';
import { dashboardHtml } from './dashboardHtml';
import * as l10n from '@vscode/l10n';

export const DASHBOARD_VIEW_TYPE = 'mimcm.dashboard';

/** Changes come in bursts (a refresh fires when it starts and ends, a filter per server): drawn once after. */
const REDRAW_DELAY_MS = 100;

export class DashboardPanels implements vscode.Disposable {
  private readonly panels = new Map<string, DashboardPanel>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly servers: Servers,
    private readonly extensionUri: vscode.Uri,
    private readonly log: CmLogger,
    private readonly formatDate: DateFormatter,
  ) {
    this.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, state: unknown) => {
          const restored = readDashboardState(state);
          if (restored === undefined) {
            panel.dispose();
          } else {
            this.adopt(panel, restored.serverId, restored.range);
          }
          return Promise.resolve();
        },
      }),
      servers.onDidChange(() => {
        for (const panel of this.panels.values()) {
          panel.changed();
        }
      }),
    );
  }

  /** Shows the server's dashboard, opening it or bringing it to the front. */
  show(session: ServerSession): void {
    const open = this.panels.get(session.id);
    if (open !== undefined) {
      open.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, titleOf(session.name), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [this.assetsRoot()],
    });
    this.adopt(panel, session.id, 30);
  }

  /** The server ids with an open dashboard (for the extension-host suite). */
  get openServers(): readonly string[] {
    return [...this.panels.keys()];
  }

  dispose(): void {
    for (const panel of this.panels.values()) {
      panel.dispose();
    }
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
  }

  private adopt(panel: vscode.WebviewPanel, serverId: string, range: DashboardRange): void {
    const root = this.assetsRoot();
    panel.webview.options = { enableScripts: true, localResourceRoots: [root] };
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'mimcm.svg');
    const name = this.servers.find(serverId)?.name ?? serverId;
    panel.title = titleOf(name);
    panel.webview.html = dashboardHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'dashboard.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'dashboard.css')).toString(),
      title: titleOf(name),
      loadingText: l10n.t('Loading the dashboard…'),
      l10nBundle: vscode.l10n.bundle,
      language: vscode.env.language,
    });
    this.panels.get(serverId)?.dispose();
    const dashboard = new DashboardPanel(panel, serverId, range, this.servers, this.log, this.formatDate);
    this.panels.set(serverId, dashboard);
    panel.onDidDispose(() => {
      if (this.panels.get(serverId) === dashboard) {
        this.panels.delete(serverId);
      }
    });
  }

  private assetsRoot(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
  }
}

function titleOf(server: string): string {
  return l10n.t`CM Dashboard: ${server}`;
}

/** One open dashboard: what it shows (server, range), and the messages between it and the extension. */
class DashboardPanel {
  private range: DashboardRange;
  private ready = false;
  private dirty = true;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Counts draws, so an older answer from the engine never replaces a newer one. */
  private generation = 0;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly serverId: string,
    range: DashboardRange,
    private readonly servers: Servers,
    private readonly log: CmLogger,
    private readonly formatDate: DateFormatter,
  ) {
    this.range = range;
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((message: unknown) => {
        const known = readDashboardMessage(message);
        if (known === undefined) {
          this.log.warn('The dashboard sent a message the extension does not know; ignored.');
          return;
        }
        void this.handle(known);
      }),
      panel.onDidChangeViewState(() => {
        if (panel.visible && this.dirty) {
          this.changed();
        }
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Something about the servers changed: redrawn soon if visible, or when next shown. */
  changed(): void {
    this.dirty = true;
    if (!this.ready || !this.panel.visible) {
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.draw(), REDRAW_DELAY_MS);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const subscription of this.subscriptions.splice(0)) {
      subscription.dispose();
    }
  }

  private async handle(message: FromDashboard): Promise<void> {
    const session = this.servers.find(this.serverId);
    switch (message.kind) {
      case 'ready':
        this.ready = true;
        await this.draw();
        return;
      case 'range':
        this.range = message.range;
        await this.draw();
        return;
      case 'filter':
        await vscode.commands.executeCommand(COMMANDS.filter, pivotFilterText(message.status, message.type, message.template));
        await vscode.commands.executeCommand(`${REQUESTS_VIEW_ID}.focus`);
        return;
      case 'clearFilter':
        await vscode.commands.executeCommand(COMMANDS.clearFilter);
        return;
      case 'openRequest':
        await vscode.commands.executeCommand(COMMANDS.openRequest, message.id, this.serverId);
        return;
      case 'exportPivot':
        await vscode.commands.executeCommand(COMMANDS.exportRequests, { serverId: this.serverId, what: 'pivot' });
        return;
      case 'refresh':
        if (session !== undefined) {
          await vscode.commands.executeCommand(COMMANDS.refresh, { serverId: this.serverId });
        }
        return;
    }
  }

  private async draw(): Promise<void> {
    this.dirty = false;
    const generation = ++this.generation;
    const message = await this.message().catch((error: unknown): ToDashboard => ({
      kind: 'empty',
      serverId: this.serverId,
      server: this.serverId,
      message: l10n.t`The dashboard could not be drawn: ${CmError.from(error).message}`,
      loading: false,
    }));
    if (generation === this.generation) {
      await this.panel.webview.postMessage(message);
    }
  }

  private async message(): Promise<ToDashboard> {
    const session = this.servers.find(this.serverId);
    if (session === undefined) {
      return {
        kind: 'empty',
        serverId: this.serverId,
        server: this.serverId,
        message: l10n.t(
          'This server is no longer configured (mimcm.host or mimcm.servers). Close this dashboard or configure the server again.',
        ),
        loading: false,
      };
    }
    const summary = session.summary;
    const figures = summary === undefined ? undefined : await session.dashboard(this.range);
    if (summary === undefined || figures === undefined) {
      return {
        kind: 'empty',
        serverId: this.serverId,
        server: session.name,
        message: session.loading
          ? l10n.t`Loading the requests of ${session.name}…`
          : session.error !== undefined
            ? l10n.t`${session.name} has no requests loaded: ${session.error.message}`
            : l10n.t`${session.name} has no requests loaded yet. Refresh to load them.`,
        loading: session.loading,
      };
    }
    return {
      kind: 'figures',
      serverId: this.serverId,
      server: session.name,
      hostLabel: session.hostLabel,
      range: this.range,
      now: Date.now(),
      loadedAt: this.formatDate(new Date(summary.loadedAt)),
      statuses: session.config.statuses,
      filter: session.filtered ? session.filter : undefined,
      stale: session.error?.message,
      loading: session.loading,
      figures,
    };
  }
}

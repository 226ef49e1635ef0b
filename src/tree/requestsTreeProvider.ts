import * as vscode from 'vscode';
import { CmError } from '../cm/errors';
import { CONTEXT_KEYS, COMMANDS, REQUESTS_VIEW_ID } from '../commandIds';
import type { GroupSummary } from '../engine/protocol';
import type { DateFormatter } from '../model/cmDates';
import type { CountFormatter } from '../model/countText';
import { pendingBadgeTooltip } from '../model/statusBarText';
import type { ServerSession } from '../servers/serverSession';
import type { Servers } from '../servers/servers';
import type { WatchList } from '../watch/watchList';
import {
  directoryWarningNode,
  errorNodes,
  GroupNode,
  LoadMoreNode,
  MessageNode,
  RequestNode,
  ServerNode,
  WatchedGroupNode,
  type NodeScope,
  type RequestsTreeNode,
} from './nodes';
import * as l10n from '@vscode/l10n';

/** Ages are shown to the minute at best. */
const AGE_REDRAW_MS = 60_000;

export interface RequestsTreeDeps {
  readonly servers: Servers;
  readonly formatDate: DateFormatter;
  readonly formatCount: CountFormatter;
  readonly watched: WatchList;
}

/**
 * Turns what each server's engine says into nodes; it holds no requests. With one server its groups are the
 * root (as before several servers existed); with more, each server is a root node with its groups under it. A
 * failed refresh keeps the server's previous groups on screen, with the explained error on top.
 */
export class RequestsTreeProvider implements vscode.TreeDataProvider<RequestsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RequestsTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private view: vscode.TreeView<RequestsTreeNode> | undefined;
  private readonly subscription: { dispose(): void };

  private readonly ageTimer: ReturnType<typeof setInterval>;

  constructor(private readonly deps: RequestsTreeDeps) {
    const servers = deps.servers.onDidChange(() => {
      this.updateViewText();
      this.changed.fire(undefined);
    });
    const watched = deps.watched.onDidChange(() => this.changed.fire(undefined));
    this.subscription = { dispose: () => [servers, watched].forEach((subscription) => subscription.dispose()) };
    // Rows show ages ("5 min", "3 d"): redrawn from the engines' pages, never by asking the servers again.
    this.ageTimer = setInterval(() => {
      if (this.view?.visible === true) {
        this.changed.fire(undefined);
      }
    }, AGE_REDRAW_MS);
    this.ageTimer.unref?.();
  }

  attach(view: vscode.TreeView<RequestsTreeNode>): void {
    this.view = view;
  }

  /** The activity-bar badge as the view shows it. */
  get badge(): vscode.ViewBadge | undefined {
    return this.view?.badge;
  }

  /** The filter as the user typed it, if one is set. */
  get filterText(): string | undefined {
    return this.filter;
  }

  private get filter(): string | undefined {
    const text = this.deps.servers.filter;
    return text === '' ? undefined : text;
  }

  /** Reloads every server (or one); each shows its own outcome as soon as it has it. */
  async refresh(serverId?: string): Promise<void> {
    const sessions = this.deps.servers.all.filter((session) => serverId === undefined || session.id === serverId);
    await vscode.window.withProgress({ location: { viewId: REQUESTS_VIEW_ID } }, () =>
      Promise.all(sessions.map((session) => session.refresh())),
    );
  }

  /** Shows only requests matching `text` (blank clears) on every server; the data stays loaded, so no server call. */
  async setFilter(text: string): Promise<void> {
    const filtering = this.deps.servers.setFilter(text);
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.filtered, this.filter !== undefined);
    // Right after a large load the engines may still be indexing: the view shows progress meanwhile.
    await vscode.window.withProgress({ location: { viewId: REQUESTS_VIEW_ID } }, () => filtering);
    this.updateViewText();
    this.changed.fire(undefined);
  }

  loadMore(group: string, serverId?: string): void {
    (this.deps.servers.find(serverId) ?? this.deps.servers.all[0])?.loadMore(group);
  }

  getTreeItem(node: RequestsTreeNode): vscode.TreeItem {
    return node;
  }

  async getChildren(node?: RequestsTreeNode): Promise<RequestsTreeNode[]> {
    const sessions = this.deps.servers.all;
    if (node === undefined) {
      const problems = this.deps.servers.problems.map(
        (problem, index) =>
          new MessageNode(`settings:problem:${index}`, problem, {
            // The row cuts a long explanation short; the hover reads it whole.
            tooltip: problem,
            icon: 'warning',
            color: 'problemsWarningIcon.foreground',
            command: { command: COMMANDS.openSettings, title: l10n.t('Open Settings') },
          }),
      );
      if (sessions.length === 1 && sessions[0] !== undefined) {
        return [...problems, ...this.serverChildren(sessions[0])];
      }
      return [...problems, ...sessions.map((session) => this.serverNode(session))];
    }
    if (node instanceof ServerNode) {
      const session = this.deps.servers.find(node.serverId);
      return session === undefined ? [] : this.serverChildren(session);
    }
    if (node instanceof GroupNode) {
      const session = this.deps.servers.find(node.serverId);
      return session === undefined ? [] : this.groupChildren(session, node.key);
    }
    if (node instanceof WatchedGroupNode) {
      const session = this.deps.servers.find(node.serverId);
      return session === undefined ? [] : this.watchedChildren(session);
    }
    return [];
  }

  /** Hovering a request asks its engine for every field, so the host never holds the records. */
  async resolveTreeItem(item: vscode.TreeItem, node: RequestsTreeNode): Promise<vscode.TreeItem> {
    if (node instanceof RequestNode && node.tooltip === undefined) {
      const rows = await this.deps.servers.find(node.serverId)?.details(node.requestId, node.group);
      if (rows !== undefined) {
        node.showDetails(typeof node.label === 'string' ? node.label : node.requestId, rows);
      }
    }
    return item;
  }

  dispose(): void {
    clearInterval(this.ageTimer);
    this.subscription.dispose();
    this.changed.dispose();
  }

  private scope(session: ServerSession): NodeScope {
    return { serverId: session.id, prefix: this.deps.servers.all.length > 1 ? `${session.id}/` : '' };
  }

  private serverNode(session: ServerSession): ServerNode {
    const pending = session.pendingCount;
    const state = session.loading ? 'loading' : session.error !== undefined ? 'failed' : 'ok';
    const said = session.loading
      ? l10n.t('loading…')
      : session.error !== undefined
        ? session.error.summary
        : session.summary === undefined
          ? l10n.t('not loaded')
          : l10n.t`${this.deps.formatCount(pending)} pending`;
    const tooltip = [
      `${session.name} (${session.hostLabel})`,
      session.error !== undefined ? `${session.error.message} ${session.error.hint}` : undefined,
      session.summary !== undefined ? l10n.t`Updated ${this.deps.formatDate(new Date(session.summary.loadedAt))}` : undefined,
    ]
      .filter((line) => line !== undefined)
      .join('\n');
    // The state first: a narrow sidebar cuts the end of the description.
    return new ServerNode(session.id, session.name, `${said} · ${session.hostLabel}`, tooltip, state);
  }

  private serverChildren(session: ServerSession): RequestsTreeNode[] {
    const scope = this.scope(session);
    const nodes: RequestsTreeNode[] = session.error === undefined ? [] : errorNodes(scope, 'root', session.error);
    const directory = session.directory;
    if (directory.state === 'failed') {
      nodes.push(directoryWarningNode(scope, new CmError(directory.error)));
    }
    const watched = this.deps.watched.of(session.id).length;
    if (watched > 0) {
      nodes.push(new WatchedGroupNode(scope, watched, this.deps.formatCount));
    }
    const summary = session.summary;
    const showEmptyGroups = this.deps.servers.view.showEmptyGroups;
    const groupBy = summary?.groupBy ?? 'status';
    for (const group of summary?.groups ?? []) {
      if (group.matching !== undefined) {
        // While filtering, a group is only worth a row when something in it matches.
        if (group.matching > 0 || group.error !== undefined) {
          nodes.push(new GroupNode(scope, group, groupBy, this.deps.formatCount));
        }
      } else if (group.count > 0 || group.error !== undefined || showEmptyGroups) {
        nodes.push(new GroupNode(scope, group, groupBy, this.deps.formatCount));
      }
    }
    const invalid = summary?.invalid === undefined ? undefined : invalidNode(scope, 'all', summary.invalid, this.deps.formatCount);
    if (invalid !== undefined) {
      nodes.push(invalid);
    }
    const groups = nodes.some((node) => node instanceof GroupNode || node instanceof WatchedGroupNode);
    if (summary !== undefined && this.filter !== undefined && !groups) {
      nodes.push(
        new MessageNode(`${scope.prefix}root:nomatch`, l10n.t`No requests match "${this.filter}"`, {
          description: l10n.t('click to clear the filter'),
          icon: 'filter',
          command: { command: COMMANDS.clearFilter, title: l10n.t('Clear Filter') },
        }),
      );
    } else if (summary !== undefined && nodes.length === 0) {
      // With empty groups hidden, an empty server would otherwise be a blank view.
      nodes.push(
        new MessageNode(`${scope.prefix}root:empty`, l10n.t('No requests on this server'), {
          tooltip: l10n.t('mimcm.showEmptyGroups is off and every status shown is empty.'),
          icon: 'info',
        }),
      );
    }
    return nodes;
  }

  private async groupChildren(session: ServerSession, key: string): Promise<RequestsTreeNode[]> {
    const scope = this.scope(session);
    const summary = session.summary;
    const group = summary?.groups.find((candidate) => candidate.key === key);
    if (group === undefined || summary === undefined) {
      return [];
    }
    const nodeKey = summary.groupBy === 'status' ? `status:${key}` : `group:${key}`;
    if (group.error !== undefined) {
      return errorNodes(scope, nodeKey, new CmError(group.error));
    }
    let page;
    try {
      page = await session.page(key);
    } catch (error) {
      return errorNodes(scope, nodeKey, CmError.from(error));
    }
    const now = Date.now();
    const agingWarningDays = this.deps.servers.view.agingWarningDays;
    const nodes: RequestsTreeNode[] = page.rows.map((row) =>
      row.broken === undefined
        ? new RequestNode(scope, row, key, summary.groupBy, now, agingWarningDays, this.deps.watched.has(session.id, row.id))
        : new MessageNode(`${scope.prefix}request:${key}:${row.id}`, l10n.t`Request ${row.id.slice(0, 8)} could not be shown`, {
            description: l10n.t('open it to read the JSON'),
            tooltip: l10n.t`${row.id}: this record has values the view cannot display. The log has details.`,
            icon: 'warning',
            color: 'problemsWarningIcon.foreground',
            command: { command: COMMANDS.openRequest, title: l10n.t('Open Request'), arguments: [row.id, session.id] },
          }),
    );
    if (page.remaining > 0) {
      nodes.push(new LoadMoreNode(scope, key, this.deps.formatCount(page.remaining)));
    }
    const invalid = invalidNode(scope, nodeKey, group, this.deps.formatCount);
    if (invalid !== undefined) {
      nodes.push(invalid);
    }
    return nodes;
  }

  private watchedChildren(session: ServerSession): RequestsTreeNode[] {
    const scope = this.scope(session);
    const now = Date.now();
    const agingWarningDays = this.deps.servers.view.agingWarningDays;
    return this.deps.watched.of(session.id).map(({ requestId, row, problem, gone }) => {
      const open = { command: COMMANDS.openRequest, title: l10n.t('Open Request'), arguments: [requestId, session.id] };
      if (row === undefined || gone === true) {
        return new MessageNode(`${scope.prefix}watched:${requestId}`, l10n.t`Request ${requestId.slice(0, 8)}`, {
          description: gone === true ? l10n.t('no longer on the server') : (problem ?? l10n.t('not checked yet')),
          tooltip: `${requestId}: ${gone === true ? l10n.t('the server has no such request any more.') : (problem ?? l10n.t('checked within 30 s while VS Code has focus.'))}`,
          icon: gone === true ? 'warning' : 'eye',
          command: open,
        });
      }
      const node = new RequestNode(scope, row, 'watched', 'type', now, agingWarningDays, true);
      if (problem !== undefined) {
        node.description = l10n.t`${String(node.description)} · not updated: ${problem}`;
      }
      return node;
    });
  }

  private updateViewText(): void {
    if (this.view === undefined) {
      return;
    }
    const sessions = this.deps.servers.all;
    const view = this.deps.servers.view;
    const pending = sessions.reduce((sum, session) => sum + session.pendingCount, 0);
    this.view.badge =
      view.showPendingBadge && pending > 0
        ? {
            value: pending,
            tooltip: pendingBadgeTooltip(pending, this.deps.formatCount, sessions),
          }
        : undefined;
    // The message is the one line VS Code always shows above the tree (the description hides when the view is
    // alone in its container), so which server, how fresh, and an active filter are said there.
    // VS Code runs the message together as one paragraph, so the filter, a sentence, goes first.
    const lines: string[] = [];
    if (this.filter !== undefined) {
      lines.push(l10n.t`Showing requests matching "${this.filter}".`);
    }
    const only = sessions.length === 1 ? sessions[0] : undefined;
    this.view.description = only?.hostLabel;
    if (only?.summary !== undefined && only.info?.kind === 'ready') {
      const asOf = this.deps.formatDate(new Date(only.summary.loadedAt));
      lines.push(
        only.error === undefined
          ? l10n.t`${only.hostLabel} · updated ${asOf}`
          : l10n.t`Refresh failed; showing ${only.hostLabel} as of ${asOf}.`,
      );
    }
    this.view.message = lines.length === 0 ? undefined : lines.join(' ');
  }
}

function invalidNode(
  scope: NodeScope,
  nodeKey: string,
  group: Pick<GroupSummary, 'invalidCount' | 'invalidSample'>,
  formatCount: CountFormatter,
): MessageNode | undefined {
  if (group.invalidCount === 0) {
    return undefined;
  }
  const count = group.invalidCount;
  return new MessageNode(
    `${scope.prefix}${nodeKey}:invalid`,
    count === 1 ? l10n.t('1 request could not be read') : l10n.t`${formatCount(count)} requests could not be read`,
    {
      description: l10n.t('see log'),
      tooltip: group.invalidSample.join('\n'),
      icon: 'warning',
      color: 'problemsWarningIcon.foreground',
      command: { command: COMMANDS.showLog, title: l10n.t('Show Log') },
    },
  );
}

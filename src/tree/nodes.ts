import * as vscode from 'vscode';
import type { RequestStatusName } from '../cm/codes';
import type { CmError } from '../cm/errors';
import { COMMANDS } from '../commandIds';
import type { GroupSummary, RequestRow } from '../engine/protocol';
import type { GroupBy } from '../model/viewOrder';
import type { CountFormatter } from '../model/countText';
import { rowAge, type RowAge } from '../model/requestAge';
import { recoveryCommands } from '../recoveryActions';
import * as l10n from '@vscode/l10n';

const STATUS_ICONS: Record<RequestStatusName, [string, string | undefined]> = {
  Pending: ['clock', 'charts.yellow'],
  Approved: ['pass', 'charts.blue'],
  Executing: ['sync', 'charts.blue'],
  Completed: ['check-all', 'charts.green'],
  Failed: ['error', 'charts.red'],
  Denied: ['circle-slash', 'charts.red'],
  Canceled: ['close', undefined],
  None: ['circle-outline', undefined],
};

/**
 * Where a node lives: its server, and the prefix that keeps ids unique across servers. With one server the
 * prefix is empty, so ids (and what VS Code remembers of expanded groups) stay as they always were.
 */
export interface NodeScope {
  readonly serverId: string;
  readonly prefix: string;
}

/** A CM server, with several configured: its status groups sit under it. */
export class ServerNode extends vscode.TreeItem {
  constructor(
    readonly serverId: string,
    name: string,
    description: string,
    tooltip: string,
    state: 'ok' | 'loading' | 'failed',
  ) {
    super(name, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `server:${serverId}`;
    this.description = description;
    this.tooltip = tooltip;
    this.iconPath = new vscode.ThemeIcon(
      state === 'loading' ? 'loading~spin' : state === 'failed' ? 'server-environment' : 'server',
      state === 'failed' ? new vscode.ThemeColor('errorForeground') : undefined,
    );
    this.contextValue = 'server';
  }
}

const GROUP_ICONS: Record<Exclude<GroupBy, 'status'>, string> = {
  type: 'symbol-enum',
  template: 'file-code',
  targetUser: 'person',
  originator: 'account',
};

/** A group of requests: a status (the default grouping), or a type, template or target user. */
export class GroupNode extends vscode.TreeItem {
  readonly serverId: string;
  readonly key: string;
  /** Set when the group is a status. */
  readonly status: RequestStatusName | undefined;

  /** `summary.matching` is how many of the `count` requests pass the filter, when one is set. */
  constructor(scope: NodeScope, summary: GroupSummary, groupBy: GroupBy, formatCount: CountFormatter) {
    super(summary.label, vscode.TreeItemCollapsibleState.Collapsed);
    this.serverId = scope.serverId;
    this.key = summary.key;
    this.status = summary.status;
    // Grouped by status, ids stay as they were before other groupings existed (VS Code remembers expansion).
    this.id = groupBy === 'status' ? `${scope.prefix}status:${summary.key}` : `${scope.prefix}group:${summary.key}`;
    const { count, matching } = summary;
    if (summary.error !== undefined) {
      this.description = l10n.t('could not load');
      this.tooltip = l10n.t`${summary.label}: the server did not answer this query; expand for details`;
    } else if (matching !== undefined) {
      this.description = l10n.t`${formatCount(matching)} of ${formatCount(count)}`;
      this.tooltip = l10n.t`${formatCount(matching)} of ${formatCount(count)} ${summary.label} requests match the filter`;
    } else {
      this.description = formatCount(count);
      this.tooltip = count === 1 ? l10n.t`1 ${summary.label} request` : l10n.t`${formatCount(count)} ${summary.label} requests`;
    }
    const [icon, color] =
      summary.status === undefined ? [GROUP_ICONS[groupBy === 'status' ? 'type' : groupBy], undefined] : STATUS_ICONS[summary.status];
    this.iconPath = new vscode.ThemeIcon(icon, color === undefined ? undefined : new vscode.ThemeColor(color));
    this.contextValue = 'group';
  }
}

/** A request as a row; its tooltip (every field, decoded) is asked of the engine when hovered. */
export class RequestNode extends vscode.TreeItem {
  readonly requestId: string;
  readonly serverId: string;
  readonly status: RequestStatusName;
  /** The key of the group it is shown in. */
  readonly group: string;
  /** For "Show Requests for This Target User". */
  readonly targetUserId: string | undefined;
  /** How old it is, and whether it has been open longer than mimcm.agingWarningDays. */
  readonly age: RowAge | undefined;

  /** `now` and `agingWarningDays` give the age shown ("3 d", or "waiting 12 d" with a warning icon). */
  constructor(scope: NodeScope, row: RequestRow, group: string, groupBy: GroupBy, now: number, agingWarningDays: number, watched = false) {
    super(row.label, vscode.TreeItemCollapsibleState.None);
    this.requestId = row.id;
    this.serverId = scope.serverId;
    this.status = row.status;
    this.group = group;
    // A misbehaving server could list one request under two statuses; the status keeps ids unique.
    this.id =
      groupBy === 'status' ? `${scope.prefix}request:${row.status}:${row.id}` : `${scope.prefix}request:${group}:${row.status}:${row.id}`;
    const age = rowAge(row.status, row.submitted, now, agingWarningDays);
    // Who it is for, how old, and the id's first digits: two requests of one type and template differ only there.
    this.description = [row.targetName, age?.text, row.id.slice(0, 8)].filter((part) => part !== undefined).join(' · ');
    this.iconPath = age?.overdue
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : new vscode.ThemeIcon(row.smartcard ? 'credit-card' : 'key');
    this.age = age;
    // Menus read the status (Cancel, Abandon, Why Is This Pending?) and whether it is watched.
    this.contextValue = `request status-${row.status}${watched ? ' watched' : ''}`;
    this.targetUserId = row.targetUserId;
    this.command = { command: COMMANDS.openRequest, title: l10n.t('Open Request'), arguments: [row.id, scope.serverId] };
  }

  /** The tooltip as a table of every field; the engine sends the rows, already cleaned and bounded. */
  showDetails(title: string, rows: readonly (readonly [string, string])[]): void {
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${escapeMarkdown(title)}**\n\n`);
    if (this.age?.overdue === true) {
      tooltip.appendMarkdown(`$(warning) ${escapeMarkdown(l10n.t`${this.status} and ${this.age.text}: past mimcm.agingWarningDays`)}\n\n`);
    }
    tooltip.appendMarkdown('| | |\n|---|---|\n');
    for (const [label, value] of rows) {
      tooltip.appendMarkdown(`| ${escapeMarkdown(label)} | ${escapeMarkdown(value)} |\n`);
    }
    this.tooltip = tooltip;
  }
}

/** The requests the user watches on a server, above its groups. */
export class WatchedGroupNode extends vscode.TreeItem {
  readonly serverId: string;

  constructor(scope: NodeScope, count: number, formatCount: CountFormatter) {
    super(l10n.t('Watched'), vscode.TreeItemCollapsibleState.Expanded);
    this.serverId = scope.serverId;
    this.id = `${scope.prefix}watched`;
    this.description = formatCount(count);
    this.tooltip =
      count === 1
        ? l10n.t('1 watched request: checked every 30 s while VS Code has focus; a status change is announced.')
        : l10n.t`${formatCount(count)} watched requests: checked every 30 s while VS Code has focus; a status change is announced.`;
    this.iconPath = new vscode.ThemeIcon('eye');
    this.contextValue = 'watchedGroup';
  }
}

export class LoadMoreNode extends vscode.TreeItem {
  /** `remaining`: how many more, as the view writes counts. */
  constructor(scope: NodeScope, group: string, remaining: string) {
    super(l10n.t`Load more (${remaining} remaining)`, vscode.TreeItemCollapsibleState.None);
    this.id = `${scope.prefix}more:${group}`;
    this.iconPath = new vscode.ThemeIcon('ellipsis');
    this.contextValue = 'loadMore';
    this.command = { command: COMMANDS.loadMore, title: l10n.t('Load More'), arguments: [group, scope.serverId] };
  }
}

/** Errors, hints and actions shown in place of data: always say what happened and offer one way forward. */
export class MessageNode extends vscode.TreeItem {
  constructor(
    id: string,
    label: string,
    options: { description?: string; tooltip?: string; icon: string; color?: string; command?: vscode.Command; contextValue?: string },
  ) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.id = id;
    this.description = options.description;
    this.tooltip = options.tooltip;
    this.iconPath = new vscode.ThemeIcon(options.icon, options.color === undefined ? undefined : new vscode.ThemeColor(options.color));
    this.command = options.command;
    this.contextValue = options.contextValue ?? 'message';
  }
}

/**
 * The one warning a failing directory gets: the tree stays as it was (GUIDs instead of names). A click opens the
 * directory setting; Open Settings and Show Log are its inline actions.
 */
export function directoryWarningNode(scope: NodeScope, error: CmError): MessageNode {
  return new MessageNode(`${scope.prefix}directory:warning`, l10n.t('Names unavailable'), {
    description: error.message,
    tooltip: [
      error.message,
      error.hint,
      l10n.t('Requests show their GUIDs meanwhile; names return after a Refresh once the directory answers.'),
    ]
      .filter((part) => part !== '')
      .join('\n\n'),
    icon: 'warning',
    color: 'problemsWarningIcon.foreground',
    command: { command: 'workbench.action.openSettings', title: l10n.t('Open Settings'), arguments: ['mimcm.directory.url'] },
    contextValue: 'directoryWarning',
  });
}

export type RequestsTreeNode = ServerNode | GroupNode | WatchedGroupNode | RequestNode | LoadMoreNode | MessageNode;

/**
 * The explained error node (click retries) plus what else helps: settings for setup problems, and the log.
 * Each action is given the server it is about.
 */
export function errorNodes(scope: NodeScope, id: string, error: CmError): MessageNode[] {
  // Not user text: "HTTP 403" and an address read the same in every language.
  const where = [error.status === undefined ? '' : `HTTP ${error.status}`, error.url ?? ''].filter((part) => part !== '').join('\n');
  const withServer = (command: string, title: string): vscode.Command => ({ command, title, arguments: [scope.serverId] });
  const nodes = [
    new MessageNode(`${scope.prefix}${id}:error`, error.summary, {
      description: error.message,
      tooltip: [error.message, error.hint, where, l10n.t('Click to retry.')].filter((part) => part !== '').join('\n\n'),
      icon: 'error',
      color: 'errorForeground',
      command: withServer(recoveryCommands().retry.command, recoveryCommands().retry.title),
    }),
  ];
  // The error node itself retries and Show Log always follows, so only other actions get a node of their own.
  if (error.action !== 'retry' && error.action !== 'showLog') {
    const { command, title, icon } = recoveryCommands()[error.action];
    nodes.push(new MessageNode(`${scope.prefix}${id}:${error.action}`, title, { icon, command: withServer(command, title) }));
  }
  const log = recoveryCommands().showLog;
  nodes.push(
    new MessageNode(`${scope.prefix}${id}:log`, log.title, { icon: log.icon, command: { command: log.command, title: log.title } }),
  );
  return nodes;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&').replace(/\r?\n/g, ' ');
}

import * as vscode from 'vscode';
import type { RequestStatusName } from '../cm/codes';
import type { CmError } from '../cm/errors';
import type { ReceivedRequest } from '../cm/schemas';
import { RECOVERY_COMMANDS } from '../recoveryActions';
import { isSmartcardRequest, requestLabel, summarizeRequest, type DateFormatter } from '../model/requestSummary';

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

export class StatusGroupNode extends vscode.TreeItem {
  /** `matching` is how many of the `count` requests pass the filter, when one is set. */
  constructor(
    readonly status: RequestStatusName,
    count: number,
    loadFailed: boolean,
    matching?: number,
  ) {
    super(status, vscode.TreeItemCollapsibleState.Collapsed);
    const [icon, color] = STATUS_ICONS[status];
    this.id = `status:${status}`;
    const requests = `${status} request${count === 1 ? '' : 's'}`;
    if (loadFailed) {
      this.description = 'could not load';
      this.tooltip = `${status}: the server did not answer this query; expand for details`;
    } else if (matching !== undefined) {
      this.description = `${matching} of ${count}`;
      this.tooltip = `${matching} of ${count} ${requests} match the filter`;
    } else {
      this.description = String(count);
      this.tooltip = `${count} ${requests}`;
    }
    this.iconPath = new vscode.ThemeIcon(icon, color === undefined ? undefined : new vscode.ThemeColor(color));
    this.contextValue = 'statusGroup';
  }
}

export class RequestNode extends vscode.TreeItem {
  readonly requestId: string;
  /** For "Show Requests for This Target User". */
  readonly targetUserId: string | undefined;

  constructor(received: ReceivedRequest, status: RequestStatusName, formatDate: DateFormatter) {
    super(requestLabel(received), vscode.TreeItemCollapsibleState.None);
    this.requestId = received.id;
    // A misbehaving server could list one request under two statuses; the status keeps ids unique.
    this.id = `request:${status}:${received.id}`;
    const submitted = received.request.Submitted ? new Date(received.request.Submitted) : undefined;
    this.description = submitted && !Number.isNaN(submitted.getTime()) ? formatDate(submitted) : '';
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${escapeMarkdown(requestLabel(received))}**\n\n| | |\n|---|---|\n`);
    for (const [label, value] of summarizeRequest(received, formatDate)) {
      tooltip.appendMarkdown(`| ${escapeMarkdown(label)} | ${escapeMarkdown(value)} |\n`);
    }
    this.tooltip = tooltip;
    this.iconPath = new vscode.ThemeIcon(isSmartcardRequest(received) ? 'credit-card' : 'key');
    this.contextValue = 'request';
    this.targetUserId = received.request.TargetUserUuid ?? undefined;
    this.command = { command: 'mimcm.openRequest', title: 'Open Request', arguments: [received.id] };
  }
}

export class LoadMoreNode extends vscode.TreeItem {
  constructor(status: RequestStatusName, remaining: number) {
    super(`Load more (${remaining} remaining)`, vscode.TreeItemCollapsibleState.None);
    this.id = `more:${status}`;
    this.iconPath = new vscode.ThemeIcon('ellipsis');
    this.contextValue = 'loadMore';
    this.command = { command: 'mimcm.loadMore', title: 'Load More', arguments: [status] };
  }
}

/** Errors, hints and actions shown in place of data: always say what happened and offer one way forward. */
export class MessageNode extends vscode.TreeItem {
  constructor(id: string, label: string, options: { description?: string; tooltip?: string; icon: string; color?: string; command?: vscode.Command }) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.id = id;
    this.description = options.description;
    this.tooltip = options.tooltip;
    this.iconPath = new vscode.ThemeIcon(options.icon, options.color === undefined ? undefined : new vscode.ThemeColor(options.color));
    this.command = options.command;
    this.contextValue = 'message';
  }
}

export type RequestsTreeNode = StatusGroupNode | RequestNode | LoadMoreNode | MessageNode;

/** The explained error node (click retries) plus what else helps: settings for setup problems, and the log. */
export function errorNodes(scope: string, error: CmError): MessageNode[] {
  const status = error.status !== undefined ? `HTTP ${error.status}\n` : '';
  const nodes = [
    new MessageNode(`${scope}:error`, error.summary, {
      description: error.message,
      tooltip: `${error.message}\n\n${error.hint}\n\n${status}${error.url ?? ''}\n\nClick to retry.`,
      icon: 'error',
      color: 'errorForeground',
      command: { command: RECOVERY_COMMANDS.retry.command, title: RECOVERY_COMMANDS.retry.title },
    }),
  ];
  // The error node itself retries and Show Log always follows, so only other actions get a node of their own.
  if (error.action !== 'retry' && error.action !== 'showLog') {
    const { command, title, icon } = RECOVERY_COMMANDS[error.action];
    nodes.push(new MessageNode(`${scope}:${error.action}`, title, { icon, command: { command, title } }));
  }
  const log = RECOVERY_COMMANDS.showLog;
  nodes.push(new MessageNode(`${scope}:log`, log.title, { icon: log.icon, command: { command: log.command, title: log.title } }));
  return nodes;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&').replace(/\r?\n/g, ' ');
}

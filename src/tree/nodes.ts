import * as vscode from 'vscode';
import type { RequestStatusName } from '../cm/codes';
import type { CmError } from '../cm/errors';
import type { ReceivedRequest } from '../cm/schemas';
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
  constructor(
    readonly status: RequestStatusName,
    count: number,
    loadFailed: boolean,
  ) {
    super(status, vscode.TreeItemCollapsibleState.Collapsed);
    const [icon, color] = STATUS_ICONS[status];
    this.id = `status:${status}`;
    this.description = loadFailed ? 'could not load' : String(count);
    this.tooltip = loadFailed ? `${status}: the server did not answer this query; expand for details` : `${count} ${status} request${count === 1 ? '' : 's'}`;
    this.iconPath = new vscode.ThemeIcon(icon, color === undefined ? undefined : new vscode.ThemeColor(color));
    this.contextValue = 'statusGroup';
  }
}

export class RequestNode extends vscode.TreeItem {
  readonly requestId: string;

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
      command: { command: 'mimcm.refresh', title: 'Retry' },
    }),
  ];
  if (error.action === 'signIn') {
    nodes.push(new MessageNode(`${scope}:signIn`, 'Sign In', { icon: 'sign-in', command: { command: 'mimcm.signIn', title: 'Sign In' } }));
  }
  if (error.action === 'signInToProxy') {
    nodes.push(new MessageNode(`${scope}:signInToProxy`, 'Sign In to Proxy', { icon: 'sign-in', command: { command: 'mimcm.signInToProxy', title: 'Sign In to Proxy' } }));
  }
  if (error.action === 'enterPassphrase') {
    nodes.push(new MessageNode(`${scope}:passphrase`, 'Enter Client Certificate Passphrase', { icon: 'key', command: { command: 'mimcm.enterClientCertificatePassphrase', title: 'Enter Passphrase' } }));
  }
  if (error.action === 'openSettings') {
    nodes.push(new MessageNode(`${scope}:settings`, 'Open Settings', { icon: 'settings-gear', command: { command: 'mimcm.openSettings', title: 'Open Settings' } }));
  }
  nodes.push(new MessageNode(`${scope}:log`, 'Show Log', { icon: 'output', command: { command: 'mimcm.showLog', title: 'Show Log' } }));
  return nodes;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&').replace(/\r?\n/g, ' ');
}

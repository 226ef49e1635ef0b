import * as vscode from 'vscode';
import type { RequestStatusName } from '../cm/codes';
import { CmError, isCanceled } from '../cm/errors';
import type { CmLogger } from '../cm/logger';
import type { CmConnection } from '../connection';
import { GroupPaging } from '../model/groupPaging';
import { RequestFilter } from '../model/requestFilter';
import { CodeTableWarnings, loadSnapshot, type RequestSnapshot, type StatusGroup } from '../model/requestSnapshot';
import type { DateFormatter } from '../model/requestSummary';
import type { ReceivedRequest } from '../cm/schemas';
import { cleanServerText, firstFew } from '../cm/serverText';
import { errorNodes, LoadMoreNode, MessageNode, RequestNode, StatusGroupNode, type RequestsTreeNode } from './nodes';

export const REQUESTS_VIEW_ID = 'mimcm.requests';

export interface RequestsTreeDeps {
  readonly connection: CmConnection;
  readonly log: CmLogger;
  readonly formatDate: DateFormatter;
}

/**
 * Renders the last loaded snapshot. A failed refresh keeps the previous data on screen (the view message says
 * it is stale) with the explained error on top, so a flaky server never blanks what the user was reading.
 */
export class RequestsTreeProvider implements vscode.TreeDataProvider<RequestsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RequestsTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly paging = new GroupPaging();
  private readonly codeWarnings: CodeTableWarnings;
  private snapshot: RequestSnapshot | undefined;
  private error: CmError | undefined;
  private inFlight: AbortController | undefined;
  private view: vscode.TreeView<RequestsTreeNode> | undefined;
  private filter: RequestFilter | undefined;

  constructor(private readonly deps: RequestsTreeDeps) {
    this.codeWarnings = new CodeTableWarnings(deps.log);
  }

  attach(view: vscode.TreeView<RequestsTreeNode>): void {
    this.view = view;
  }

  /** Drops data from a previous server so it is never shown under a new host's name. */
  forgetData(): void {
    this.snapshot = undefined;
    this.error = undefined;
    this.paging.reset();
  }

  /** The activity-bar badge as the view shows it. */
  get badge(): vscode.ViewBadge | undefined {
    return this.view?.badge;
  }

  /** After a view-only settings change: reload when other statuses were chosen than are loaded, else redraw. */
  async showSettingsChange(): Promise<void> {
    const state = this.deps.connection.state;
    const loaded = this.snapshot?.groups.map((group) => group.status).join();
    if (state.kind === 'ready' && loaded !== undefined && loaded !== state.settings.statuses.join()) {
      await this.refresh();
      return;
    }
    this.updateViewText();
    this.changed.fire(undefined);
  }

  /** Whether a load is running (the timer leaves it alone rather than cancel it). */
  get loading(): boolean {
    return this.inFlight !== undefined;
  }

  /** Reloads every group; a newer refresh cancels the one still running. */
  async refresh(): Promise<void> {
    this.inFlight?.abort();
    const state = this.deps.connection.state;
    if (state.kind !== 'ready') {
      this.inFlight = undefined;
      this.snapshot = undefined;
      this.error = state.kind === 'invalid' ? state.error : undefined;
      this.updateViewText();
      this.changed.fire(undefined);
      return;
    }
    const controller = new AbortController();
    this.inFlight = controller;
    await vscode.window.withProgress({ location: { viewId: REQUESTS_VIEW_ID } }, async () => {
      try {
        const snapshot = await loadSnapshot(state.client, controller.signal, this.codeWarnings, state.settings.statuses);
        if (controller.signal.aborted) {
          return;
        }
        this.snapshot = snapshot;
        this.error = undefined;
        const total = snapshot.groups.reduce((sum, group) => sum + group.requests.length, 0);
        this.deps.log.info(`Loaded ${total} requests from ${state.client.hostLabel}.`);
      } catch (error) {
        if (controller.signal.aborted || isCanceled(error)) {
          return;
        }
        this.error = CmError.from(error);
        this.deps.log.error(`Refresh failed: ${this.error.describe()}`);
      } finally {
        if (this.inFlight === controller) {
          this.inFlight = undefined;
        }
      }
      this.updateViewText();
      this.changed.fire(undefined);
    });
  }

  /** The filter as the user typed it, if one is set. */
  get filterText(): string | undefined {
    return this.filter?.text;
  }

  /** Shows only requests matching `text` (blank clears); the data stays loaded, so this costs no server call. */
  setFilter(text: string): void {
    this.filter = RequestFilter.parse(text, this.deps.formatDate);
    this.paging.reset();
    void vscode.commands.executeCommand('setContext', 'mimcm.filtered', this.filter !== undefined);
    this.updateViewText();
    this.changed.fire(undefined);
  }

  loadMore(status: RequestStatusName): void {
    this.paging.loadMore(status);
    this.changed.fire(undefined);
  }

  getTreeItem(node: RequestsTreeNode): vscode.TreeItem {
    return node;
  }

  getChildren(node?: RequestsTreeNode): RequestsTreeNode[] {
    if (node === undefined) {
      return this.rootNodes();
    }
    if (node instanceof StatusGroupNode) {
      const group = this.snapshot?.groups.find((candidate) => candidate.status === node.status);
      return group === undefined ? [] : this.groupChildren(group);
    }
    return [];
  }

  dispose(): void {
    this.inFlight?.abort();
    this.changed.dispose();
  }

  private rootNodes(): RequestsTreeNode[] {
    const nodes: RequestsTreeNode[] = this.error === undefined ? [] : errorNodes('root', this.error);
    const groups = this.snapshot?.groups ?? [];
    // Data is only shown while connected, so the connection's settings are the ones that apply.
    const state = this.deps.connection.state;
    const showEmptyGroups = state.kind !== 'ready' || state.settings.showEmptyGroups;
    for (const group of groups) {
      const count = group.requests.length + group.invalid.length;
      if (this.filter !== undefined) {
        // While filtering, a group is only worth a row when something in it matches.
        const matching = this.matchingRequests(group).length;
        if (matching > 0 || group.error !== undefined) {
          nodes.push(new StatusGroupNode(group.status, count, group.error !== undefined, matching));
        }
      } else if (count > 0 || group.error !== undefined || showEmptyGroups) {
        nodes.push(new StatusGroupNode(group.status, count, group.error !== undefined));
      }
    }
    if (this.snapshot !== undefined && this.filter !== undefined && !nodes.some((node) => node instanceof StatusGroupNode)) {
      nodes.push(
        new MessageNode('root:nomatch', `No requests match "${this.filter.text}"`, {
          description: 'click to clear the filter',
          icon: 'filter',
          command: { command: 'mimcm.clearFilter', title: 'Clear Filter' },
        }),
      );
    } else if (this.snapshot !== undefined && nodes.length === 0) {
      // With empty groups hidden, an empty server would otherwise be a blank view.
      nodes.push(new MessageNode('root:empty', 'No requests on this server', { tooltip: 'mimcm.showEmptyGroups is off and every status shown is empty.', icon: 'info' }));
    }
    return nodes;
  }

  private groupChildren(group: StatusGroup): RequestsTreeNode[] {
    const scope = `status:${group.status}`;
    if (group.error !== undefined) {
      return errorNodes(scope, group.error);
    }
    const { shown, remaining } = this.paging.visible(group.status, this.matchingRequests(group));
    const nodes: RequestsTreeNode[] = shown.map((request) => this.requestNode(request, group.status));
    if (remaining > 0) {
      nodes.push(new LoadMoreNode(group.status, remaining));
    }
    if (group.invalid.length > 0) {
      const count = group.invalid.length;
      nodes.push(
        new MessageNode(`${scope}:invalid`, `${count} request${count === 1 ? '' : 's'} could not be read`, {
          description: 'see log',
          tooltip: firstFew(
            group.invalid.map((record) => `#${record.index}: ${cleanServerText(record.problems)}`),
            10,
          ),
          icon: 'warning',
          color: 'problemsWarningIcon.foreground',
          command: { command: 'mimcm.showLog', title: 'Show Log' },
        }),
      );
    }
    return nodes;
  }

  /** One record that cannot be shown becomes its own explained row; the rest of its group still shows. */
  private requestNode(request: ReceivedRequest, status: RequestStatusName): RequestsTreeNode {
    try {
      return new RequestNode(request, status, this.deps.formatDate);
    } catch (error) {
      this.deps.log.error(`Request ${request.id} could not be shown: ${cleanServerText(error instanceof Error ? error.message : String(error))}`);
      return new MessageNode(`request:${status}:${request.id}`, `Request ${request.id.slice(0, 8)} could not be shown`, {
        description: 'open it to read the JSON',
        tooltip: `${request.id}: this record has values the view cannot display. The log has details.`,
        icon: 'warning',
        color: 'problemsWarningIcon.foreground',
        command: { command: 'mimcm.openRequest', title: 'Open Request', arguments: [request.id] },
      });
    }
  }

  private matchingRequests(group: StatusGroup): readonly ReceivedRequest[] {
    const filter = this.filter;
    return filter === undefined ? group.requests : group.requests.filter((request) => filter.matches(request));
  }

  private updateViewText(): void {
    if (this.view === undefined) {
      return;
    }
    const state = this.deps.connection.state;
    this.view.description = state.kind === 'ready' ? state.client.hostLabel : undefined;
    this.view.badge = state.kind === 'ready' && state.settings.showPendingBadge ? pendingBadge(this.snapshot, state.client.hostLabel) : undefined;
    // The message is the one line VS Code always shows above the tree (the description hides when the view is
    // alone in its container), so which server, how fresh, and an active filter are said there.
    const lines: string[] = [];
    if (this.snapshot !== undefined && state.kind === 'ready') {
      const asOf = this.deps.formatDate(this.snapshot.loadedAt);
      lines.push(this.error === undefined ? `${state.client.hostLabel} · updated ${asOf}` : `Refresh failed; showing ${state.client.hostLabel} as of ${asOf}.`);
    }
    if (this.filter !== undefined) {
      lines.push(`Showing requests matching "${this.filter.text}".`);
    }
    this.view.message = lines.length === 0 ? undefined : lines.join(' ');
  }
}

/** The number of Pending requests on the activity-bar icon: what waits for an admin, seen without opening the view. */
function pendingBadge(snapshot: RequestSnapshot | undefined, host: string): vscode.ViewBadge | undefined {
  const pending = snapshot?.groups.find((group) => group.status === 'Pending');
  const count = pending === undefined ? 0 : pending.requests.length + pending.invalid.length;
  return count === 0 ? undefined : { value: count, tooltip: `${count} pending request${count === 1 ? '' : 's'} on ${host}` };
}

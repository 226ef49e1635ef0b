// "Group By..." and "Sort By..." in the view's title menu: they change mimcm.groupBy / mimcm.sortOrder, so the
// choice is kept and shows in Settings; the settings watcher regroups without asking the servers again.
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { SETTINGS_SECTION } from '../config';
import { GROUP_BY, SORT_ORDERS, type GroupBy, type SortOrder } from '../model/viewOrder';
import * as l10n from '@vscode/l10n';

const groupLabels = (): Record<GroupBy, string> => ({
  status: 'Status',
  type: l10n.t('Request type'),
  template: l10n.t('Profile template'),
  targetUser: l10n.t('Target user'),
  originator: l10n.t('Originator (who asked)'),
});

const sortLabels = (): Record<SortOrder, string> => ({
  newestFirst: l10n.t('Newest first'),
  oldestFirst: l10n.t('Oldest first'),
  priority: l10n.t('Priority (highest first, then newest)'),
});

export function registerViewOrder(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.groupBy, (value?: unknown) =>
      choose('groupBy', GROUP_BY, groupLabels(), value, l10n.t('Group Requests By')),
    ),
    vscode.commands.registerCommand(COMMANDS.sortBy, (value?: unknown) =>
      choose('sortOrder', SORT_ORDERS, sortLabels(), value, l10n.t('Sort Requests By')),
    ),
  );
}

async function choose<T extends string>(
  key: string,
  values: readonly T[],
  labels: Record<T, string>,
  given: unknown,
  title: string,
): Promise<T | undefined> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const current = config.get<string>(key);
  let value = values.find((candidate) => candidate === given);
  if (value === undefined) {
    const pick = await vscode.window.showQuickPick(
      values.map((candidate) => ({
        label: labels[candidate],
        description: candidate === current ? l10n.t('current') : undefined,
        value: candidate,
      })),
      { title, placeHolder: `mimcm.${key}` },
    );
    value = pick?.value;
  }
  if (value === undefined || value === current) {
    return value;
  }
  // Where the user keeps it: the workspace when it sets one, otherwise their user settings.
  const inspected = config.inspect(key);
  const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update(key, value, target);
  return value;
}

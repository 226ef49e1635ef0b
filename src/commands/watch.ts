// "Watch Request" and "Stop Watching": a watched request shows in a Watched group at the top of its server,
// is polled by id (see watch/watcher.ts), and each status change is announced with Open.
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import type { Servers } from '../servers/servers';
import type { StatusChange, Watcher } from '../watch/watcher';
import type { WatchList } from '../watch/watchList';
import { requestTargetOf } from './requestTarget';
import * as l10n from '@vscode/l10n';

export interface WatchDeps {
  readonly servers: Servers;
  readonly list: WatchList;
  readonly watcher: Watcher;
}

export function registerWatch(context: vscode.ExtensionContext, deps: WatchDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.watchRequest, async (arg?: unknown, serverId?: unknown) => {
      const target = await requestTargetOf(deps.servers, arg, serverId, l10n.t('Watch Request'));
      if (target === undefined) {
        return false;
      }
      await deps.list.add(target.session.id, target.requestId);
      // The first look is a user action: it may send credentials once more, and shows the row at once.
      await target.session.userAction();
      await deps.watcher.pollOne(target.session, target.requestId);
      return true;
    }),
    vscode.commands.registerCommand(COMMANDS.stopWatching, async (arg?: unknown, serverId?: unknown) => {
      const target = await requestTargetOf(deps.servers, arg, serverId, l10n.t('Stop Watching'));
      if (target === undefined) {
        return false;
      }
      await deps.list.remove(target.session.id, target.requestId);
      return true;
    }),
  );
}

/** Says a watched request changed status, with Open (and Stop Watching). */
export function announceChange(list: WatchList, { server, row, before }: StatusChange): void {
  const open = l10n.t('Open');
  void vscode.window
    .showInformationMessage(
      l10n.t`Request ${row.id.slice(0, 8)} (${row.label}) on ${server.name}: ${before} → ${row.status}`,
      open,
      l10n.t('Stop Watching'),
    )
    .then((choice) => {
      if (choice === open) {
        return vscode.commands.executeCommand(COMMANDS.openRequest, row.id, server.id);
      }
      return choice === l10n.t('Stop Watching') ? list.remove(server.id, row.id) : undefined;
    });
}

import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import type { DashboardPanels } from '../dashboard/dashboardPanels';
import type { Servers } from '../servers/servers';
import { pickServer, serverIdOf } from './pickServer';
import * as l10n from '@vscode/l10n';

/** `mimcm.openDashboard [server]`: the server of the node it is run from, the only one, or the user's pick. */
export function registerDashboard(context: vscode.ExtensionContext, deps: { servers: Servers; panels: DashboardPanels }): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.openDashboard, async (arg?: unknown) => {
      const session = await pickServer(deps.servers, serverIdOf(arg), l10n.t('Open Dashboard'));
      if (session !== undefined) {
        deps.panels.show(session);
      }
    }),
  );
}

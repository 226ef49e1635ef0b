import * as vscode from 'vscode';
import type { ServerSession } from '../servers/serverSession';
import type { Servers } from '../servers/servers';
import { askToConfigureHost } from './openSettings';
import * as l10n from '@vscode/l10n';

/**
 * The server a command acts on: the one of the node it was run from, the only one, or the user's pick. Says
 * how to configure one when there is none; undefined when the user gives up.
 */
export async function pickServer(servers: Servers, serverId: unknown, purpose: string): Promise<ServerSession | undefined> {
  const given = typeof serverId === 'string' ? servers.find(serverId) : undefined;
  if (given !== undefined) {
    return given;
  }
  const all = servers.all;
  if (all.length === 0) {
    await askToConfigureHost();
    return undefined;
  }
  if (all.length === 1) {
    return all[0];
  }
  const pick = await vscode.window.showQuickPick(
    all.map((session) => ({ label: session.name, description: session.hostLabel, session })),
    { title: purpose, placeHolder: l10n.t('Which CM server?'), ignoreFocusOut: true },
  );
  return pick?.session;
}

/** The server id a tree node (or a command argument) names. */
export function serverIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') {
    return arg;
  }
  const id = typeof arg === 'object' && arg !== null ? (arg as { serverId?: unknown }).serverId : undefined;
  return typeof id === 'string' ? id : undefined;
}

// "Cancel Request..." and "Abandon Request...": the only writes the extension makes (PUT requests/{id}). Off
// unless mimcm.enableRequestActions is on (a setting untrusted workspaces cannot set), offered only for the
// statuses the API allows, and only after a modal that names the request, its server and its status.
import * as vscode from 'vscode';
import { REQUEST_STATUSES, requestStatusName, type RequestStatusName } from '../cm/codes';
import { CmError } from '../cm/errors';
import type { SettableStatus } from '../cm/routes';
import { COMMANDS } from '../commandIds';
import { SETTINGS_SECTION } from '../config';
import type { RequestDocumentProvider } from '../documents/requestDocumentProvider';
import { requestUri } from '../documents/requestUri';
import { recoveryCommands } from '../recoveryActions';
import type { Servers } from '../servers/servers';
import { requestTargetOf, uriServerId } from './requestTarget';
import * as l10n from '@vscode/l10n';

export interface RequestActionsDeps {
  readonly servers: Servers;
  readonly documents: RequestDocumentProvider;
}

/** Which statuses each action applies to (cancel ends an open request; abandon one that is under way). */
export const ACTION_STATUSES: Readonly<Record<SettableStatus, readonly RequestStatusName[]>> = {
  Canceled: ['Pending', 'Approved'],
  Abandoned: ['Approved', 'Executing'],
};

const actionWords = (): Readonly<
  Record<SettableStatus, { button: string; result: string; notAllowed: (id: string, current: string) => string }>
> => ({
  Canceled: {
    button: l10n.t('Cancel Request'),
    result: 'Canceled',
    notAllowed: (id, current) => l10n.t`Request ${id} is ${current}: only Pending or Approved requests can be canceled.`,
  },
  Abandoned: {
    button: l10n.t('Abandon Request'),
    result: l10n.t('Failed (abandoned)'),
    notAllowed: (id, current) => l10n.t`Request ${id} is ${current}: only Approved or Executing requests can be abandoned.`,
  },
});

export function registerRequestActions(context: vscode.ExtensionContext, deps: RequestActionsDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.cancelRequest, (arg?: unknown, serverId?: unknown) => act(deps, 'Canceled', arg, serverId)),
    vscode.commands.registerCommand(COMMANDS.abandonRequest, (arg?: unknown, serverId?: unknown) => act(deps, 'Abandoned', arg, serverId)),
  );
}

async function act(deps: RequestActionsDeps, status: SettableStatus, arg: unknown, serverIdArg: unknown): Promise<boolean> {
  const { button, result, notAllowed } = actionWords()[status];
  if (vscode.workspace.getConfiguration(SETTINGS_SECTION).get('enableRequestActions') !== true) {
    void vscode.window
      .showInformationMessage(
        l10n.t`${button} is off. Turn on mimcm.enableRequestActions to cancel or abandon requests.`,
        l10n.t('Open Settings'),
      )
      .then((choice) =>
        choice === undefined ? undefined : vscode.commands.executeCommand('workbench.action.openSettings', 'mimcm.enableRequestActions'),
      );
    return false;
  }
  const target = await requestTargetOf(deps.servers, arg, serverIdArg, button);
  if (target === undefined) {
    return false;
  }
  const { requestId, session } = target;
  try {
    await session.userAction();
    // The status the confirmation names is the server's word now, not what the tree last loaded.
    const json = await session.fetchRequest(requestId);
    const current = json === undefined ? undefined : statusIn(json);
    if (json === undefined || current === undefined) {
      void vscode.window.showWarningMessage(l10n.t`${session.hostLabel} has no request ${requestId}.`);
      return false;
    }
    if (!ACTION_STATUSES[status].includes(current)) {
      void vscode.window.showWarningMessage(notAllowed(requestId.slice(0, 8), current));
      return false;
    }
    const choice = await vscode.window.showWarningMessage(
      l10n.t`${button}: ${requestId} on ${session.name}?`,
      {
        modal: true,
        detail: l10n.t`It is ${current} on ${session.hostLabel}. It will become ${result}. This cannot be undone: a new request would have to be made.`,
      },
      button,
    );
    if (choice !== button) {
      return false;
    }
    const updated = await session.setStatus(requestId, status);
    const uri = requestUri(requestId, uriServerId(deps.servers, session));
    if (updated !== undefined && vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString())) {
      deps.documents.handOver(uri, updated);
    }
    void session.refresh();
    void vscode.window.showInformationMessage(
      l10n.t`Request ${requestId.slice(0, 8)} on ${session.name} is now ${statusIn(updated ?? '') ?? result}.`,
    );
    return true;
  } catch (error) {
    const failure = CmError.from(error);
    const action = recoveryCommands()[failure.action];
    void vscode.window
      .showErrorMessage(`${failure.message} ${failure.hint}`, action.title)
      .then((picked) => (picked === undefined ? undefined : vscode.commands.executeCommand(action.command, session.id)));
    return false;
  }
}

function statusIn(json: string): RequestStatusName | undefined {
  try {
    const name = requestStatusName((JSON.parse(json) as { Status?: number | string }).Status);
    return REQUEST_STATUSES.find((candidate) => candidate === name);
  } catch {
    return undefined;
  }
}

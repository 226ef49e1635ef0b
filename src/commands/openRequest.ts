import * as vscode from 'vscode';
import { CmError, isCanceled, type RecoveryAction } from '../cm/errors';
import { parseRequestGuid } from '../cm/guid';
import type { CmLogger } from '../cm/logger';
import { COMMANDS } from '../commandIds';
import type { RequestDocumentProvider } from '../documents/requestDocumentProvider';
import { requestUri } from '../documents/requestUri';
import { recoveryCommands } from '../recoveryActions';
import type { ServerSession } from '../servers/serverSession';
import type { Servers } from '../servers/servers';
import { askToConfigureHost } from './openSettings';
import * as l10n from '@vscode/l10n';

export interface OpenRequestDeps {
  readonly servers: Servers;
  readonly documents: RequestDocumentProvider;
  readonly log: CmLogger;
}

/**
 * `mimcm.openRequest [guid] [server]`: fetches the request fresh and shows its JSON read-only. Without a GUID it
 * asks for one (pre-filled from the clipboard when that holds one); with several servers and none named, it asks
 * which, or looks on all of them. Resolves to the editor, or undefined when nothing was opened.
 */
export function registerOpenRequest(context: vscode.ExtensionContext, deps: OpenRequestDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.openRequest, (arg?: unknown, serverId?: unknown) => openRequest(deps, arg, serverId)),
  );
}

const ALL_SERVERS = 'all';

async function openRequest(deps: OpenRequestDeps, arg: unknown, serverIdArg: unknown): Promise<vscode.TextEditor | undefined> {
  const requestId = await requestIdFrom(arg);
  if (requestId === undefined) {
    return undefined;
  }
  const serverId = typeof serverIdArg === 'string' ? serverIdArg : hasServerId(arg) ? arg.serverId : undefined;
  const sessions = await serversToSearch(deps.servers, serverId);
  if (sessions === undefined) {
    return undefined;
  }
  for (const session of sessions) {
    const invalid = session.info?.kind === 'invalid' ? session.info.error : undefined;
    const failure = invalid === undefined ? undefined : new CmError(invalid);
    if (failure !== undefined) {
      if (sessions.length === 1) {
        void showFailure(failure, requestId, session.id);
      }
      continue;
    }
    try {
      await session.userAction();
      const json = await withCancellableProgress(l10n.t`Fetching request ${requestId} from ${session.hostLabel}...`, () =>
        session.fetchRequest(requestId),
      );
      if (json === undefined) {
        continue;
      }
      // The first server keeps the plain URI, so tabs opened before several servers existed still match.
      const uri = requestUri(requestId, session === deps.servers.all[0] ? undefined : session.id);
      deps.documents.handOver(uri, json);
      const document = await vscode.workspace.openTextDocument(uri);
      return await vscode.window.showTextDocument(document, { preview: true });
    } catch (error) {
      if (isCanceled(error)) {
        return undefined;
      }
      const failure = CmError.from(error);
      deps.log.error(`Opening request ${requestId} from ${session.name} failed: ${failure.describe()}`);
      void showFailure(failure, requestId, session.id);
      return undefined;
    }
  }
  const where = sessions.length === 1 ? (sessions[0]?.hostLabel ?? l10n.t('the server')) : l10n.t`any of ${sessions.length} servers`;
  void vscode.window.showWarningMessage(l10n.t`No request ${requestId} on ${where}.`);
  return undefined;
}

/** The servers to look on: the one named, the only one, or the user's pick (which may be all of them). */
async function serversToSearch(servers: Servers, serverId: string | undefined): Promise<readonly ServerSession[] | undefined> {
  const named = serverId === undefined ? undefined : servers.find(serverId);
  if (named !== undefined) {
    return [named];
  }
  if (servers.all.length === 0) {
    await askToConfigureHost();
    return undefined;
  }
  if (servers.all.length === 1) {
    return servers.all;
  }
  const pick = await vscode.window.showQuickPick(
    [
      { label: l10n.t('All servers'), description: l10n.t('look on each in turn'), id: ALL_SERVERS },
      ...servers.all.map((session) => ({ label: session.name, description: session.hostLabel, id: session.id })),
    ],
    { title: l10n.t('Open CM Request: which server?'), ignoreFocusOut: true },
  );
  if (pick === undefined) {
    return undefined;
  }
  return pick.id === ALL_SERVERS ? servers.all : servers.all.filter((session) => session.id === pick.id);
}

/** How long a fetch runs before a cancellable notification appears; quick answers only show in the status bar. */
const NOTIFY_AFTER_MS = 1000;

/** The task, until it ends or the user cancels (then rejects with a canceled error at once). */
async function withCancellableProgress<T>(title: string, task: () => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const canceled = new Promise<never>((_resolve, reject) => {
    controller.signal.addEventListener('abort', () =>
      reject(new CmError({ kind: 'canceled', message: l10n.t('The request was canceled.'), hint: '', action: 'retry' })),
    );
  });
  canceled.catch(() => undefined);
  const work = Promise.race([task(), canceled]);
  const settled = work.then(
    () => undefined,
    () => undefined,
  );
  const timer = setTimeout(() => {
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      return settled;
    });
  }, NOTIFY_AFTER_MS);
  void settled.then(() => clearTimeout(timer));
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, () => work);
}

/** The error with its way out (Sign In, Open Settings, …) as a button; "Retry" here means this request again. */
async function showFailure(error: CmError, requestId: string, serverId: string): Promise<void> {
  const buttons = [...new Set<RecoveryAction>([error.action, 'retry', 'showLog'])];
  const choice = await vscode.window.showErrorMessage(error.describe(), ...buttons.map((action) => recoveryCommands()[action].title));
  const chosen = buttons.find((action) => recoveryCommands()[action].title === choice);
  if (chosen === 'retry') {
    await vscode.commands.executeCommand(COMMANDS.openRequest, requestId, serverId);
  } else if (chosen !== undefined) {
    await vscode.commands.executeCommand(recoveryCommands()[chosen].command, serverId);
  }
}

async function requestIdFrom(arg: unknown): Promise<string | undefined> {
  const given = typeof arg === 'string' ? arg : hasRequestId(arg) ? arg.requestId : undefined;
  if (given !== undefined) {
    const parsed = parseRequestGuid(given);
    if (!parsed.ok) {
      void vscode.window.showErrorMessage(parsed.message);
      return undefined;
    }
    return parsed.guid;
  }
  return askForRequestId();
}

async function askForRequestId(): Promise<string | undefined> {
  const clipboard = await readClipboard();
  const fromClipboard = clipboard.length < 100 ? parseRequestGuid(clipboard) : undefined;
  const answer = await vscode.window.showInputBox({
    title: l10n.t('Open CM Request by GUID'),
    prompt: l10n.t('Paste a request GUID; braces, quotes, upper case and spaces are fine.'),
    placeHolder: 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099',
    value: fromClipboard?.ok ? fromClipboard.guid : undefined,
    ignoreFocusOut: true,
    validateInput: (value) => {
      const parsed = parseRequestGuid(value);
      return parsed.ok ? undefined : { message: parsed.message, severity: vscode.InputBoxValidationSeverity.Error };
    },
  });
  if (answer === undefined) {
    return undefined;
  }
  const parsed = parseRequestGuid(answer);
  return parsed.ok ? parsed.guid : undefined;
}

/**
 * The clipboard only pre-fills the box. In a browser (code-server, vscode.dev) reading it raises a permission
 * prompt or an error notification, which is worse than an empty box, so it is not read there.
 */
async function readClipboard(): Promise<string> {
  if (vscode.env.uiKind === vscode.UIKind.Web) {
    return '';
  }
  return vscode.env.clipboard.readText().then(
    (text) => text,
    () => '',
  );
}

function hasServerId(value: unknown): value is { serverId: string } {
  return typeof value === 'object' && value !== null && typeof (value as { serverId?: unknown }).serverId === 'string';
}

function hasRequestId(value: unknown): value is { requestId: string } {
  return typeof value === 'object' && value !== null && typeof (value as { requestId?: unknown }).requestId === 'string';
}

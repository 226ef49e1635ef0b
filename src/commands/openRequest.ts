import * as vscode from 'vscode';
import { CmError, isCanceled, type RecoveryAction } from '../cm/errors';
import { parseRequestGuid } from '../cm/guid';
import type { CmLogger } from '../cm/logger';
import type { CmConnection } from '../connection';
import type { RequestDocumentProvider } from '../documents/requestDocumentProvider';
import { requestUri } from '../documents/requestUri';
import { askToConfigureHost } from './openSettings';
import { RECOVERY_COMMANDS } from '../recoveryActions';

export interface OpenRequestDeps {
  readonly connection: CmConnection;
  readonly documents: RequestDocumentProvider;
  readonly log: CmLogger;
}

/**
 * `mimcm.openRequest [guid]`: fetches the request fresh and shows its JSON read-only. Without an argument it
 * asks for a GUID (pre-filled from the clipboard when that holds one). Resolves to the editor, or undefined
 * when nothing was opened.
 */
export function registerOpenRequest(context: vscode.ExtensionContext, deps: OpenRequestDeps): void {
  context.subscriptions.push(vscode.commands.registerCommand('mimcm.openRequest', (arg?: unknown) => openRequest(deps, arg)));
}

async function openRequest(deps: OpenRequestDeps, arg: unknown): Promise<vscode.TextEditor | undefined> {
  const requestId = await requestIdFrom(arg);
  if (requestId === undefined) {
    return undefined;
  }
  const state = deps.connection.state;
  if (state.kind === 'unset') {
    await askToConfigureHost();
    return undefined;
  }
  if (state.kind === 'invalid') {
    void showFailure(state.error, requestId);
    return undefined;
  }
  const { client } = state;
  deps.connection.userAction();
  try {
    const received = await withCancellableProgress(`Fetching request ${requestId} from ${client.hostLabel}...`, (signal) => client.getRequest(requestId, signal));
    if (received === undefined) {
      void vscode.window.showWarningMessage(`No request ${requestId} on ${client.hostLabel}.`);
      return undefined;
    }
    const uri = requestUri(received.id);
    deps.documents.handOver(uri, received);
    const document = await vscode.workspace.openTextDocument(uri);
    return await vscode.window.showTextDocument(document, { preview: true });
  } catch (error) {
    if (isCanceled(error)) {
      return undefined;
    }
    const failure = CmError.from(error);
    deps.log.error(`Opening request ${requestId} failed: ${failure.describe()}`);
    void showFailure(failure, requestId);
    return undefined;
  }
}

/** How long a fetch runs before a cancellable notification appears; quick answers only show in the status bar. */
const NOTIFY_AFTER_MS = 1000;

async function withCancellableProgress<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const work = task(controller.signal);
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
async function showFailure(error: CmError, requestId: string): Promise<void> {
  const buttons = [...new Set<RecoveryAction>([error.action, 'retry', 'showLog'])];
  const choice = await vscode.window.showErrorMessage(error.describe(), ...buttons.map((action) => RECOVERY_COMMANDS[action].title));
  const chosen = buttons.find((action) => RECOVERY_COMMANDS[action].title === choice);
  if (chosen === 'retry') {
    await vscode.commands.executeCommand('mimcm.openRequest', requestId);
  } else if (chosen !== undefined) {
    await vscode.commands.executeCommand(RECOVERY_COMMANDS[chosen].command);
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
    title: 'Open CM Request by GUID',
    prompt: 'Paste a request GUID; braces, upper case and spaces are fine.',
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

function hasRequestId(value: unknown): value is { requestId: string } {
  return typeof value === 'object' && value !== null && typeof (value as { requestId?: unknown }).requestId === 'string';
}

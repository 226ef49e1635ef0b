// "MIM CM: Show Requests for User...": the person an admin names (display name, DOMAIN\account or UPN) is found in
// each server's directory, and the view shows the requests where they are the target user or the originator.
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { fullName } from '../directory/directoryEntry';
import { personFilterText } from '../model/filterFields';
import type { Servers } from '../servers/servers';
import type { RequestsTreeProvider } from '../tree/requestsTreeProvider';
import { CmError } from '../cm/errors';
import * as l10n from '@vscode/l10n';

export interface ShowRequestsForUserDeps {
  readonly servers: Servers;
  readonly tree: RequestsTreeProvider;
}

interface PersonPick extends vscode.QuickPickItem {
  readonly guid: string;
}

export function registerShowRequestsForUser(context: vscode.ExtensionContext, deps: ShowRequestsForUserDeps): void {
  context.subscriptions.push(
    // A text argument skips the input box, for keybindings and tests.
    vscode.commands.registerCommand(COMMANDS.showRequestsForUser, async (text?: unknown) => {
      const typed =
        typeof text === 'string'
          ? text
          : await vscode.window.showInputBox({
              title: l10n.t('Show Requests for User'),
              placeHolder: l10n.t('Alice Smith, CONTOSO\\alice or alice@contoso.com'),
              prompt: l10n.t('Finds the person in the directory and shows the requests they are the target user or the originator of.'),
            });
      if (typed === undefined || typed.trim() === '') {
        return undefined;
      }
      const picked = await findPerson(deps.servers, typed.trim());
      if (picked !== undefined) {
        await deps.tree.setFilter(personFilterText(picked));
      }
      return picked;
    }),
  );
}

/** The GUID of the person meant: the only match, or the user's pick among several; undefined when none. */
async function findPerson(servers: Servers, text: string): Promise<string | undefined> {
  const withDirectory = servers.all.filter((session) => session.directory.state !== 'off');
  if (withDirectory.length === 0) {
    void vscode.window.showInformationMessage(
      l10n.t('Finding a person needs their directory: set mimcm.directory.url to your domain controller (ldaps://dc01.contoso.com).'),
    );
    return undefined;
  }
  const answers = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: l10n.t`Looking for "${text}" in the directory…` },
    () => Promise.allSettled(withDirectory.map((session) => session.findPeople(text))),
  );
  const found = new Map<string, PersonPick>();
  for (const answer of answers) {
    for (const { guid, entry } of answer.status === 'fulfilled' ? answer.value : []) {
      found.set(guid, {
        guid,
        label: entry.name ?? entry.account ?? guid,
        description: entry.account,
        detail: `${entry.upn ?? fullName(entry) ?? ''} · ${guid}`,
      });
    }
  }
  if (found.size === 0) {
    const failure = answers.find((answer): answer is PromiseRejectedResult => answer.status === 'rejected');
    void vscode.window.showInformationMessage(
      failure === undefined
        ? l10n.t`No one in the directory matches "${text}".`
        : l10n.t`The directory could not be asked: ${CmError.from(failure.reason).message}`,
    );
    return undefined;
  }
  if (found.size === 1) {
    return [...found.values()][0]?.guid;
  }
  const pick = await vscode.window.showQuickPick([...found.values()], {
    title: l10n.t`Several people match "${text}"`,
    placeHolder: l10n.t('Whose requests?'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return pick?.guid;
}

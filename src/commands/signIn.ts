import * as vscode from 'vscode';
import { jwtExpiry, tokenProblem, userNameProblem, type AuthMethod } from '../cm/auth';
import type { CredentialStore } from '../auth/credentialStore';
import { isOffered, methodOrder, type ChoosableMethod } from '../auth/methodChoice';
import { COMMANDS } from '../commandIds';
import { SETTINGS_SECTION } from '../config';
import type { Servers } from '../servers/servers';
import { pickServer, serverIdOf } from './pickServer';
import { signInWithAdfs } from '../auth/adfsFlow';
import { adfsSettingsProblem } from '../cm/adfsSettings';
import { CmError } from '../cm/errors';
import type { ServerSession } from '../servers/serverSession';
import * as l10n from '@vscode/l10n';

export interface SignInDeps {
  readonly servers: Servers;
  readonly credentials: CredentialStore;
  /**
   * Rebuilds the connection from settings and secrets, then refreshes the view. Storing or deleting a secret
   * triggers it through SecretStorage's change event, so commands call it only when nothing is stored.
   */
  readonly reconnect: () => Promise<void>;
}

interface MethodPick extends vscode.QuickPickItem {
  readonly method: ChoosableMethod;
}

const allMethodPicks = (): MethodPick[] => [
  {
    method: 'negotiate',
    label: l10n.t('Windows Integrated Authentication (Negotiate)'),
    detail: l10n.t('Kerberos with your Windows sign-in or kinit ticket; nothing is typed or stored.'),
  },
  {
    method: 'ntlm',
    label: l10n.t('Windows user name and password (NTLM)'),
    detail: l10n.t('Windows Integrated Authentication without Kerberos, e.g. from a machine outside the domain.'),
  },
  { method: 'basic', label: l10n.t('User name and password (Basic)'), detail: l10n.t('For sites with Basic authentication over https.') },
  {
    method: 'adfs',
    label: l10n.t('ADFS sign-in in your browser'),
    detail: l10n.t('OAuth with PKCE against your ADFS (mimcm.adfs.*); tokens are renewed before they lapse.'),
  },
  { method: 'bearer', label: l10n.t('Access token (Bearer)'), detail: l10n.t("An ADFS access token you paste; a JWT's expiry is shown.") },
];

/** The methods, those the server offered first and marked so (the first one selected). */
function methodPicks(offered: readonly string[], adfsConfigured: boolean): MethodPick[] {
  const picks = allMethodPicks();
  return methodOrder(offered, adfsConfigured).flatMap((method) =>
    picks
      .filter((pick) => pick.method === method)
      .map((pick) => (isOffered(method, offered) ? { ...pick, description: l10n.t('offered by the server') } : pick)),
  );
}

/** `mimcm.signIn`: asks for what the configured method needs and keeps it in SecretStorage only. */
export function registerSignIn(context: vscode.ExtensionContext, deps: SignInDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.signIn, (arg?: unknown) => signIn(deps, serverIdOf(arg))),
    vscode.commands.registerCommand(COMMANDS.signOut, (arg?: unknown) => signOut(deps, serverIdOf(arg))),
    vscode.commands.registerCommand(COMMANDS.signInToProxy, (arg?: unknown) => signInToProxy(deps, serverIdOf(arg))),
    vscode.commands.registerCommand(COMMANDS.enterClientCertificatePassphrase, (arg?: unknown) => enterPassphrase(deps, serverIdOf(arg))),
  );
}

async function signIn(deps: SignInDeps, serverId: string | undefined): Promise<void> {
  const session = await pickServer(deps.servers, serverId, l10n.t('Sign in to which CM server?'));
  const origin = session?.info?.origin;
  if (session === undefined || origin === undefined) {
    if (session !== undefined) {
      void vscode.window.showErrorMessage(
        l10n.t`${session.name}: the host setting is not usable yet; fix it first. ${session.error?.message ?? ''}`,
      );
    }
    return;
  }
  const configured = session.config.connection.authentication;
  let method: AuthMethod = configured;
  if (configured === 'none' || configured === 'auto') {
    const pick = await vscode.window.showQuickPick(
      methodPicks(session.error?.offeredSchemes ?? [], adfsSettingsProblem(session.config.connection.adfs) === undefined),
      {
        title: l10n.t`How does ${new URL(origin).host} authenticate?`,
        ignoreFocusOut: true,
      },
    );
    if (pick === undefined) {
      return;
    }
    method = pick.method;
    // `auto` uses whatever sign-in is kept, so only `none` needs the setting changed to send one.
    if (configured === 'none') {
      await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('authentication', method, vscode.ConfigurationTarget.Global);
    }
  }
  const host = new URL(origin).host;
  if (method === 'basic' || method === 'ntlm') {
    const previous = await deps.credentials.get(origin);
    const answer = await askUserAndPassword(
      l10n.t`Sign in to ${host}`,
      l10n.t('User name, e.g. CONTOSO\\jdoe or jdoe@contoso.com'),
      previous !== undefined && 'username' in previous ? previous.username : undefined,
      method,
    );
    if (answer !== undefined) {
      await deps.credentials.store(origin, { method, ...answer });
    }
  } else if (method === 'adfs') {
    await signInInBrowser(session, origin, deps);
  } else if (method === 'bearer') {
    const token = await vscode.window.showInputBox({
      title: l10n.t`Sign in to ${host}`,
      prompt: l10n.t('Paste an access token for the CM service (e.g. from ADFS)'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => {
        const problem = tokenProblem(value);
        if (problem !== undefined) {
          return problem;
        }
        const expiry = jwtExpiry(value);
        return expiry !== undefined && expiry.getTime() <= Date.now()
          ? l10n.t`This token expired at ${expiry.toLocaleString()}.`
          : undefined;
      },
    });
    if (token === undefined || tokenProblem(token) !== undefined) {
      return;
    }
    await deps.credentials.store(origin, { method: 'bearer', token: token.trim() });
    const expiry = jwtExpiry(token);
    if (expiry !== undefined) {
      void vscode.window.showInformationMessage(l10n.t`Signed in to ${host}; the token expires at ${expiry.toLocaleString()}.`);
    }
  } else {
    void vscode.window.showInformationMessage(
      l10n.t`Negotiate signs in to ${host} with your Windows or Kerberos (kinit) ticket; there is nothing to store.`,
    );
    // Nothing stored means no secret-change event: connect again now, e.g. after a fresh kinit.
    await deps.reconnect();
  }
}

/** ADFS: the user signs in in the browser; the tokens land in secret storage, which reconnects the server. */
async function signInInBrowser(session: ServerSession, origin: string, deps: SignInDeps): Promise<void> {
  const adfs = session.config.connection.adfs;
  const host = new URL(origin).host;
  const problem = adfsSettingsProblem(adfs);
  if (problem !== undefined) {
    const choice = await vscode.window.showErrorMessage(`${session.name}: ${problem}`, l10n.t('Open Settings'));
    if (choice !== undefined) {
      await vscode.commands.executeCommand('workbench.action.openSettings', `${SETTINGS_SECTION}.adfs`);
    }
    return;
  }
  const calls = await session.adfsCalls();
  try {
    const credential = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: l10n.t`Signing in to ${host} with ADFS in your browser…`,
        cancellable: true,
      },
      (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return signInWithAdfs({
          adfs,
          origin,
          ...calls,
          signal: abort.signal,
          externalAddress: async (local) => (await vscode.env.asExternalUri(vscode.Uri.parse(local))).toString(true),
          openBrowser: (url) => Promise.resolve(vscode.env.openExternal(vscode.Uri.parse(url, true))),
        });
      },
    );
    await deps.credentials.store(origin, credential);
    void vscode.window.showInformationMessage(
      l10n.t`Signed in to ${host}${credential.user === undefined ? '' : l10n.t` as ${credential.user}`}.`,
    );
  } catch (error) {
    const failure = CmError.from(error);
    if (failure.kind !== 'canceled') {
      void vscode.window.showErrorMessage(`${failure.message} ${failure.hint}`);
    }
  }
}

async function signInToProxy(deps: SignInDeps, serverId: string | undefined): Promise<void> {
  const session = await pickServer(deps.servers, serverId, l10n.t('Sign in to the proxy of which CM server?'));
  if (session === undefined) {
    return;
  }
  const proxyUrl = session.info?.proxyUrl;
  if (proxyUrl === undefined) {
    void vscode.window.showInformationMessage(
      l10n.t('MIM CM connects to its host directly; no proxy is configured (http.proxy or HTTPS_PROXY).'),
    );
    return;
  }
  const previous = await deps.credentials.getProxy(proxyUrl);
  const answer = await askUserAndPassword(l10n.t`Sign in to proxy ${proxyUrl}`, l10n.t('Proxy user name'), previous?.username, 'basic');
  if (answer !== undefined) {
    await deps.credentials.storeProxy(proxyUrl, answer);
  }
}

/** Two steps, "(1/2)" and "(2/2)"; undefined when the user gives up at either. The password box masks input. */
async function askUserAndPassword(
  title: string,
  userPrompt: string,
  previousUser: string | undefined,
  method: 'basic' | 'ntlm',
): Promise<{ username: string; password: string } | undefined> {
  const username = await vscode.window.showInputBox({
    title: `${title} (1/2)`,
    prompt: userPrompt,
    value: previousUser,
    ignoreFocusOut: true,
    validateInput: (value) => userNameProblem(value, method),
  });
  if (username === undefined || userNameProblem(username, method) !== undefined) {
    return undefined;
  }
  const password = await vscode.window.showInputBox({
    title: `${title} (2/2)`,
    prompt: l10n.t`Password for ${username.trim()}`,
    password: true,
    ignoreFocusOut: true,
  });
  return password === undefined ? undefined : { username: username.trim(), password };
}

async function enterPassphrase(deps: SignInDeps, serverId: string | undefined): Promise<void> {
  const session = await pickServer(deps.servers, serverId, l10n.t('Client certificate of which CM server?'));
  if (session === undefined) {
    return;
  }
  const file = session.config.connection.clientCertificate;
  if (file === '') {
    void vscode.window.showInformationMessage(l10n.t('No client certificate is configured (mimcm.tls.clientCertificate).'));
    return;
  }
  const passphrase = await vscode.window.showInputBox({
    title: l10n.t('Client certificate passphrase'),
    prompt: l10n.t`Passphrase for ${file}`,
    password: true,
    ignoreFocusOut: true,
  });
  if (passphrase === undefined) {
    return;
  }
  await deps.credentials.storePassphrase(file, passphrase);
}

async function signOut(deps: SignInDeps, serverId: string | undefined): Promise<void> {
  const session = await pickServer(deps.servers, serverId, l10n.t('Sign out of which CM server?'));
  const origin = session?.info?.origin;
  if (session === undefined || origin === undefined) {
    return;
  }
  const host = new URL(origin).host;
  const proxyUrl = session.info?.proxyUrl;
  const stored = await deps.credentials.get(origin);
  const storedProxy = proxyUrl === undefined ? undefined : await deps.credentials.getProxy(proxyUrl);
  if (stored === undefined && storedProxy === undefined) {
    const method = session.config.connection.authentication;
    void vscode.window.showInformationMessage(
      method === 'none' || method === 'negotiate' || method === 'auto'
        ? l10n.t`MIM CM keeps no sign-in for ${host} (mimcm.authentication is ${method}): there is nothing to sign out of.`
        : l10n.t`You are not signed in to ${host}.`,
    );
    return;
  }
  await deps.credentials.delete(origin);
  if (proxyUrl !== undefined) {
    await deps.credentials.deleteProxy(proxyUrl);
  }
  void vscode.window.showInformationMessage(l10n.t`Signed out of ${host}.`);
}

// The end of an ADFS sign-in in the browser: a listener on this machine's loopback interface that takes the one
// redirect carrying the authorization code (RFC 8252 §7.3), answers the browser with a short page, and closes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CmError } from '../cm/errors';
import { cleanServerText } from '../cm/serverText';
import * as l10n from '@vscode/l10n';

export const REDIRECT_PATH = '/callback';

export interface LoopbackRedirect {
  /** http://127.0.0.1:<port>/callback, as registered (any port) with the ADFS native application. */
  readonly uri: string;
  /** The authorization code, once the browser comes back with the expected state. */
  readonly code: Promise<string>;
  dispose(): void;
}

export interface RedirectOptions {
  /** The `state` sent with the authorization request; a redirect without it is not ours. */
  readonly state: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** 0: any free port. */
  readonly port?: number;
}

/** Starts listening on 127.0.0.1 (at `port`, or a free one); `code` settles once, and the listener then closes. */
export async function listenForRedirect({ state, timeoutMs, signal, port: wanted = 0 }: RedirectOptions): Promise<LoopbackRedirect> {
  // Loaded on first sign-in only: requiring node:http at activation costs several milliseconds.
  const { createServer } = await import('node:http');
  let settle: { resolve(code: string): void; reject(error: CmError): void } | undefined;
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  let done = false;
  const server = createServer((req, res) => {
    const outcome = readRedirect(req, state);
    if (outcome === undefined) {
      answer(res, 404, l10n.t('Not found'), l10n.t('This address only takes the MIM CM sign-in redirect.'));
      return;
    }
    if (done) {
      answer(res, 410, l10n.t('Already used'), l10n.t('This sign-in is finished. Start it again from VS Code if you need to.'));
      return;
    }
    if ('code' in outcome) {
      answer(res, 200, l10n.t('Signed in'), l10n.t('You are signed in to MIM CM. You can close this tab and return to VS Code.'));
      finish(() => settle?.resolve(outcome.code));
    } else {
      answer(res, 400, l10n.t('Sign-in failed'), l10n.t`${outcome.error.message} Return to VS Code to try again.`);
      finish(() => settle?.reject(outcome.error));
    }
  });
  const timer = setTimeout(
    () =>
      finish(() =>
        settle?.reject(
          new CmError({
            kind: 'auth',
            message: l10n.t`No sign-in came back from the browser within ${Math.round(timeoutMs / 60_000)} minutes.`,
            hint: l10n.t('Run "MIM CM: Sign In" again and finish signing in to ADFS in the browser that opens.'),
            action: 'signIn',
          }),
        ),
      ),
    timeoutMs,
  );
  const onAbort = (): void =>
    finish(() =>
      settle?.reject(new CmError({ kind: 'canceled', message: l10n.t('The sign-in was canceled.'), hint: '', action: 'signIn' })),
    );
  signal?.addEventListener('abort', onAbort, { once: true });
  function finish(then: () => void): void {
    if (done) {
      return;
    }
    done = true;
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    // The browser's answer is on its way; close once it is sent, and drop idle keep-alive sockets.
    setImmediate(() => {
      server.close();
      server.closeIdleConnections();
    });
    then();
  }
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(wanted, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    finish(() => undefined);
    throw new CmError({
      kind: 'config',
      message: l10n.t`The sign-in cannot listen on 127.0.0.1:${wanted} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
      hint: l10n.t('Another program uses that port: set mimcm.adfs.redirectPort to a free one (and register it in ADFS), or to 0.'),
      action: 'openSettings',
      cause: error,
    });
  }
  const { port } = server.address() as AddressInfo;
  if (signal?.aborted) {
    onAbort();
  }
  return {
    uri: `http://127.0.0.1:${port}${REDIRECT_PATH}`,
    code,
    dispose: () => onAbort(),
  };
}

/** What a request to the listener says: a code, an error from ADFS, or undefined when it is not the redirect. */
function readRedirect(req: IncomingMessage, state: string): { code: string } | { error: CmError } | undefined {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  // Any path: a forwarding proxy (a remote or web window's asExternalUri) may not keep it. The state decides.
  if (req.method !== 'GET') {
    return undefined;
  }
  const params = url.searchParams;
  if (params.get('state') !== state) {
    // Anything else on this machine could call the port; only the answer to our own request counts.
    return undefined;
  }
  const error = params.get('error');
  const code = params.get('code');
  if (error === null && code !== null && code !== '') {
    return { code };
  }
  const description = params.get('error_description');
  return {
    error: new CmError({
      kind: 'auth',
      message: l10n.t`ADFS did not sign you in (${cleanServerText(error ?? l10n.t('no code'), 60)}${description ? `: ${cleanServerText(description, 200)}` : ''}).`,
      hint: l10n.t('Check mimcm.adfs.clientId and mimcm.adfs.resource against the application registered in ADFS, then sign in again.'),
      action: 'signIn',
    }),
  };
}

function answer(res: ServerResponse, status: number, title: string, text: string): void {
  // Not user text: the page's markup; its words arrive translated in title and text.
  const page = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} - MIM CM</title><style>body{font:15px system-ui,sans-serif;margin:15vh auto;max-width:32em;padding:0 1em;color:#222}h1{font-size:1.3em}</style></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`;
  // Not user text: headers.
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'cache-control': 'no-store',
    // The code in this address must not leak to another page through a referrer.
    'referrer-policy': 'no-referrer',
  });
  res.end(page);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

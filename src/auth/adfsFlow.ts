// ADFS sign-in as OAuth 2.0 for native apps (RFC 8252): authorization code with PKCE (RFC 7636) in the user's
// own browser, the code coming back to a loopback listener, tokens from the engine (which reaches ADFS with the
// connection's CA and proxy). Plain Node: the command supplies the browser and VS Code's address mapping.
import { jwtUser } from '../cm/auth';
import { CmError } from '../cm/errors';
import type { OAuthEndpoints, TokenAnswer } from '../cm/oauthClient';
import type { AdfsSettings } from '../settings/settings';
import { listenForRedirect } from './loopbackRedirect';
import type { AdfsCredential, StoredCredential } from './storedCredentials';
import * as l10n from '@vscode/l10n';

/** How long the browser has to come back with a code. */
export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;
/** A token is renewed this long before it lapses, so a load never starts with one about to expire. */
export const RENEW_LEAD_MS = 2 * 60_000;

export interface AdfsFlowDeps {
  readonly adfs: AdfsSettings;
  /** The CM server's origin: the resource when mimcm.adfs.resource is empty. */
  readonly origin: string;
  readonly endpoints: () => Promise<OAuthEndpoints>;
  readonly token: (form: Readonly<Record<string, string>>) => Promise<TokenAnswer>;
  /** The address the browser must use for a local one (VS Code's asExternalUri: remote and web windows). */
  readonly externalAddress: (localUri: string) => Promise<string>;
  /** Opens the sign-in page in the user's browser; false when none could be opened. */
  readonly openBrowser: (url: string) => Promise<boolean>;
  readonly signal?: AbortSignal;
  readonly now?: () => number;
}

/** The resource the tokens are for: the relying party identifier of the CM web API. */
export function adfsResource(adfs: AdfsSettings, origin: string): string {
  return adfs.resource === '' ? origin : adfs.resource;
}

/** Runs the whole sign-in and returns what to keep in secret storage. */
export async function signInWithAdfs(deps: AdfsFlowDeps): Promise<AdfsCredential> {
  const { adfs, origin } = deps;
  const endpoints = await deps.endpoints();
  const verifier = randomText(32);
  const state = randomText(16);
  const challenge = await codeChallenge(verifier);
  const listener = await listenForRedirect({ state, timeoutMs: SIGN_IN_TIMEOUT_MS, signal: deps.signal, port: adfs.redirectPort });
  try {
    const redirectUri = await deps.externalAddress(listener.uri);
    const resource = adfsResource(adfs, origin);
    const url = authorizationUrl(endpoints.authorizationEndpoint, {
      response_type: 'code',
      client_id: adfs.clientId,
      redirect_uri: redirectUri,
      scope: adfs.scope,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      resource,
    });
    if (!(await deps.openBrowser(url))) {
      throw new CmError({
        kind: 'auth',
        message: l10n.t('No browser could be opened for the ADFS sign-in.'),
        hint: l10n.t('Set a default browser for this machine, then sign in again.'),
        action: 'signIn',
      });
    }
    const code = await listener.code;
    const tokens = await deps.token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: adfs.clientId,
      code_verifier: verifier,
      resource,
    });
    return credentialFromTokens(tokens, adfs, resource, (deps.now ?? Date.now)());
  } finally {
    listener.dispose();
  }
}

/** New tokens from the refresh token; ADFS may or may not issue a new refresh token with them. */
export async function renewAdfs(
  credential: AdfsCredential,
  token: AdfsFlowDeps['token'],
  now: () => number = Date.now,
): Promise<AdfsCredential> {
  if (credential.refreshToken === undefined) {
    throw new CmError({
      kind: 'auth',
      message: l10n.t('ADFS issued no refresh token, so the sign-in cannot be renewed.'),
      hint: l10n.t('Run "MIM CM: Sign In" again.'),
      action: 'signIn',
    });
  }
  const tokens = await token({
    grant_type: 'refresh_token',
    refresh_token: credential.refreshToken,
    client_id: credential.clientId,
    resource: credential.resource,
  });
  const renewed = credentialFromTokens(tokens, credential, credential.resource, now());
  return { ...renewed, refreshToken: renewed.refreshToken ?? credential.refreshToken, user: renewed.user ?? credential.user };
}

export function credentialFromTokens(
  tokens: TokenAnswer,
  adfs: Pick<AdfsSettings, 'authority' | 'clientId'>,
  resource: string,
  now: number,
): AdfsCredential {
  return {
    method: 'adfs',
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAt: tokens.expiresIn === undefined ? undefined : now + tokens.expiresIn * 1000,
    authority: adfs.authority,
    clientId: adfs.clientId,
    resource,
    user: jwtUser(tokens.accessToken) ?? (tokens.idToken === undefined ? undefined : jwtUser(tokens.idToken)),
  };
}

/** Whether a kept ADFS sign-in was made with these settings (another authority, client or resource needs a new one). */
export function matchesSettings(credential: AdfsCredential, adfs: AdfsSettings, origin: string): boolean {
  return (
    credential.authority === adfs.authority && credential.clientId === adfs.clientId && credential.resource === adfsResource(adfs, origin)
  );
}

/**
 * Milliseconds until a kept sign-in should be renewed (0: now), or undefined when it cannot or need not be (no
 * refresh token, or no known expiry).
 */
export function renewalDelay(credential: StoredCredential | undefined, now: number): number | undefined {
  if (credential?.method !== 'adfs' || credential.refreshToken === undefined || credential.expiresAt === undefined) {
    return undefined;
  }
  return Math.max(0, credential.expiresAt - RENEW_LEAD_MS - now);
}

function authorizationUrl(endpoint: string, params: Readonly<Record<string, string>>): string {
  const url = new URL(endpoint);
  for (const [name, value] of Object.entries(params)) {
    url.searchParams.set(name, value);
  }
  return url.toString();
}

/** Unguessable base64url text from `bytes` random bytes (Web Crypto: no `node:crypto` on the activation path). */
function randomText(bytes: number): string {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes))).toString('base64url');
}

/** PKCE S256: base64url(SHA-256(verifier)). */
export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return Buffer.from(digest).toString('base64url');
}

import { cleanServerText } from './serverText';
import * as l10n from '@vscode/l10n';

export const AUTH_METHODS = ['auto', 'none', 'negotiate', 'ntlm', 'basic', 'bearer', 'adfs'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/**
 * What the client sends to prove who the user is; secrets come from SecretStorage, never from settings. An
 * `adfs` sign-in reaches the client as the bearer token ADFS issued.
 */
export type Credentials =
  | { readonly method: 'none' }
  | { readonly method: 'basic'; readonly username: string; readonly password: string }
  | { readonly method: 'bearer'; readonly token: string }
  | { readonly method: 'negotiate'; readonly servicePrincipal: string }
  /** Nothing stored: first without credentials, then Negotiate if the server offers it and this platform can. */
  | { readonly method: 'auto'; readonly servicePrincipal: string }
  | NtlmCredentials;

/** NTLMv2 with the user's Windows account: "DOMAIN\\user" or a UPN, and its password. */
export interface NtlmCredentials {
  readonly method: 'ntlm';
  readonly username: string;
  readonly password: string;
}

/** Produces the Authorization header value for one request, or undefined to send none. */
export type Authorizer = () => Promise<string | undefined>;

export function basicAuthorization(username: string, password: string): string {
  // Not user text: a header.
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** A pasted token without surrounding space or a "Bearer " prefix copied along with it. */
function bareToken(token: string): string {
  return token.trim().replace(/^Bearer\s+/i, '');
}

/**
 * Why a token cannot be sent, or undefined when it can: it goes into an HTTP header, which takes only visible
 * ASCII (a JWT or any OAuth token fits; a line break or a smart quote pasted along does not).
 */
export function tokenProblem(token: string): string | undefined {
  const bare = bareToken(token);
  if (bare === '') {
    return 'Paste a token.';
  }
  const bad = /[^\x21-\x7e]/.exec(bare);
  return bad === null
    ? undefined
    : l10n.t`The token contains a character that cannot be sent in an HTTP header (${describeCharacter(bad[0])} at position ${bad.index + 1}); copy it again without spaces or line breaks.`;
}

/**
 * Why a user name cannot be used, or undefined when it can. Basic cannot carry a colon in the user name
 * (RFC 7617), and control characters are never part of a Windows account name.
 */
export function userNameProblem(username: string, method: 'basic' | 'ntlm'): string | undefined {
  const name = username.trim();
  if (name === '') {
    return l10n.t('Enter a user name.');
  }
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) {
    return l10n.t('The user name contains a control character.');
  }
  if (method === 'basic' && name.includes(':')) {
    return l10n.t('A user name for Basic authentication cannot contain ":".');
  }
  return name.length > 256 ? l10n.t('The user name is longer than 256 characters.') : undefined;
}

function describeCharacter(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  return code === 0x20 ? 'a space' : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function bearerAuthorization(token: string): string {
  // Not user text: a header.
  return `Bearer ${bareToken(token)}`;
}

/** When a bearer token is a JWT, its expiry (`exp`), so the user can be warned before it lapses. */
export function jwtExpiry(token: string): Date | undefined {
  const payload = bareToken(token).split('.')[1];
  if (payload === undefined) {
    return undefined;
  }
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown } | null;
    const exp = claims?.exp;
    // A date outside what Date can hold (about ±275,000 years) means nothing useful: treat it as "no expiry".
    const expiry = typeof exp === 'number' && Number.isFinite(exp) ? new Date(exp * 1000) : undefined;
    return expiry === undefined || Number.isNaN(expiry.getTime()) ? undefined : expiry;
  } catch {
    return undefined;
  }
}

/** Who a JWT says it is (`upn`, `unique_name`, `preferred_username`, `email`, then `sub`), for display only. */
export function jwtUser(token: string): string | undefined {
  const payload = bareToken(token).split('.')[1];
  if (payload === undefined) {
    return undefined;
  }
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown> | null;
    const name = ['upn', 'unique_name', 'preferred_username', 'email', 'sub']
      .map((claim) => claims?.[claim])
      .find((value) => typeof value === 'string' && value.trim() !== '');
    return typeof name === 'string' ? cleanServerText(name.trim(), 80) : undefined;
  } catch {
    return undefined;
  }
}

/** How long before a bearer token lapses the user is warned. */
export const TOKEN_WARNING_LEAD_MS = 5 * 60_000;
/** setTimeout fires at once for delays past 2^31-1 ms (about 24.8 days), so longer waits are split. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * When to look at a token's expiry again: `warnNow` when the warning is due, else the wait until it is due,
 * capped so it fits in one timer (the timer then asks again).
 */
export function expiryWarningSchedule(expiry: Date, now: number): { warnNow: boolean; waitMs: number } {
  const untilWarning = expiry.getTime() - TOKEN_WARNING_LEAD_MS - now;
  if (Number.isNaN(untilWarning)) {
    // An invalid date must never arm a timer that fires at once and asks again, in a tight loop.
    return { warnNow: false, waitMs: MAX_TIMER_MS };
  }
  return untilWarning <= 0 ? { warnNow: true, waitMs: 0 } : { warnNow: false, waitMs: Math.min(untilWarning, MAX_TIMER_MS) };
}

/** Methods whose header goes with each request as it is; Negotiate and NTLM are handshakes (see negotiate/). */
export type HeaderCredentials = Extract<Credentials, { method: 'none' | 'basic' | 'bearer' }>;

/** The header for methods that send one with each request. */
export function authorizerFor(credentials: HeaderCredentials): Authorizer {
  switch (credentials.method) {
    case 'none':
      return () => Promise.resolve(undefined);
    case 'basic': {
      const header = basicAuthorization(credentials.username, credentials.password);
      return () => Promise.resolve(header);
    }
    case 'bearer': {
      const header = bearerAuthorization(credentials.token);
      return () => Promise.resolve(header);
    }
  }
}

import { CmError } from './errors';

export const AUTH_METHODS = ['none', 'negotiate', 'ntlm', 'basic', 'bearer'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** What the client sends to prove who the user is; secrets come from SecretStorage, never from settings. */
export type Credentials =
  | { readonly method: 'none' }
  | { readonly method: 'basic'; readonly username: string; readonly password: string }
  | { readonly method: 'bearer'; readonly token: string }
  | { readonly method: 'negotiate'; readonly servicePrincipal: string }
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
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** A pasted token without surrounding space or a "Bearer " prefix copied along with it. */
function bareToken(token: string): string {
  return token.trim().replace(/^Bearer\s+/i, '');
}

export function bearerAuthorization(token: string): string {
  return `Bearer ${bareToken(token)}`;
}

/** When a bearer token is a JWT, its expiry (`exp`), so the user can be warned before it lapses. */
export function jwtExpiry(token: string): Date | undefined {
  const payload = bareToken(token).split('.')[1];
  if (payload === undefined) {
    return undefined;
  }
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : undefined;
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
  return untilWarning <= 0 ? { warnNow: true, waitMs: 0 } : { warnNow: false, waitMs: Math.min(untilWarning, MAX_TIMER_MS) };
}

/** The Kerberos service principal for a host as GSSAPI names it: HTTP@cm.contoso.com. */
export function defaultServicePrincipal(origin: string): string {
  return `HTTP@${new URL(origin).hostname}`;
}

interface KerberosModule {
  GSS_MECH_OID_SPNEGO: number;
  initializeClient(service: string, options: { mechOID: number }): Promise<{ step(challenge: string): Promise<string> }>;
}

let kerberosModule: KerberosModule | undefined;

/**
 * Loads the native `kerberos` binding on first use only, so the extension still activates (and every other
 * method works) on a platform where the binding is missing.
 */
function loadKerberos(): KerberosModule {
  if (kerberosModule === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      kerberosModule = require('kerberos') as KerberosModule;
    } catch (error) {
      throw new CmError({
        kind: 'auth',
        message: `Windows Integrated Authentication (Negotiate) is not available on this platform: the Kerberos library did not load (${error instanceof Error ? error.message : String(error)}).`,
        hint: 'Install the platform-specific build of this extension, or choose another mimcm.authentication method.',
        action: 'openSettings',
        cause: error,
      });
    }
  }
  return kerberosModule;
}

/**
 * A fresh SPNEGO token for each request, from the signed-in user's own Kerberos ticket (SSPI on Windows, the
 * ticket cache on Linux and macOS): nothing is typed or stored.
 */
function negotiateAuthorizer(servicePrincipal: string): Authorizer {
  return async () => {
    const kerberos = loadKerberos();
    try {
      const client = await kerberos.initializeClient(servicePrincipal, { mechOID: kerberos.GSS_MECH_OID_SPNEGO });
      return `Negotiate ${await client.step('')}`;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CmError({
        kind: 'auth',
        message: `Kerberos could not get a ticket for ${servicePrincipal}: ${reason}`,
        hint: 'Sign in to the domain (Windows) or run kinit (Linux, macOS); if the server uses another service name, set mimcm.kerberos.servicePrincipal.',
        action: 'retry',
        cause: error,
      });
    }
  };
}

/** The header for methods that send one with each request; NTLM's connection handshake lives in the client. */
export function authorizerFor(credentials: Exclude<Credentials, NtlmCredentials>): Authorizer {
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
    case 'negotiate':
      return negotiateAuthorizer(credentials.servicePrincipal);
  }
}

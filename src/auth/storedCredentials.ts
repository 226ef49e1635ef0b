/** The methods whose sign-in is kept in secret storage (and can be signed out of). */
export const KEPT_SIGN_IN_METHODS: readonly string[] = ['basic', 'ntlm', 'bearer', 'adfs'];

/** A secret the user typed at sign-in, kept per server origin in VS Code's SecretStorage (the OS keychain). */
export type StoredCredential =
  | { readonly method: 'basic' | 'ntlm'; readonly username: string; readonly password: string }
  | { readonly method: 'bearer'; readonly token: string }
  | AdfsCredential;

/**
 * Tokens from an ADFS sign-in in the browser, with the settings they were issued for: a token for another
 * authority, client or resource is never sent.
 */
export interface AdfsCredential {
  readonly method: 'adfs';
  readonly accessToken: string;
  readonly refreshToken?: string;
  /** Epoch ms when the access token lapses, when ADFS said. */
  readonly expiresAt?: number;
  readonly authority: string;
  readonly clientId: string;
  readonly resource: string;
  /** Who ADFS says signed in (upn or similar), for display. */
  readonly user?: string;
}

/** A proxy's Basic credentials, kept per proxy URL. */
export interface ProxyCredential {
  readonly username: string;
  readonly password: string;
}

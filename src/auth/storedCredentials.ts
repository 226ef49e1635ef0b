/** A secret the user typed at sign-in, kept per server origin in VS Code's SecretStorage (the OS keychain). */
export type StoredCredential =
  | { readonly method: 'basic' | 'ntlm'; readonly username: string; readonly password: string }
  | { readonly method: 'bearer'; readonly token: string };

/** A proxy's Basic credentials, kept per proxy URL. */
export interface ProxyCredential {
  readonly username: string;
  readonly password: string;
}

import type { CredentialStore } from '../auth/credentialStore';
import type { StoredCredential } from '../auth/storedCredentials';
import { jwtUser, type AuthMethod } from '../cm/auth';
import { cleanServerText } from '../cm/serverText';
import { resolveEndpoint } from '../cm/endpoint';
import { proxyFor } from '../cm/proxy';
import type { EngineConfig } from '../engine/protocol';
import type { ServerConfig } from '../settings/settings';

/**
 * The secrets one server's engine needs, read from VS Code's secret storage: the sign-in kept for its origin,
 * the proxy sign-in for its proxy, and its client certificate's passphrase. Nothing else leaves the keychain.
 */
export async function secretsFor(store: CredentialStore, config: ServerConfig): Promise<EngineConfig['secrets']> {
  const { connection } = config;
  const resolved = resolveEndpoint(connection.host, connection.apiPath);
  if (!resolved.ok) {
    return {};
  }
  const proxy = proxyFor(new URL(resolved.endpoint.origin), connection.proxy);
  const [credential, proxyCredential, passphrase] = await Promise.all([
    connection.authentication === 'none' || connection.authentication === 'negotiate' ? undefined : store.get(resolved.endpoint.origin),
    proxy === undefined || !('strictSSL' in proxy) ? undefined : store.getProxy(proxy.url),
    connection.clientCertificate === '' ? undefined : store.getPassphrase(connection.clientCertificate),
  ]);
  return { credential, proxy: proxyCredential, passphrase };
}

/** Keeps a sign-in for the server's origin (nothing is kept while the host setting is not usable). */
export async function storeSignIn(store: CredentialStore, config: ServerConfig, credential: StoredCredential): Promise<void> {
  const resolved = resolveEndpoint(config.connection.host, config.connection.apiPath);
  if (resolved.ok) {
    await store.store(resolved.endpoint.origin, credential);
  }
}

/**
 * Who the user is signed in as, for the status bar: the stored user name (Basic, NTLM) or what a bearer JWT
 * says; undefined for none, Kerberos (the ticket's principal is not known before a call) or a method whose
 * secret is missing. `auto` uses whatever sign-in is kept.
 */
export function signedInUser(method: AuthMethod, credential: StoredCredential | undefined): string | undefined {
  if (credential === undefined || (method !== credential.method && method !== 'auto')) {
    return undefined;
  }
  switch (credential.method) {
    case 'bearer':
      return jwtUser(credential.token);
    case 'adfs':
      return credential.user === undefined ? undefined : cleanServerText(credential.user, 80);
    default:
      return cleanServerText(credential.username, 80);
  }
}

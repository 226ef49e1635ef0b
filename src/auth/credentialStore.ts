import type * as vscode from 'vscode';

import type { ProxyCredential, StoredCredential } from './storedCredentials';

export type { ProxyCredential, StoredCredential } from './storedCredentials';

const KEY_PREFIX = 'mimcm.credentials/';
const PROXY_KEY_PREFIX = 'mimcm.proxyCredentials/';
const PASSPHRASE_KEY_PREFIX = 'mimcm.clientCertificatePassphrase/';

export class CredentialStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(origin: string): Promise<StoredCredential | undefined> {
    const value = await this.readJson(KEY_PREFIX + origin);
    if (
      (value?.method === 'basic' || value?.method === 'ntlm') &&
      typeof value.username === 'string' &&
      typeof value.password === 'string'
    ) {
      return { method: value.method, username: value.username, password: value.password };
    }
    if (value?.method === 'bearer' && typeof value.token === 'string') {
      return { method: 'bearer', token: value.token };
    }
    if (
      value?.method === 'adfs' &&
      typeof value.accessToken === 'string' &&
      typeof value.authority === 'string' &&
      typeof value.clientId === 'string' &&
      typeof value.resource === 'string'
    ) {
      return {
        method: 'adfs',
        accessToken: value.accessToken,
        refreshToken: typeof value.refreshToken === 'string' ? value.refreshToken : undefined,
        expiresAt: typeof value.expiresAt === 'number' ? value.expiresAt : undefined,
        authority: value.authority,
        clientId: value.clientId,
        resource: value.resource,
        user: typeof value.user === 'string' ? value.user : undefined,
      };
    }
    return undefined;
  }

  store(origin: string, credential: StoredCredential): Thenable<void> {
    return this.secrets.store(KEY_PREFIX + origin, JSON.stringify(credential));
  }

  delete(origin: string): Thenable<void> {
    return this.secrets.delete(KEY_PREFIX + origin);
  }

  async getProxy(proxyUrl: string): Promise<ProxyCredential | undefined> {
    const value = await this.readJson(PROXY_KEY_PREFIX + proxyUrl);
    return typeof value?.username === 'string' && typeof value.password === 'string'
      ? { username: value.username, password: value.password }
      : undefined;
  }

  storeProxy(proxyUrl: string, credential: ProxyCredential): Thenable<void> {
    return this.secrets.store(PROXY_KEY_PREFIX + proxyUrl, JSON.stringify(credential));
  }

  deleteProxy(proxyUrl: string): Thenable<void> {
    return this.secrets.delete(PROXY_KEY_PREFIX + proxyUrl);
  }

  /** The passphrase of a client certificate file, kept per file path. */
  async getPassphrase(certificateFile: string): Promise<string | undefined> {
    return this.secrets.get(PASSPHRASE_KEY_PREFIX + certificateFile);
  }

  storePassphrase(certificateFile: string, passphrase: string): Thenable<void> {
    return this.secrets.store(PASSPHRASE_KEY_PREFIX + certificateFile, passphrase);
  }

  /** A stored JSON object; a missing or damaged entry reads as "not signed in" (signing in again overwrites it). */
  private async readJson(key: string): Promise<Partial<Record<string, unknown>> | undefined> {
    const text = await this.secrets.get(key);
    if (text === undefined) {
      return undefined;
    }
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === 'object' && value !== null ? value : undefined;
    } catch {
      return undefined;
    }
  }

  /** Fires when any stored credential changes (also from another VS Code window). */
  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange((event) => {
      if ([KEY_PREFIX, PROXY_KEY_PREFIX, PASSPHRASE_KEY_PREFIX].some((prefix) => event.key.startsWith(prefix))) {
        listener();
      }
    });
  }
}

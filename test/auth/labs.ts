import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Loads one of the lab scripts in scripts/lib (plain ESM); tests run from out/test/auth. */
export async function importLab<T>(file: 'authLab.mjs' | 'proxyLab.mjs'): Promise<T> {
  return (await import(pathToFileURL(path.join(__dirname, '..', '..', '..', 'scripts', 'lib', file)).href)) as T;
}

export interface KerberosLab {
  url: string;
  servicePrincipal: string;
  clientEnv: Record<string, string>;
  kinit(lifetime?: string): void;
  kdestroy(): void;
  stop(): Promise<void>;
}

/** Requests that reached Apache with a password-derived credential: what a domain counts as logon attempts. */
export interface LogonAttempts {
  ntlmAuthenticate: number;
  basic: number;
}

export interface NtlmLab {
  url: string;
  username: string;
  password: string;
  attempts(): LogonAttempts;
  stop(): Promise<void>;
}

export type BasicLab = NtlmLab;

/** scripts/lib/authLab.mjs: a KDC and Apache with mod_auth_gssapi (Negotiate), or gss-ntlmssp (NTLM), on loopback. */
export interface AuthLabModule {
  startKerberosLab(options: { backendUrl: string }): Promise<KerberosLab>;
  startNtlmLab(options: { backendUrl: string }): Promise<NtlmLab>;
  startBasicLab(options: { backendUrl: string }): Promise<BasicLab>;
}

export interface ProxyLab {
  url: string;
  accessLog(): string;
  stop(): Promise<void>;
}

/** scripts/lib/proxyLab.mjs: squid on loopback. */
export interface ProxyLabModule {
  PROXY_USER: string;
  PROXY_PASSWORD: string;
  startProxyLab(options: { requireAuth: boolean }): Promise<ProxyLab>;
}

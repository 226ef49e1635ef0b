import * as vscode from 'vscode';
import { AUTH_METHODS, type AuthMethod } from './cm/auth';
import type { TargetUser } from './cm/client';
import { REQUEST_STATUSES, type RequestStatusName } from './cm/codes';
import type { ProxySettings } from './cm/proxy';
import { DEFAULT_API_PATH } from './cm/endpoint';
import { DEFAULT_MAX_RESPONSE_MEGABYTES, MAX_MAX_RESPONSE_MEGABYTES, MIN_MAX_RESPONSE_MEGABYTES } from './cm/responseBody';

export const SETTINGS_SECTION = 'mimcm';
const PROXY_SETTINGS = ['http.proxy', 'http.proxyStrictSSL', 'http.noProxy', 'http.proxySupport'];

export interface ExtensionSettings {
  readonly host: string;
  readonly apiPath: string;
  readonly targetUser: TargetUser;
  readonly requestTimeoutSeconds: number;
  /** No answer is read past this size; 1–1024. */
  readonly maxResponseMegabytes: number;
  readonly showEmptyGroups: boolean;
  /** In the tree's order; never empty. */
  readonly statuses: readonly RequestStatusName[];
  readonly showPendingBadge: boolean;
  /** 0 means off. */
  readonly autoRefreshSeconds: number;
  readonly authentication: AuthMethod;
  /** Empty means HTTP@<host>. */
  readonly kerberosServicePrincipal: string;
  /** Empty means no extra CA bundle. */
  readonly caFile: string;
  /** Empty means no client certificate. */
  readonly clientCertificate: string;
  /** VS Code's own http.proxy settings. */
  readonly proxy: ProxySettings;
}

/** Reads the settings with their defaults, clamping values a hand-edited settings.json may get wrong. */
export function readSettings(): ExtensionSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const timeout = Number(config.get('requestTimeoutSeconds', 30));
  const autoRefresh = Number(config.get('autoRefreshSeconds', 0));
  const maxResponse = Number(config.get('maxResponseMegabytes', DEFAULT_MAX_RESPONSE_MEGABYTES));
  return {
    host: String(config.get('host', '') ?? '').trim(),
    apiPath: String(config.get('apiPath', DEFAULT_API_PATH) ?? DEFAULT_API_PATH),
    targetUser: config.get('targetUser') === 'current' ? 'current' : 'all',
    requestTimeoutSeconds: Number.isFinite(timeout) ? Math.min(600, Math.max(1, timeout)) : 30,
    maxResponseMegabytes: Number.isFinite(maxResponse) ? Math.min(MAX_MAX_RESPONSE_MEGABYTES, Math.max(MIN_MAX_RESPONSE_MEGABYTES, maxResponse)) : DEFAULT_MAX_RESPONSE_MEGABYTES,
    showEmptyGroups: config.get<boolean>('showEmptyGroups', true) !== false,
    statuses: readStatuses(config.get<unknown>('statuses')),
    showPendingBadge: config.get<boolean>('showPendingBadge', true) !== false,
    autoRefreshSeconds: Number.isFinite(autoRefresh) && autoRefresh > 0 ? Math.min(86_400, Math.max(10, autoRefresh)) : 0,
    authentication: AUTH_METHODS.find((method) => method === config.get('authentication')) ?? 'none',
    kerberosServicePrincipal: String(config.get('kerberos.servicePrincipal', '') ?? '').trim(),
    caFile: String(config.get('tls.caFile', '') ?? '').trim(),
    clientCertificate: String(config.get('tls.clientCertificate', '') ?? '').trim(),
    proxy: readProxySettings(),
  };
}

/** Known names in the tree's order, whatever order or case settings.json has; none (or nothing valid) means all. */
function readStatuses(value: unknown): readonly RequestStatusName[] {
  const wanted = new Set(Array.isArray(value) ? value.map((name) => String(name).toLowerCase()) : []);
  const statuses = REQUEST_STATUSES.filter((status) => wanted.has(status.toLowerCase()));
  return statuses.length === 0 ? REQUEST_STATUSES : statuses;
}

function readProxySettings(): ProxySettings {
  const http = vscode.workspace.getConfiguration('http');
  const noProxy = http.get<unknown>('noProxy', []);
  return {
    proxy: String(http.get('proxy', '') ?? ''),
    strictSSL: http.get<boolean>('proxyStrictSSL', true) !== false,
    noProxy: Array.isArray(noProxy) ? noProxy.map(String) : [],
    support: String(http.get('proxySupport', 'override') ?? 'override'),
  };
}

/** The single place that reacts to settings changes: the view refreshes without a window reload. */
export function registerSettingsWatcher(context: vscode.ExtensionContext, onChange: () => void): void {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SETTINGS_SECTION) || PROXY_SETTINGS.some((key) => event.affectsConfiguration(key))) {
        onChange();
      }
    }),
  );
}

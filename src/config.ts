import * as vscode from 'vscode';
import type { ProxySettings } from './cm/proxy';
import { resolveSettings, type Settings } from './settings/settings';

export const SETTINGS_SECTION = 'mimcm';
const PROXY_SETTINGS = ['http.proxy', 'http.proxyStrictSSL', 'http.noProxy', 'http.proxySupport'];

/** Every MIM CM setting, checked and with its defaults (see settings/settings.ts). */
export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return resolveSettings(
    {
      get: (key) => config.get(key),
      source: (key) => {
        const where = config.inspect(key);
        if (where?.workspaceValue !== undefined || where?.workspaceFolderValue !== undefined) {
          return 'workspace';
        }
        return where?.globalValue !== undefined ? 'user' : undefined;
      },
    },
    readProxySettings(),
  );
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

import type { DashboardPanels } from '../../src/dashboard/dashboardPanels';
import type { Servers } from '../../src/servers/servers';
import * as vscode from 'vscode';
import type { LoadMoreNode, RequestNode, RequestsTreeNode, ServerNode, GroupNode } from '../../src/tree/nodes';
import type { RequestsTreeProvider } from '../../src/tree/requestsTreeProvider';

export const EXTENSION_ID = 'mimcm-tools.mimcm-requests';
export const API_PATH = '/CertificateManagement/api/v1.0';

/** The simulator the runner started; tests read its data directly to know what the tree must show. */
export function simulatorUrl(): string {
  const url = process.env.MIMCM_SIMULATOR_URL;
  if (!url) {
    throw new Error('MIMCM_SIMULATOR_URL is not set: run the suite through npm run test:integration');
  }
  return url;
}

/** A second simulator, for several servers side by side. */
export function secondSimulatorUrl(): string {
  const url = process.env.MIMCM_SIMULATOR2_URL;
  if (!url) {
    throw new Error('MIMCM_SIMULATOR2_URL is not set: run the suite through npm run test:integration');
  }
  return url;
}

/** The simulator's directory stand-in (names for its users), plain LDAP on loopback. */
export function directoryUrl(): string {
  const url = process.env.MIMCM_DIRECTORY_URL;
  if (!url) {
    throw new Error('MIMCM_DIRECTORY_URL is not set: run the suite through npm run test:integration');
  }
  return url;
}

/** The Kerberos lab's Apache (Negotiate in front of the simulator) and its service principal. */
export function kerberosLab(): { url: string; servicePrincipal: string } {
  const url = process.env.MIMCM_KERBEROS_URL;
  const servicePrincipal = process.env.MIMCM_KERBEROS_SPN;
  if (!url || !servicePrincipal) {
    throw new Error('MIMCM_KERBEROS_URL/MIMCM_KERBEROS_SPN are not set: run the suite through npm run test:integration');
  }
  return { url, servicePrincipal };
}

export interface TestApi {
  readonly requestsTree: RequestsTreeProvider;
  readonly servers: Servers;
  readonly dashboards: DashboardPanels;
}

export async function activateExtension(): Promise<TestApi> {
  const extension = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
  if (extension === undefined) {
    throw new Error(`${EXTENSION_ID} is not installed in this VS Code`);
  }
  return extension.activate();
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('mimcm').update(key, value, vscode.ConfigurationTarget.Global);
}

export async function stageFault(mode: string, delayMs?: number): Promise<void> {
  const response = await fetch(`${simulatorUrl()}/__simulator/fault`, { method: 'POST', body: JSON.stringify({ mode, delayMs }) });
  if (!response.ok) {
    throw new Error(`staging fault ${mode} failed: ${response.status}`);
  }
}

/** What the server holds for a status, read straight from it (not through the extension). */
export async function serverRecords(query: string): Promise<Record<string, unknown>[]> {
  const response = await fetch(`${simulatorUrl()}${API_PATH}/requests?${query}`);
  if (response.status === 204) {
    return [];
  }
  return (await response.json()) as Record<string, unknown>[];
}

/** Every path and query the simulator has been asked for, oldest first. */
export async function simulatorCalls(): Promise<string[]> {
  return (await (await fetch(`${simulatorUrl()}/__simulator/calls`)).json()) as string[];
}

export async function rootNodes(api: TestApi): Promise<RequestsTreeNode[]> {
  return (await api.requestsTree.getChildren()) ?? [];
}

export function label(node: vscode.TreeItem): string {
  return typeof node.label === 'string' ? node.label : (node.label?.label ?? '');
}

/** Polls until `check` returns a value (settings changes refresh the tree asynchronously). */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) {
        return value;
      }
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

// The extension runs from its bundle, so its node classes are not the ones this suite could import:
// tell nodes apart by contextValue, as menus do.
export function isGroup(node: RequestsTreeNode | undefined): node is GroupNode {
  return node?.contextValue === 'group';
}

export function isRequest(node: RequestsTreeNode | undefined): node is RequestNode {
  return node?.contextValue?.startsWith('request ') === true;
}

export function isServer(node: RequestsTreeNode | undefined): node is ServerNode {
  return node?.contextValue === 'server';
}

export function isLoadMore(node: RequestsTreeNode | undefined): node is LoadMoreNode {
  return node?.contextValue === 'loadMore';
}

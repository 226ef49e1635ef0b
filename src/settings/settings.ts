// Settings as the extension uses them, split by what a change means: a connection part (a new client, data
// from the server) and a view part (a redraw). Plain data, no `vscode`, so the engine and tests use it too.
import { AUTH_METHODS, type AuthMethod } from '../cm/auth';
import type { TargetUser } from '../cm/client';
import { REQUEST_STATUSES, type RequestStatusName } from '../cm/codes';
import { DEFAULT_API_PATH } from '../cm/endpoint';
import type { ProxySettings } from '../cm/proxy';
import { DEFAULT_MAX_RESPONSE_MEGABYTES, MAX_MAX_RESPONSE_MEGABYTES, MIN_MAX_RESPONSE_MEGABYTES } from '../cm/limits';
import { GROUP_BY, SORT_ORDERS, type GroupBy, type SortOrder } from '../model/viewOrder';
import type { DirectorySettings } from '../directory/directoryAddress';
import * as l10n from '@vscode/l10n';

/** How one CM server is reached: any change means a new client and fresh data. */
export interface ConnectionSettings {
  readonly host: string;
  readonly apiPath: string;
  readonly targetUser: TargetUser;
  readonly requestTimeoutSeconds: number;
  /** No answer is read past this size; 1–1024. */
  readonly maxResponseMegabytes: number;
  readonly authentication: AuthMethod;
  /** Empty means HTTP@<host>. */
  readonly kerberosServicePrincipal: string;
  /** Empty means no extra CA bundle. */
  readonly caFile: string;
  /** Empty means no client certificate. */
  readonly clientCertificate: string;
  /** VS Code's own http.proxy settings. */
  readonly proxy: ProxySettings;
  readonly adfs: AdfsSettings;
}

/** Where `adfs` sign-in gets its tokens (see auth/adfsFlow.ts). */
export interface AdfsSettings {
  /** The ADFS issuer, e.g. https://adfs.contoso.com/adfs; empty until configured. */
  readonly authority: string;
  /** The client identifier of the native application registered in ADFS. */
  readonly clientId: string;
  /** The relying party identifier of the CM web API; empty means the CM server's origin. */
  readonly resource: string;
  readonly scope: string;
  /**
   * The loopback port the redirect comes back to; 0 means any free one. A fixed port gives a remote or web
   * window a stable forwarded address to register in ADFS.
   */
  readonly redirectPort: number;
}

/** How the view looks: a change redraws (a statuses change also reloads, since other queries are needed). */
export interface ViewSettings {
  readonly showEmptyGroups: boolean;
  readonly showPendingBadge: boolean;
  readonly showStatusBar: boolean;
  /** 0 means off. */
  readonly autoRefreshSeconds: number;
  /** Open requests older than this get a warning; 0 means off. */
  readonly agingWarningDays: number;
  readonly groupBy: GroupBy;
  readonly sortOrder: SortOrder;
}

/** One CM server of `mimcm.servers` (or the one `mimcm.host` names), with the top-level settings filled in. */
export interface ServerConfig {
  /** Stable for the life of the setting: the name users gave it (unique), used in tree ids and tab URIs. */
  readonly id: string;
  readonly name: string;
  readonly connection: ConnectionSettings;
  /** In the tree's order; never empty. */
  readonly statuses: readonly RequestStatusName[];
  /** Where names come from (mimcm.directory.url); a change reaches the directory only, never reloads requests. */
  readonly directory: DirectorySettings;
}

export interface Settings {
  readonly servers: readonly ServerConfig[];
  readonly view: ViewSettings;
  /** Entries of mimcm.servers that could not be used, explained. */
  readonly problems: readonly string[];
}

/** What the settings hold, before any checking: VS Code hands over whatever settings.json says. */
export interface RawSettings {
  get(key: string): unknown;
  /** Where a value comes from: the user's own settings, or a workspace's (undefined: the default). */
  source?(key: string): 'user' | 'workspace' | undefined;
}

const SERVER_KEYS = [
  'name',
  'host',
  'apiPath',
  'authentication',
  'targetUser',
  'statuses',
  'kerberos.servicePrincipal',
  'tls.caFile',
  'tls.clientCertificate',
  'adfs.authority',
  'adfs.clientId',
  'adfs.resource',
  'directory.url',
];

/**
 * Reads every setting with its default, clamping values a hand-edited settings.json may get wrong. With
 * `mimcm.servers` set, each entry is a server and omitted fields come from the top-level settings; without it,
 * `mimcm.host` is the one server, named after its host.
 */
export function resolveSettings(raw: RawSettings, proxy: ProxySettings): Settings {
  const text = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value.trim() : fallback);
  const number = (value: unknown, fallback: number): number => {
    const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
    return Number.isFinite(parsed) ? parsed : fallback;
  };
  const timeout = number(raw.get('requestTimeoutSeconds'), 30);
  const maxResponse = number(raw.get('maxResponseMegabytes'), DEFAULT_MAX_RESPONSE_MEGABYTES);
  const autoRefresh = number(raw.get('autoRefreshSeconds'), 0);
  const problems: string[] = [];
  const authentication = (value: unknown, setting: string, fallback: AuthMethod): AuthMethod => {
    const method = authMethod(value);
    if (method === undefined && value !== undefined && value !== null && value !== '') {
      problems.push(unknownAuthentication(setting, value, fallback));
    }
    return method ?? fallback;
  };
  const statusList = (value: unknown, setting: string): readonly RequestStatusName[] => {
    const { statuses: read, unknown } = readStatuses(value);
    if (unknown.length > 0) {
      const names = unknown.map((name) => `"${name.slice(0, 30)}"`).join(', ');
      const known = REQUEST_STATUSES.join(', ');
      problems.push(
        unknown.length === 1
          ? l10n.t`${setting}: ${names} is not a CM status and is ignored. The statuses are ${known}.`
          : l10n.t`${setting}: ${names} are not CM statuses and are ignored. The statuses are ${known}.`,
      );
    }
    return read;
  };
  const base: ConnectionSettings = {
    host: text(raw.get('host')),
    apiPath: typeof raw.get('apiPath') === 'string' ? (raw.get('apiPath') as string) : DEFAULT_API_PATH,
    targetUser: oneOf(TARGET_USERS, raw.get('targetUser')) ?? 'all',
    requestTimeoutSeconds: Math.min(600, Math.max(1, timeout)),
    maxResponseMegabytes: Math.min(MAX_MAX_RESPONSE_MEGABYTES, Math.max(MIN_MAX_RESPONSE_MEGABYTES, maxResponse)),
    authentication: authentication(raw.get('authentication'), 'mimcm.authentication', 'auto'),
    kerberosServicePrincipal: text(raw.get('kerberos.servicePrincipal')),
    caFile: text(raw.get('tls.caFile')),
    clientCertificate: text(raw.get('tls.clientCertificate')),
    proxy,
    adfs: {
      authority: text(raw.get('adfs.authority')),
      clientId: text(raw.get('adfs.clientId')),
      resource: text(raw.get('adfs.resource')),
      scope: text(raw.get('adfs.scope')) || 'openid',
      redirectPort: portNumber(raw.get('adfs.redirectPort')),
    },
  };
  const statuses = statusList(raw.get('statuses'), 'mimcm.statuses');
  const directory: DirectorySettings = { url: text(raw.get('directory.url')), fromUserSettings: raw.source?.('directory.url') === 'user' };
  const view: ViewSettings = {
    showEmptyGroups: raw.get('showEmptyGroups') !== false,
    showPendingBadge: raw.get('showPendingBadge') !== false,
    showStatusBar: raw.get('showStatusBar') !== false,
    autoRefreshSeconds: autoRefresh > 0 ? Math.min(86_400, Math.max(10, autoRefresh)) : 0,
    agingWarningDays: Math.min(3650, Math.max(0, Math.floor(number(raw.get('agingWarningDays'), 7)))),
    groupBy: oneOf(GROUP_BY, raw.get('groupBy')) ?? 'status',
    sortOrder: oneOf(SORT_ORDERS, raw.get('sortOrder')) ?? 'newestFirst',
  };
  const setting = raw.get('servers');
  // One server written as an object instead of a list of one means the same.
  const listed = setting !== null && typeof setting === 'object' && !Array.isArray(setting) ? [setting] : setting;
  if (!Array.isArray(listed) || listed.length === 0) {
    // Without a server the welcome view explains the start; what else is wrong shows once a host is set.
    return base.host === ''
      ? { servers: [], view, problems: [] }
      : { servers: [{ id: hostName(base.host), name: hostName(base.host), connection: base, statuses, directory }], view, problems };
  }
  const servers: ServerConfig[] = [];
  listed.forEach((entry: unknown, index) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push(l10n.t`mimcm.servers[${index}] is not an object with "name" and "host".`);
      return;
    }
    const server = entry as Record<string, unknown>;
    const host = text(server.host);
    const name = text(server.name) || hostName(host);
    if (host === '') {
      problems.push(l10n.t`mimcm.servers[${index}]${name ? ` ("${name.slice(0, 40)}")` : ''} has no "host".`);
      return;
    }
    if (servers.some((other) => other.name.toLowerCase() === name.toLowerCase())) {
      problems.push(l10n.t`mimcm.servers[${index}]: the name "${name.slice(0, 40)}" is used twice; each server needs its own name.`);
      return;
    }
    const unknown = Object.keys(server).filter((key) => !SERVER_KEYS.includes(key));
    if (unknown.length > 0) {
      problems.push(
        l10n.t`mimcm.servers[${index}] ("${name.slice(0, 40)}"): unknown fields ignored: ${unknown.map((key) => `"${key.slice(0, 30)}"`).join(', ')}.`,
      );
    }
    servers.push({
      id: name,
      name,
      connection: {
        ...base,
        host,
        apiPath: typeof server.apiPath === 'string' ? server.apiPath : base.apiPath,
        authentication: authentication(server.authentication, `mimcm.servers[${index}].authentication`, base.authentication),
        targetUser: oneOf(TARGET_USERS, server.targetUser) ?? base.targetUser,
        kerberosServicePrincipal:
          typeof server['kerberos.servicePrincipal'] === 'string'
            ? server['kerberos.servicePrincipal'].trim()
            : base.kerberosServicePrincipal,
        caFile: typeof server['tls.caFile'] === 'string' ? server['tls.caFile'].trim() : base.caFile,
        clientCertificate:
          typeof server['tls.clientCertificate'] === 'string' ? server['tls.clientCertificate'].trim() : base.clientCertificate,
        adfs: {
          ...base.adfs,
          authority: typeof server['adfs.authority'] === 'string' ? server['adfs.authority'].trim() : base.adfs.authority,
          clientId: typeof server['adfs.clientId'] === 'string' ? server['adfs.clientId'].trim() : base.adfs.clientId,
          resource: typeof server['adfs.resource'] === 'string' ? server['adfs.resource'].trim() : base.adfs.resource,
        },
      },
      statuses:
        Array.isArray(server.statuses) || typeof server.statuses === 'string'
          ? statusList(server.statuses, `mimcm.servers[${index}].statuses`)
          : statuses,
      directory:
        typeof server['directory.url'] === 'string'
          ? { url: server['directory.url'].trim(), fromUserSettings: raw.source?.('servers') === 'user' }
          : directory,
    });
  });
  return { servers, view, problems };
}

/** A TCP port, or 0 (any) for anything else. */
function portNumber(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65_536 ? value : 0;
}

const TARGET_USERS: readonly TargetUser[] = ['all', 'current'];

/** One of an enum's values whatever its case or surrounding spaces ("NTLM", " Current"), as a hand-edited file may hold it. */
function oneOf<T extends string>(values: readonly T[], value: unknown): T | undefined {
  const wanted = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  return values.find((candidate) => candidate.toLowerCase() === wanted);
}

function authMethod(value: unknown): AuthMethod | undefined {
  return oneOf(AUTH_METHODS, value);
}

/** Says what was read instead: a silent fallback to no sign-in would look like a server refusing a valid account. */
function unknownAuthentication(setting: string, value: unknown, fallback: AuthMethod): string {
  const shown = typeof value === 'string' ? `"${value.trim().slice(0, 30)}"` : JSON.stringify(value)?.slice(0, 30);
  const kerberos = typeof value === 'string' && /kerberos|windows|integrated/i.test(value);
  const methods = AUTH_METHODS.join(', ');
  return kerberos
    ? l10n.t`${setting}: ${shown} is not a method; Kerberos and Windows sign-in are "negotiate". Using "${fallback}" until it is set.`
    : l10n.t`${setting}: ${shown} is not a method (${methods}). Using "${fallback}" until it is set.`;
}

/**
 * Known names in the tree's order, whatever order or case settings.json has; none (or nothing valid) means all.
 * Names it does not know are handed back, to be explained.
 */
function readStatuses(value: unknown): { statuses: readonly RequestStatusName[]; unknown: string[] } {
  // "Pending, Failed" typed as one string instead of a list means the same.
  const list = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [];
  const names = list.map((name) => String(name).trim()).filter((name) => name !== '');
  const wanted = new Set(names.map((name) => name.toLowerCase()));
  const statuses = REQUEST_STATUSES.filter((status) => wanted.has(status.toLowerCase()));
  const known = new Set(REQUEST_STATUSES.map((status) => status.toLowerCase()));
  const unknown = names.filter((name) => !known.has(name.toLowerCase()));
  return { statuses: statuses.length === 0 ? REQUEST_STATUSES : statuses, unknown };
}

/** "cm.contoso.com" for https://cm.contoso.com; the text itself when it is not a URL (the engine explains it). */
function hostName(host: string): string {
  try {
    return new URL(host).host || host;
  } catch {
    return host;
  }
}

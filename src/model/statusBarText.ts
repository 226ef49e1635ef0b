import type { CountFormatter } from './countText';
import * as l10n from '@vscode/l10n';
// What the status bar item says about the configured servers: one server by name (with who is signed in and
// its Pending count), several as "n servers" with the Pending sum; the tooltip has a line per server.

export interface ServerState {
  readonly name: string;
  readonly hostLabel: string;
  /** The authentication method, as `mimcm.authentication` names it. */
  readonly method: string;
  readonly user?: string;
  readonly pending: number;
  readonly loading: boolean;
  /** Why the last load failed, while that is the latest word. */
  readonly error?: string;
  readonly credentialsRejected: boolean;
  /** Epoch ms of the last good load. */
  readonly loadedAt?: number;
}

export interface StatusBarText {
  readonly text: string;
  /** Markdown. */
  readonly tooltip: string;
  /** An error or rejected sign-in on some server: the item takes the warning colour. */
  readonly warning: boolean;
}

const methodNames = (): Readonly<Record<string, string>> => ({
  auto: l10n.t('Negotiate when offered'),
  none: l10n.t('no sign-in'),
  negotiate: 'Kerberos',
  ntlm: 'NTLM',
  basic: 'Basic',
  bearer: l10n.t('bearer token'),
  adfs: 'ADFS',
});

/** Undefined with no server configured: the item is hidden. */
export function statusBarText(
  servers: readonly ServerState[],
  formatTime: (time: number) => string,
  formatCount: CountFormatter,
): StatusBarText | undefined {
  const [only] = servers;
  if (only === undefined) {
    return undefined;
  }
  const pending = servers.reduce((sum, server) => sum + server.pending, 0);
  const warning = servers.some((server) => server.error !== undefined || server.credentialsRejected);
  const icon = servers.some((server) => server.loading) ? '$(sync~spin)' : warning ? '$(warning)' : '$(shield)';
  const who =
    servers.length === 1
      ? [only.hostLabel, only.user].filter((part): part is string => part !== undefined && part !== '').map(statusText)
      : [l10n.t`${servers.length} servers`];
  const text = `${icon} ${[...who, l10n.t`${formatCount(pending)} pending`].join(' · ')}`;
  const lines = servers.map((server) => {
    const method = methodNames()[server.method] ?? server.method;
    const identity =
      server.method === 'none' ? method : server.user === undefined ? `${method}` : l10n.t`${method} as ${markdownText(server.user)}`;
    const state = server.credentialsRejected
      ? l10n.t('sign-in rejected: sign in again')
      : server.error !== undefined
        ? l10n.t`failed: ${markdownText(server.error)}`
        : server.loading
          ? l10n.t('loading…')
          : server.loadedAt === undefined
            ? l10n.t('not loaded')
            : l10n.t`${formatCount(server.pending)} pending, loaded ${formatTime(server.loadedAt)}`;
    return `**${markdownText(server.name)}** (${markdownText(server.hostLabel)}) — ${identity} — ${state}`;
  });
  return {
    text,
    tooltip: [
      l10n.t`**MIM CM**`,
      '',
      ...lines.map((line) => `- ${line}`),
      '',
      l10n.t('Click for Refresh, Sign In/Out, Open Request by GUID and Settings.'),
    ].join('\n'),
    warning,
  };
}

/** Text in the item itself: `$(name)` would draw an icon, so a name that holds one is shown literally. */
function statusText(value: string): string {
  return value.replace(/\s+/g, ' ').slice(0, 60).replace(/\$\(/g, '$\u200b(');
}

/** Server text in Markdown: characters that would format or link are escaped, and it stays one short line. */
function markdownText(value: string): string {
  return value
    .replace(/\s+/g, ' ')
    .slice(0, 200)
    .replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, '\\$&');
}

/**
 * The activity-bar badge's tooltip: the Pending sum on the one server's host, or on how many servers. Whole
 * sentences per case, since languages decline "servers" after "on" (German: "auf 3 Servern").
 */
export function pendingBadgeTooltip(
  pending: number,
  formatCount: CountFormatter,
  servers: readonly { readonly hostLabel: string }[],
): string {
  const [only] = servers;
  if (servers.length === 1 && only !== undefined) {
    return pending === 1
      ? l10n.t`1 pending request on ${only.hostLabel}`
      : l10n.t`${formatCount(pending)} pending requests on ${only.hostLabel}`;
  }
  return pending === 1
    ? l10n.t`1 pending request on ${servers.length} servers`
    : l10n.t`${formatCount(pending)} pending requests on ${servers.length} servers`;
}

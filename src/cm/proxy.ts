import { basicAuthorization } from './auth';
import type { ProxyRoute } from './dispatcher';
import { configError, type CmError } from './errors';
import { redactUrl } from './serverText';
import * as l10n from '@vscode/l10n';

/** VS Code's proxy settings (http.proxy, http.noProxy, …), which a bundled undici does not pick up by itself. */
export interface ProxySettings {
  /** http.proxy; empty means "use the environment". */
  readonly proxy: string;
  readonly strictSSL: boolean;
  readonly noProxy: readonly string[];
  /** http.proxySupport: "off" turns proxying off for extensions. */
  readonly support: string;
}

export interface ProxyChoice {
  /** The proxy URL without credentials, safe to log and show. */
  readonly url: string;
  /** User and password from the proxy URL, if any; a stored proxy sign-in replaces them. */
  readonly username?: string;
  readonly password?: string;
  readonly strictSSL: boolean;
}

/**
 * The route through a chosen proxy: a proxy sign-in kept in secret storage wins over user:password in the
 * proxy URL.
 */
export function proxyRoute(choice: ProxyChoice, stored: { readonly username: string; readonly password: string } | undefined): ProxyRoute {
  const username = stored?.username ?? choice.username;
  const password = stored?.password ?? choice.password ?? '';
  return {
    url: choice.url,
    strictSSL: choice.strictSSL,
    authorization: username === undefined ? undefined : basicAuthorization(username, password),
  };
}

/**
 * The proxy to use for `target`, or undefined to connect directly: the http.proxy setting first, then the
 * HTTPS_PROXY / HTTP_PROXY environment (lower or upper case), unless http.noProxy or NO_PROXY names the host.
 * A proxy that cannot be used (unparseable, SOCKS, another scheme) is an explained error, never ignored: going
 * direct instead would bypass a proxy the user set on purpose.
 */
export function proxyFor(target: URL, settings: ProxySettings, env: NodeJS.ProcessEnv = process.env): ProxyChoice | CmError | undefined {
  if (settings.support === 'off') {
    return undefined;
  }
  const fromEnv =
    target.protocol === 'https:'
      ? env.https_proxy || env.HTTPS_PROXY || env.http_proxy || env.HTTP_PROXY
      : env.http_proxy || env.HTTP_PROXY;
  const configured = settings.proxy.trim() || fromEnv?.trim();
  if (!configured) {
    return undefined;
  }
  const noProxy = [...settings.noProxy, ...(env.no_proxy || env.NO_PROXY || '').split(',')]
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (bypassesProxy(target, noProxy)) {
    return undefined;
  }
  const source = settings.proxy.trim() ? 'http.proxy' : l10n.t('the HTTPS_PROXY/HTTP_PROXY environment variable');
  let proxy: URL;
  try {
    proxy = new URL(configured.includes('://') ? configured : `http://${configured}`);
  } catch {
    return configError(
      l10n.t`The proxy in ${source} ("${redactUrl(configured, 120)}") is not a URL.`,
      l10n.t('Use a proxy address such as http://proxy.contoso.com:8080, or clear the setting to connect directly.'),
    );
  }
  if (/^socks[45]?[ah]?:$/.test(proxy.protocol)) {
    return configError(
      l10n.t`The proxy in ${source} is a SOCKS proxy (${redactUrl(proxy.origin === 'null' ? configured : `${proxy.protocol}//${proxy.host}`, 120)}), which MIM CM cannot use.`,
      l10n.t('Use an http:// or https:// proxy, or add the CM host to http.noProxy to connect directly.'),
    );
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    return configError(
      l10n.t`The proxy in ${source} uses "${proxy.protocol.slice(0, 20)}", which is not a proxy scheme.`,
      l10n.t('Use an http:// or https:// proxy address.'),
    );
  }
  const username = proxy.username === '' ? undefined : decodeURIComponent(proxy.username);
  const password = proxy.password === '' ? undefined : decodeURIComponent(proxy.password);
  proxy.username = '';
  proxy.password = '';
  return { url: proxy.origin, username, password, strictSSL: settings.strictSSL };
}

/** NO_PROXY rules as curl reads them: "*", a host, a domain suffix (".contoso.com" or "contoso.com"), host:port. */
export function bypassesProxy(target: URL, rules: readonly string[]): boolean {
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  return rules.some((rule) => {
    const entry = rule.toLowerCase();
    if (entry === '*') {
      return true;
    }
    const [ruleHost = '', rulePort] = entry.startsWith('[') ? [entry.slice(1, entry.indexOf(']')), entry.split(']:')[1]] : entry.split(':');
    if (rulePort !== undefined && rulePort !== port) {
      return false;
    }
    const domain = ruleHost.replace(/^\*?\./, '');
    return host === domain || host.endsWith(`.${domain}`);
  });
}

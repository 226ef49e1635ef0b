// Where the directory is: the address the user set (mimcm.directory.url), or, when it is empty, the domain
// controllers the CM host's DNS domain advertises (`_ldap._tcp.<domain>` SRV records), as a domain member finds
// them. Also the rule that keeps a stored password away from a directory nobody chose.
import { Resolver } from 'node:dns/promises';
import * as net from 'node:net';
import { parseLdapUrl, type LdapAddress } from './ldap/ldapConnection';

export interface DirectorySettings {
  /** '' to discover, 'off', or ldaps://… / ldap://… (StartTLS). */
  readonly url: string;
  /** The URL comes from the user's own settings (not a workspace's): a simple bind may go there wherever it is. */
  readonly fromUserSettings: boolean;
}

export type DirectoryTarget =
  | { readonly kind: 'off' }
  /** Nothing set and nothing to discover from (the CM host is an address or a single name). */
  | { readonly kind: 'unknown' }
  | { readonly kind: 'invalid'; readonly url: string }
  | { readonly kind: 'address'; readonly address: LdapAddress; readonly discovered: boolean };

/** The CM host's DNS domain: cm.contoso.com → contoso.com; undefined for an address or a single label. */
export function dnsDomainOf(origin: string): string | undefined {
  const host = new URL(origin).hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  if (net.isIP(host) !== 0) {
    return undefined;
  }
  const dot = host.indexOf('.');
  return dot === -1 || dot === host.length - 1 ? undefined : host.slice(dot + 1);
}

/** Whether `host` lies in `domain` (dc01.contoso.com in contoso.com, and the domain's own name). */
export function inDomain(host: string, domain: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === domain || name.endsWith(`.${domain}`);
}

export interface SrvRecord {
  readonly name: string;
  readonly port: number;
  readonly priority: number;
  readonly weight: number;
}

export type SrvLookup = (name: string) => Promise<SrvRecord[]>;

/** DNS's answer for a SRV name, asked once, within `timeoutMs`. */
export function dnsSrvLookup(timeoutMs: number): SrvLookup {
  return (name) => {
    const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
    return resolver.resolveSrv(name);
  };
}

/**
 * The directory for a CM server. Discovery takes the advertised controller with the lowest priority (highest
 * weight among equals), reached with StartTLS on its advertised port.
 */
export async function directoryTarget(settings: DirectorySettings, cmOrigin: string, lookupSrv: SrvLookup): Promise<DirectoryTarget> {
  const url = settings.url.trim();
  if (url.toLowerCase() === 'off') {
    return { kind: 'off' };
  }
  if (url !== '') {
    const address = parseLdapUrl(url);
    return address === undefined ? { kind: 'invalid', url } : { kind: 'address', address, discovered: false };
  }
  const domain = dnsDomainOf(cmOrigin);
  if (domain === undefined) {
    return { kind: 'unknown' };
  }
  const records = await lookupSrv(`_ldap._tcp.${domain}`);
  const best = [...records]
    .filter((record) => record.name !== '' && record.name !== '.')
    .sort((a, b) => a.priority - b.priority || b.weight - a.weight)[0];
  if (best === undefined) {
    return { kind: 'unknown' };
  }
  return { kind: 'address', address: { secure: false, host: best.name.replace(/\.$/, ''), port: best.port }, discovered: true };
}

/**
 * Whether a password may be sent to this directory in a simple bind: it is in the CM host's own DNS domain (a
 * discovered controller must be too, whatever DNS says), or the user named it in their own settings. A
 * workspace must never send the stored password to a directory of its choosing.
 */
export function mayReceivePassword(target: DirectoryTarget, settings: DirectorySettings, cmOrigin: string): boolean {
  if (target.kind !== 'address') {
    return false;
  }
  const domain = dnsDomainOf(cmOrigin);
  const ownDomain = domain !== undefined && inDomain(target.address.host, domain);
  return ownDomain || (!target.discovered && settings.fromUserSettings);
}

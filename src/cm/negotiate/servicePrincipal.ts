// A Kerberos service is named two ways: SSPI (Windows) takes the SPN itself, `HTTP/cm.contoso.com`, GSSAPI (MIT
// Kerberos, Heimdal) a host-based service, `HTTP@cm.contoso.com`. Users copy whichever form their tools show, so
// either is read and each platform gets its own.

/** `HTTP/host` on Windows, `HTTP@host` elsewhere, for the CM host's name. */
export function defaultServicePrincipal(origin: string, platform: NodeJS.Platform = process.platform): string {
  const host = new URL(origin).hostname;
  return platform === 'win32' ? `HTTP/${host}` : `HTTP@${host}`;
}

interface ServiceName {
  readonly service: string;
  readonly host: string;
  readonly realm?: string;
}

/** `HTTP/host`, `HTTP/host@REALM` or `HTTP@host`; undefined for anything else. */
function readServiceName(name: string): ServiceName | undefined {
  const spn = /^([^/@\s]+)\/([^/@\s]+)(?:@([^/@\s]+))?$/.exec(name);
  if (spn !== null) {
    return { service: spn[1] ?? '', host: spn[2] ?? '', realm: spn[3] };
  }
  const hostBased = /^([^/@\s]+)@([^/@\s]+)$/.exec(name);
  return hostBased === null ? undefined : { service: hostBased[1] ?? '', host: hostBased[2] ?? '' };
}

/** The form SSPI takes: `HTTP/host` (with `@REALM` when one was given). */
export function sspiTargetName(name: string): string {
  const parsed = readServiceName(name);
  if (parsed === undefined) {
    return name;
  }
  return `${parsed.service}/${parsed.host}${parsed.realm === undefined ? '' : `@${parsed.realm}`}`;
}

/** The form GSSAPI takes: `HTTP@host` (a realm has no place in a host-based name: the host's realm applies). */
export function gssapiServiceName(name: string): string {
  const parsed = readServiceName(name);
  return parsed === undefined ? name : `${parsed.service}@${parsed.host}`;
}

/** Whether a configured name can be a service principal in either form. */
export function isServicePrincipal(name: string): boolean {
  return name.length <= 512 && !/[\u0000-\u001f\u007f]/.test(name) && readServiceName(name) !== undefined;
}

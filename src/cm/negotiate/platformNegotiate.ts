// Which library speaks Negotiate here: SSPI on Windows, GSSAPI (the `kerberos` binding) elsewhere.
import { gssapiContext, loadKerberos } from './gssapiContext';
import type { SecurityContext } from './securityContext';
import { loadSspi, sspiContext } from './sspiContext';

/** Makes the Negotiate context of one exchange for a service principal (in either form; see servicePrincipal.ts). */
export type NegotiateProvider = (servicePrincipal: string) => SecurityContext;

export function platformNegotiate(platform: NodeJS.Platform = process.platform): NegotiateProvider {
  return platform === 'win32' ? (spn) => sspiContext(spn) : (spn) => gssapiContext(spn);
}

/** Whether this build can speak Negotiate here at all (its native library loads); for `auto`, which then tries it. */
export function negotiateAvailable(platform: NodeJS.Platform = process.platform): boolean {
  try {
    if (platform === 'win32') {
      loadSspi();
    } else {
      loadKerberos();
    }
    return true;
  } catch {
    return false;
  }
}

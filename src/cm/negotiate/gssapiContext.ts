// Negotiate on Linux and macOS: SPNEGO through GSSAPI (the `kerberos` binding), with the user's own ticket from
// the credential cache (kinit). Nothing is typed or stored.
import { CmError } from '../errors';
import { cleanServerText } from '../serverText';
import { loadNativeBinding } from './nativeBinding';
import { carriesCredential, type SecurityContext } from './securityContext';
import { gssapiServiceName } from './servicePrincipal';
import * as l10n from '@vscode/l10n';

/** The part of the `kerberos` package this uses (and the directory's SASL GSSAPI bind). */
export interface KerberosBinding {
  readonly GSS_MECH_OID_SPNEGO: number;
  readonly GSS_MECH_OID_KRB5: number;
  initializeClient(service: string, options: { mechOID: number }): Promise<KerberosClient>;
}

export interface KerberosClient {
  /** Base64 in, base64 out; '' or null once nothing more is to be sent. */
  step(challenge: string): Promise<string | null>;
  /** gss_unwrap of base64 data, as base64. */
  unwrap(challenge: string): Promise<string>;
  /** gss_wrap of base64 data (integrity only unless `protect`), as base64. */
  wrap(challenge: string, options: { protect?: boolean }): Promise<string>;
  readonly contextComplete: boolean;
}

let binding: KerberosBinding | undefined;

/** Loaded on first use, so the extension activates (and every other method works) where it is missing. */
export function loadKerberos(): KerberosBinding {
  binding ??= loadNativeBinding<KerberosBinding>('kerberos', 'kerberos', 'kerberos');
  return binding;
}

export function gssapiContext(servicePrincipal: string, kerberos: KerberosBinding = loadKerberos()): SecurityContext {
  const service = gssapiServiceName(servicePrincipal);
  let client: KerberosClient | undefined;
  return {
    async next(serverToken) {
      try {
        client ??= await kerberos.initializeClient(service, { mechOID: kerberos.GSS_MECH_OID_SPNEGO });
        const answer = await client.step(serverToken === undefined ? '' : serverToken.toString('base64'));
        const token = answer === null || answer === '' ? undefined : Buffer.from(answer, 'base64');
        return { token, complete: client.contextComplete, carriesCredential: carriesCredential(token) };
      } catch (error) {
        const reason = cleanServerText(error instanceof Error ? error.message : String(error));
        throw new CmError({
          kind: 'auth',
          message:
            serverToken === undefined
              ? l10n.t`Kerberos could not get a ticket for ${service}: ${reason}`
              : l10n.t`Kerberos did not accept the server's answer for ${service}: ${reason}`,
          hint: l10n.t(
            'Sign in to the domain (Windows) or run kinit (Linux, macOS); if the server uses another service name, set mimcm.kerberos.servicePrincipal.',
          ),
          action: 'retry',
          cause: error,
        });
      }
    },
    dispose() {
      client = undefined;
    },
  };
}

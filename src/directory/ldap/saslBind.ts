// Binding to the directory with the user's own Kerberos sign-in, nothing typed: SASL GSSAPI (RFC 4752) through the
// `kerberos` binding on Linux and macOS, SASL GSS-SPNEGO through SSPI on Windows. Both run inside TLS and choose no
// SASL security layer: AD refuses one inside TLS (MS-ADTS 5.1.1.1.2), and TLS already protects the connection.
import type { KerberosBinding } from '../../cm/negotiate/gssapiContext';
import type { SecurityContext } from '../../cm/negotiate/securityContext';
import type { LdapConnection } from './ldapConnection';

/** GSSAPI's security layers (RFC 4752, section 3.3): the first octet of the server's offer and the client's choice. */
const NO_SECURITY_LAYER = 0x01;

/** A directory that keeps asking is a broken one: a Kerberos bind takes three legs. */
const MAX_LEGS = 6;

/** Why a SASL bind could not finish, beyond what the directory's result code says. */
export class SaslBindError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SaslBindError';
  }
}

/** GSSAPI with the credential cache's ticket for `ldap@host`. */
export async function bindGssapi(connection: LdapConnection, kerberos: KerberosBinding, host: string): Promise<void> {
  const client = await kerberos.initializeClient(`ldap@${host}`, { mechOID: kerberos.GSS_MECH_OID_KRB5 });
  let serverToken = '';
  for (let leg = 0; leg < MAX_LEGS; leg++) {
    let answer;
    if (!client.contextComplete) {
      const token = await client.step(serverToken);
      answer = await connection.bindSasl('GSSAPI', token === null || token === '' ? undefined : Buffer.from(token, 'base64'));
    } else {
      const offer = Buffer.from(await client.unwrap(serverToken), 'base64');
      if (offer.length < 4 || ((offer[0] ?? 0) & NO_SECURITY_LAYER) === 0) {
        throw new SaslBindError('the directory insists on a SASL security layer inside TLS');
      }
      const choice = await client.wrap(Buffer.from([NO_SECURITY_LAYER, 0, 0, 0]).toString('base64'), { protect: false });
      answer = await connection.bindSasl('GSSAPI', Buffer.from(choice, 'base64'));
      if (!answer.done) {
        throw new SaslBindError('the directory did not end the bind after the security layer was chosen');
      }
    }
    if (answer.done) {
      return;
    }
    serverToken = answer.serverCredentials?.toString('base64') ?? '';
  }
  throw new SaslBindError(`the bind did not finish after ${MAX_LEGS} rounds`);
}

/** GSS-SPNEGO with a Negotiate context (SSPI's, for `ldap/host`); the directory's last token must verify. */
export async function bindSpnego(connection: LdapConnection, context: SecurityContext): Promise<void> {
  try {
    let serverToken: Buffer | undefined;
    for (let leg = 0; leg < MAX_LEGS; leg++) {
      const step = await context.next(serverToken);
      const answer = await connection.bindSasl('GSS-SPNEGO', step.token);
      if (answer.done) {
        if (!step.complete && answer.serverCredentials !== undefined && answer.serverCredentials.length > 0) {
          await context.next(answer.serverCredentials);
        }
        return;
      }
      serverToken = answer.serverCredentials;
    }
    throw new SaslBindError(`the bind did not finish after ${MAX_LEGS} rounds`);
  } finally {
    context.dispose();
  }
}

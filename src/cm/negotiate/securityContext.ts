// The client side of an HTTP authentication handshake that takes one or more legs on one connection: SPNEGO
// (Kerberos, or NTLM inside it), and NTLM itself. The HTTP client drives it (client.ts); what produces the tokens
// differs per platform: SSPI on Windows, GSSAPI elsewhere, our own NTLM code for `ntlm`.

/** What one leg produces. */
export interface ContextStep {
  /** The token to send now; undefined when there is nothing more to send (mutual authentication checked). */
  readonly token?: Buffer;
  /** The context is established: no further token from the server is needed. */
  readonly complete: boolean;
  /** Whether the token proves who the user is (a Kerberos ticket, an NTLM AUTHENTICATE), so a 401 rejects it. */
  readonly carriesCredential: boolean;
}

export interface SecurityContext {
  /**
   * The next leg: the server's last token (none on the first leg). Throws a CmError that explains a local failure
   * (no ticket, no logon session, an unknown service principal, a server token that does not verify).
   */
  next(serverToken: Buffer | undefined): Promise<ContextStep>;
  /** Frees what the platform holds for the context; safe to call twice. */
  dispose(): void;
}

/** Starts a context for one exchange; each exchange has its own, since NTLM and Kerberos bind to a connection or a request. */
export type ContextFactory = () => Promise<SecurityContext>;

/**
 * A Kerberos context needs one leg (mutual authentication adds the server's answer), NTLM inside SPNEGO two; more
 * than this is a server that keeps asking.
 */
export const MAX_LEGS = 4;

const NTLM_NEGOTIATE = Buffer.from('NTLMSSP\0\x01\0\0\0', 'latin1');

/**
 * Whether a token proves who the user is. An NTLM NEGOTIATE, raw or inside SPNEGO, only asks for a challenge:
 * a 401 to it is the server's first answer, not a rejected logon.
 */
export function carriesCredential(token: Buffer | undefined): boolean {
  return token !== undefined && token.length > 0 && !token.includes(NTLM_NEGOTIATE);
}

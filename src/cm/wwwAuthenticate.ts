// Reads WWW-Authenticate (RFC 9110, section 11.6.1). Servers send one header per scheme or one header listing
// several, and undici hands over either a string or a list; every caller needs the same reading of all of that.

export interface Challenge {
  readonly scheme: string;
  /** The token68 after the scheme, which is how Negotiate and NTLM carry their handshake messages. */
  readonly token?: string;
}

/** A scheme is a leading token not followed by "="; `realm="x"` and `error="…"` are its parameters. */
const SCHEME = /^\s*([A-Za-z][\w-]*)(?=\s|$)/;
const TOKEN68 = /^\s*[A-Za-z][\w-]*\s+([A-Za-z0-9+/._~-]+=*)\s*$/;

export function parseChallenges(header: string | readonly string[] | undefined): Challenge[] {
  const values = typeof header === 'string' ? [header] : (header ?? []);
  const challenges: Challenge[] = [];
  // Base64 tokens never contain a comma, so splitting on commas can only cut parameters, which are skipped.
  for (const part of values.flatMap((value) => value.split(','))) {
    const scheme = SCHEME.exec(part)?.[1];
    if (scheme !== undefined) {
      const token = TOKEN68.exec(part)?.[1];
      challenges.push(token === undefined ? { scheme } : { scheme, token });
    }
  }
  return challenges;
}

/** The schemes a 401 offers (`Negotiate`, `NTLM`, `Basic realm=…`), to suggest the right setting. */
export function offeredSchemes(header: string | readonly string[] | undefined): string[] {
  return [...new Set(parseChallenges(header).map((challenge) => challenge.scheme))].slice(0, 10);
}

/**
 * The server's next handshake token: an NTLM CHALLENGE under "NTLM" or (raw, unwrapped) "Negotiate", as IIS and
 * mod_auth_gssapi send it, or a SPNEGO/Kerberos token (a continuation, or the server's mutual authentication).
 */
export function handshakeChallenge(header: string | readonly string[] | undefined): { scheme: string; token: Buffer } | undefined {
  const found = parseChallenges(header).find(
    (challenge) => /^(ntlm|negotiate|kerberos)$/i.test(challenge.scheme) && challenge.token !== undefined,
  );
  return found?.token === undefined ? undefined : { scheme: found.scheme, token: Buffer.from(found.token, 'base64') };
}

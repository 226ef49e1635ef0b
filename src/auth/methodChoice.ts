// Which sign-in methods Sign In offers first: those the server's 401 offered (WWW-Authenticate), in a fixed order,
// ADFS before a pasted token when ADFS is configured (nothing has to be copied then). Plain, for tests.
import type { AuthMethod } from '../cm/auth';

export type ChoosableMethod = Exclude<AuthMethod, 'auto' | 'none'>;

const ORDER: readonly ChoosableMethod[] = ['negotiate', 'ntlm', 'basic', 'adfs', 'bearer'];

/** The WWW-Authenticate schemes each method answers; IIS offers NTLM inside Negotiate too. */
const SCHEMES: Readonly<Record<ChoosableMethod, readonly string[]>> = {
  negotiate: ['negotiate', 'kerberos'],
  ntlm: ['ntlm', 'negotiate'],
  basic: ['basic'],
  adfs: ['bearer'],
  bearer: ['bearer'],
};

export function isOffered(method: ChoosableMethod, offeredSchemes: readonly string[]): boolean {
  const offered = offeredSchemes.map((scheme) => scheme.toLowerCase());
  return SCHEMES[method].some((scheme) => offered.includes(scheme));
}

/** Every method, the offered ones first; each group keeps the fixed order. */
export function methodOrder(offeredSchemes: readonly string[], adfsConfigured: boolean): ChoosableMethod[] {
  const rank = (method: ChoosableMethod): number =>
    (isOffered(method, offeredSchemes) ? 0 : 2) +
    (method === 'bearer' && adfsConfigured ? 1 : 0) +
    (method === 'adfs' && !adfsConfigured ? 1 : 0);
  return [...ORDER].sort((a, b) => rank(a) - rank(b) || ORDER.indexOf(a) - ORDER.indexOf(b));
}

// Checks a bearer JWT the way a web API behind ADFS does: RS256 signature against the issuer's published keys,
// issuer, audience (the resource) and expiry.
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';

export interface JwtTrust {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUri: string;
}

export async function jwtAccepted(token: string, trust: JwtTrust, now = Date.now()): Promise<boolean> {
  const [header, payload, signature] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined) {
    return false;
  }
  try {
    const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { kid?: string; alg?: string };
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown; aud?: unknown; exp?: unknown };
    const { keys } = (await (await fetch(trust.jwksUri)).json()) as { keys: (JsonWebKey & { kid?: string })[] };
    const key = keys.find((candidate) => candidate.kid === kid);
    if (alg !== 'RS256' || key === undefined) {
      return false;
    }
    const signed = verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      createPublicKey({ key, format: 'jwk' }),
      Buffer.from(signature, 'base64url'),
    );
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    return (
      signed &&
      claims.iss === trust.issuer &&
      audiences.includes(trust.audience) &&
      typeof claims.exp === 'number' &&
      claims.exp * 1000 > now
    );
  } catch {
    return false;
  }
}

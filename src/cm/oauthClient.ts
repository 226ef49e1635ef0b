// The two calls an ADFS sign-in makes from the engine's worker: the issuer's discovery document, and the token
// endpoint (code for tokens, refresh token for new tokens). They go through the same CA file, client
// certificate and proxy as the CM calls, since ADFS usually sits behind the same corporate PKI and proxy.
import { request, type Dispatcher } from 'undici';
import { z } from 'zod';
import type { ConnectionSettings } from '../settings/settings';
import type { ProxyCredential } from '../auth/storedCredentials';
import { createPool } from './dispatcher';
import { CmError } from './errors';
import { proxyFor, proxyRoute } from './proxy';
import { readBodyText } from './responseBody';
import { adfsSettingsProblem, endpointProblem } from './adfsSettings';
import { cleanServerText } from './serverText';
import { readCaFile, readClientCertificate, trustedCertificates } from './tlsOptions';
import { errorForTransport } from './transportErrors';
import * as l10n from '@vscode/l10n';

/** A discovery document or a token answer is a few KB; anything larger is not one. */
const MAX_OAUTH_BYTES = 1024 * 1024;

export interface OAuthEndpoints {
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
}

/** What a token endpoint issued; `expiresIn` in seconds. */
export interface TokenAnswer {
  readonly accessToken: string;
  readonly refreshToken?: string;
  readonly idToken?: string;
  readonly expiresIn?: number;
}

export interface OAuthSecrets {
  readonly proxy?: ProxyCredential;
  readonly passphrase?: string;
}

const discoverySchema = z.looseObject({
  authorization_endpoint: z.string(),
  token_endpoint: z.string(),
});

const tokenSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  id_token: z.string().optional(),
  // ADFS has sent expires_in as a string in some versions.
  expires_in: z.union([z.number(), z.string()]).optional(),
});

const oauthErrorSchema = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
});

/** Reads the issuer's OpenID configuration: where the browser signs in and where codes become tokens. */
export async function discoverEndpoints(connection: ConnectionSettings, secrets: OAuthSecrets): Promise<OAuthEndpoints> {
  const problem = adfsSettingsProblem(connection.adfs);
  if (problem !== undefined) {
    throw new CmError({
      kind: 'config',
      message: problem,
      hint: l10n.t('Set the ADFS settings, then sign in again.'),
      action: 'openSettings',
    });
  }
  const url = `${connection.adfs.authority.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const answer = await exchange(connection, secrets, url, { method: 'GET' });
  if (answer.status !== 200) {
    throw new CmError({
      kind: 'httpStatus',
      status: answer.status,
      url,
      message: l10n.t`ADFS did not return its OpenID configuration (HTTP ${answer.status}).`,
      hint: l10n.t('Check mimcm.adfs.authority: it is the issuer, e.g. https://adfs.contoso.com/adfs.'),
      action: 'openSettings',
    });
  }
  const parsed = discoverySchema.safeParse(parseJson(answer.text, url));
  const endpoints = parsed.success
    ? { authorizationEndpoint: parsed.data.authorization_endpoint, tokenEndpoint: parsed.data.token_endpoint }
    : undefined;
  const bad =
    endpoints === undefined
      ? l10n.t('it names no authorization or token endpoint')
      : (endpointProblem(endpoints.authorizationEndpoint) ?? endpointProblem(endpoints.tokenEndpoint));
  if (endpoints === undefined || bad !== undefined) {
    throw new CmError({
      kind: 'notJson',
      url,
      message: l10n.t`The OpenID configuration of ${new URL(url).host} cannot be used: ${bad ?? ''}.`,
      hint: l10n.t('Check mimcm.adfs.authority: it is the issuer, e.g. https://adfs.contoso.com/adfs.'),
      action: 'openSettings',
    });
  }
  return endpoints;
}

/** Posts a token request (authorization code or refresh token) and reads what was issued. */
export async function requestTokens(
  connection: ConnectionSettings,
  secrets: OAuthSecrets,
  form: Readonly<Record<string, string>>,
): Promise<TokenAnswer> {
  const { tokenEndpoint } = await discoverEndpoints(connection, secrets);
  const answer = await exchange(connection, secrets, tokenEndpoint, {
    method: 'POST',
    body: new URLSearchParams(form).toString(),
  });
  const json = parseJson(answer.text, tokenEndpoint);
  if (answer.status !== 200) {
    const failure = oauthErrorSchema.safeParse(json);
    const code = failure.success ? cleanServerText(failure.data.error, 60) : l10n.t`HTTP ${answer.status}`;
    const description =
      failure.success && failure.data.error_description ? `: ${cleanServerText(failure.data.error_description, 200)}` : '';
    const ended = failure.success && failure.data.error === 'invalid_grant';
    throw new CmError({
      kind: 'auth',
      status: answer.status,
      url: tokenEndpoint,
      message: l10n.t`ADFS did not issue a token (${code}${description}).`,
      hint: ended
        ? l10n.t('Your ADFS sign-in has ended or was revoked; run "MIM CM: Sign In" again.')
        : l10n.t('Check mimcm.adfs.clientId and mimcm.adfs.resource against the application registered in ADFS.'),
      action: ended ? 'signIn' : 'openSettings',
    });
  }
  const parsed = tokenSchema.safeParse(json);
  if (!parsed.success) {
    throw new CmError({
      kind: 'notJson',
      url: tokenEndpoint,
      message: l10n.t('ADFS answered the token request without an access token.'),
      hint: l10n.t('Check the application registered in ADFS; the log has details.'),
      action: 'showLog',
    });
  }
  const expiresIn = Number(parsed.data.expires_in);
  return {
    accessToken: parsed.data.access_token,
    refreshToken: parsed.data.refresh_token,
    idToken: parsed.data.id_token,
    expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : undefined,
  };
}

function parseJson(text: string, url: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CmError({
      kind: 'notJson',
      url,
      message: l10n.t`${new URL(url).host} did not answer with JSON (${cleanServerText(text, 80) || l10n.t('an empty body')}).`,
      hint: l10n.t('Check mimcm.adfs.authority: a sign-in page or proxy may be answering instead of ADFS.'),
      action: 'openSettings',
    });
  }
}

async function exchange(
  connection: ConnectionSettings,
  secrets: OAuthSecrets,
  url: string,
  outgoing: { method: 'GET' | 'POST'; body?: string },
): Promise<{ status: number; text: string }> {
  const timeoutMs = connection.requestTimeoutSeconds * 1000;
  const { dispatcher, proxyUrl } = dispatcherFor(connection, secrets, url, timeoutMs);
  const phase = { readingBody: false };
  try {
    // request() follows no redirects: a token never travels to an address the discovery did not name.
    const response = await request(url, {
      method: outgoing.method,
      body: outgoing.body,
      dispatcher,
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        accept: 'application/json',
        ...(outgoing.body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
    });
    phase.readingBody = true;
    const header = (name: string): string | undefined => {
      const value = response.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const text = await readBodyText(response.body, {
      url,
      maxBytes: MAX_OAUTH_BYTES,
      contentType: header('content-type'),
      contentEncoding: header('content-encoding'),
      contentLength: header('content-length'),
    });
    return { status: response.statusCode, text };
  } catch (error) {
    throw error instanceof CmError
      ? error
      : errorForTransport(error, { url, timeoutSeconds: connection.requestTimeoutSeconds, whileReadingBody: phase.readingBody, proxyUrl });
  } finally {
    void dispatcher.close().catch(() => undefined);
  }
}

/** A one-call pool with the connection's trust, client certificate and proxy for this address. */
function dispatcherFor(
  connection: ConnectionSettings,
  secrets: OAuthSecrets,
  url: string,
  timeoutMs: number,
): { dispatcher: Dispatcher; proxyUrl?: string } {
  const caFile = connection.caFile === '' ? undefined : readCaFile(connection.caFile);
  if (caFile instanceof CmError) {
    throw caFile;
  }
  const clientCertificate =
    connection.clientCertificate === '' ? undefined : readClientCertificate(connection.clientCertificate, secrets.passphrase);
  if (clientCertificate instanceof CmError) {
    throw clientCertificate;
  }
  const choice = proxyFor(new URL(url), connection.proxy);
  if (choice instanceof CmError) {
    throw choice;
  }
  const proxy = choice === undefined ? undefined : proxyRoute(choice, secrets.proxy);
  return {
    proxyUrl: proxy?.url,
    dispatcher: createPool({ timeoutMs, ca: trustedCertificates(caFile).ca, clientCertificate, proxy }),
  };
}

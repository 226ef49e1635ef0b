// The connection pool a call goes through: TLS with the configured trust and client certificate, directly or
// through the proxy. One place for both the CM client and the ADFS calls, so both reach their server alike.
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import type { ClientCertificate } from './tlsOptions';

export interface ProxyRoute {
  readonly url: string;
  /** Answers the proxy's 407 (Basic), when a proxy sign-in is known. */
  readonly authorization?: string;
  readonly strictSSL: boolean;
}

export interface PoolOptions {
  readonly timeoutMs: number;
  /** CA certificates (PEM) to trust instead of Node's defaults; see tlsOptions.ts. */
  readonly ca?: string[];
  readonly clientCertificate?: ClientCertificate;
  readonly proxy?: ProxyRoute;
  /** Keep-alive, and how long idle connections stay. */
  readonly keepAliveTimeoutMs?: number;
  /** One connection, one request at a time (an NTLM handshake authenticates its connection). */
  readonly single?: boolean;
}

export function createPool({ timeoutMs, ca, clientCertificate, proxy, keepAliveTimeoutMs, single = false }: PoolOptions): Dispatcher {
  const tls = { timeout: timeoutMs, ...(ca === undefined ? {} : { ca }), ...clientCertificate };
  const common = {
    ...(keepAliveTimeoutMs === undefined ? {} : { keepAliveTimeout: keepAliveTimeoutMs }),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    ...(single ? { connections: 1, pipelining: 1 } : {}),
  };
  if (proxy === undefined) {
    return new Agent({ ...common, connect: tls });
  }
  return new ProxyAgent({
    ...common,
    uri: proxy.url,
    token: proxy.authorization,
    requestTls: tls,
    proxyTls: { timeout: timeoutMs, rejectUnauthorized: proxy.strictSSL },
  });
}

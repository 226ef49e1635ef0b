import { CmClient } from './cm/client';
import type { CmError } from './cm/errors';
import { resolveEndpoint } from './cm/endpoint';
import type { CmLogger } from './cm/logger';
import type { ReceivedRequest } from './cm/schemas';
import type { ExtensionSettings } from './config';

export type ConnectionState =
  | { readonly kind: 'unset' }
  | { readonly kind: 'invalid'; readonly error: CmError }
  | { readonly kind: 'ready'; readonly client: CmClient; readonly settings: ExtensionSettings };

/** Owns the CM client built from the current settings, and closes the old one's connections on change. */
export class CmConnection {
  private current: ConnectionState = { kind: 'unset' };

  constructor(
    private readonly logger: CmLogger,
    private readonly userAgent: string,
  ) {}

  get state(): ConnectionState {
    return this.current;
  }

  /** Applies new settings; returns true when the server (host or API path) changed. */
  apply(settings: ExtensionSettings): boolean {
    const before = this.current.kind === 'ready' ? this.serverKey(this.current.settings) : undefined;
    this.closeClient();
    if (settings.host === '') {
      this.current = { kind: 'unset' };
      this.logger.info('No CM host is configured (mimcm.host).');
    } else {
      const resolved = resolveEndpoint(settings.host, settings.apiPath);
      if (resolved.ok) {
        const client = new CmClient({
          endpoint: resolved.endpoint,
          targetUser: settings.targetUser,
          timeoutSeconds: settings.requestTimeoutSeconds,
          logger: this.logger,
          userAgent: this.userAgent,
        });
        this.current = { kind: 'ready', client, settings };
        this.logger.info(`Using CM API ${resolved.endpoint.origin}${resolved.endpoint.apiPath} (targetuser: ${settings.targetUser}, timeout ${settings.requestTimeoutSeconds} s).`);
      } else {
        this.current = { kind: 'invalid', error: resolved.error };
        this.logger.warn(resolved.error.describe());
      }
    }
    return before !== (this.current.kind === 'ready' ? this.serverKey(this.current.settings) : undefined);
  }

  /** The configured server as users name it, for messages. */
  get hostLabel(): string {
    return this.current.kind === 'ready' ? this.current.client.hostLabel : 'no host';
  }

  /** Reads one request from whatever server is configured now (e.g. for a tab restored at startup). */
  getRequest(requestId: string, signal: AbortSignal): Promise<ReceivedRequest | undefined> {
    const state = this.current;
    if (state.kind !== 'ready') {
      return Promise.reject(new Error(state.kind === 'unset' ? 'No MIM CM host is configured (mimcm.host).' : state.error.describe()));
    }
    return state.client.getRequest(requestId, signal);
  }

  dispose(): void {
    this.closeClient();
  }

  private serverKey(settings: ExtensionSettings): string {
    return `${settings.host}|${settings.apiPath}`;
  }

  private closeClient(): void {
    if (this.current.kind === 'ready') {
      const { client } = this.current;
      client.close().catch((error: unknown) => this.logger.debug(`Closing the old CM connection pool: ${String(error)}`));
    }
  }
}

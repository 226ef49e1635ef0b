// One LDAP connection to a directory: TLS from the start (ldaps://) or after StartTLS (ldap://), messages framed
// and matched to their operation by id, every operation bounded in time and size, and abortable. Search result
// references are never followed: AD answers a search from the domain root with referrals to its other partitions.
import * as net from 'node:net';
import * as tls from 'node:tls';
import { BerError, completeLength, TAG } from './ber';
import {
  parseResponse,
  RESULT,
  saslBindRequest,
  searchRequest,
  simpleBindRequest,
  startTlsRequest,
  unbindRequest,
  type LdapResult,
  type Response,
  type SearchEntry,
  type SearchParameters,
} from './messages';

/** A failure of the connection itself (not an LDAP result): refused, timed out, TLS, a broken message. */
export class LdapTransportError extends Error {
  constructor(
    message: string,
    readonly reason: 'timeout' | 'tls' | 'connect' | 'protocol' | 'closed' | 'tooLarge' | 'aborted',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LdapTransportError';
  }
}

/** An operation the directory answered with a result other than success. */
export class LdapResultError extends Error {
  constructor(
    readonly operation: string,
    readonly result: LdapResult,
  ) {
    // Not user text: a diagnostic; src/directory explains the result code in words.
    super(`${operation}: result ${result.resultCode}`);
    this.name = 'LdapResultError';
  }
}

export interface LdapAddress {
  readonly secure: boolean;
  readonly host: string;
  readonly port: number;
}

/** `ldaps://host[:636]` or `ldap://host[:389]`; undefined for anything else. */
export function parseLdapUrl(text: string): LdapAddress | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  const secure = url.protocol === 'ldaps:';
  if ((!secure && url.protocol !== 'ldap:') || url.hostname === '' || url.username !== '' || url.password !== '') {
    return undefined;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return { secure, host, port: url.port === '' ? (secure ? 636 : 389) : Number(url.port) };
}

export interface LdapConnectOptions {
  readonly address: LdapAddress;
  /** Each operation (and the connection itself) fails after this long. */
  readonly timeoutMs: number;
  /** Trusted CA certificates (PEM); undefined for Node's own. */
  readonly ca?: readonly string[];
  /** No message from the directory may be larger. */
  readonly maxMessageBytes: number;
  /** Only for a directory on this machine that is asked nothing secret (the simulator's stand-in). */
  readonly allowPlain?: boolean;
  readonly signal: AbortSignal;
}

export interface SearchLimits {
  /** Entries kept at most; the rest is dropped, and `truncated` says so. */
  readonly maxEntries: number;
  /** Bytes of entries kept at most. */
  readonly maxBytes: number;
}

export interface SearchResult {
  readonly entries: readonly SearchEntry[];
  readonly truncated: boolean;
}

interface Waiting {
  readonly operation: string;
  readonly resolve: (response: Response) => void;
  readonly reject: (error: Error) => void;
  readonly onEntry?: (entry: SearchEntry, bytes: number) => void;
}

export class LdapConnection {
  private socket: net.Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private failure: Error | undefined;
  /** Set while StartTLS swaps the socket, so the old one's end is not taken for the directory hanging up. */
  private upgrading = false;

  private constructor(
    socket: net.Socket,
    private readonly options: LdapConnectOptions,
  ) {
    this.socket = socket;
    this.attach(socket);
    options.signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Connects, upgrading with StartTLS for ldap:// (unless `allowPlain` and nothing secret will be sent). */
  static async open(options: LdapConnectOptions): Promise<LdapConnection> {
    const { address } = options;
    const socket = address.secure ? await secureSocket(options) : await plainSocket(options);
    const connection = new LdapConnection(socket, options);
    if (!address.secure && !options.allowPlain) {
      try {
        await connection.startTls();
      } catch (error) {
        connection.close();
        throw error;
      }
    }
    return connection;
  }

  get secure(): boolean {
    return this.socket instanceof tls.TLSSocket;
  }

  async bindSimple(name: string, password: string): Promise<void> {
    if (!this.secure) {
      throw new LdapTransportError('a simple bind needs TLS', 'tls');
    }
    const response = await this.send('bind', (id) => simpleBindRequest(id, name, password));
    checkResult('bind', response);
  }

  /** One leg of a SASL bind: the directory's answer and its credentials (RFC 4513, section 5.2.1.2). */
  async bindSasl(mechanism: string, credentials: Uint8Array | undefined): Promise<{ done: boolean; serverCredentials?: Buffer }> {
    const response = await this.send('bind', (id) => saslBindRequest(id, mechanism, credentials));
    if (response.kind !== 'bind') {
      throw new LdapTransportError(`the directory answered a bind with ${response.kind}`, 'protocol');
    }
    if (response.result.resultCode === RESULT.SASL_BIND_IN_PROGRESS) {
      return { done: false, serverCredentials: response.serverSaslCreds };
    }
    checkResult('bind', response);
    return { done: true, serverCredentials: response.serverSaslCreds };
  }

  /** The entries of one search, within `limits`; references (referrals to other partitions) are skipped. */
  async search(parameters: SearchParameters, limits: SearchLimits): Promise<SearchResult> {
    const entries: SearchEntry[] = [];
    let bytes = 0;
    let truncated = false;
    const response = await this.send(
      'search',
      (id) => searchRequest(id, parameters),
      (entry, size) => {
        if (entries.length < limits.maxEntries && bytes + size <= limits.maxBytes) {
          entries.push(entry);
          bytes += size;
        } else {
          truncated = true;
        }
      },
    );
    // A size or time limit still delivers the entries found before it: a partial answer, not a failure.
    if (
      response.kind === 'done' &&
      (response.result.resultCode === RESULT.SIZE_LIMIT_EXCEEDED || response.result.resultCode === RESULT.TIME_LIMIT_EXCEEDED)
    ) {
      return { entries, truncated: true };
    }
    checkResult('search', response);
    return { entries, truncated };
  }

  /** Unbinds (politely) and closes; safe to call twice. */
  close(): void {
    this.options.signal.removeEventListener('abort', this.onAbort);
    if (!this.socket.destroyed && this.failure === undefined) {
      this.socket.end(unbindRequest(this.nextId++));
    }
    this.fail(new LdapTransportError('the connection was closed', 'closed'));
    this.socket.destroy();
  }

  private async startTls(): Promise<void> {
    const response = await this.send('StartTLS', (id) => startTlsRequest(id));
    checkResult('StartTLS', response);
    const plain = this.socket;
    this.upgrading = true;
    plain.removeAllListeners('data');
    try {
      const upgraded = await secureSocket(this.options, plain);
      this.socket = upgraded;
      this.attach(upgraded);
    } finally {
      this.upgrading = false;
    }
  }

  private attach(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => this.fail(transportError(error)));
    socket.on('close', () => {
      if (!this.upgrading) {
        this.fail(new LdapTransportError('the directory closed the connection', 'closed'));
      }
    });
  }

  private send(operation: string, encode: (id: number) => Buffer, onEntry?: Waiting['onEntry']): Promise<Response> {
    if (this.failure !== undefined) {
      return Promise.reject(this.failure);
    }
    const id = this.nextId++;
    return new Promise<Response>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(
          new LdapTransportError(`the directory did not answer the ${operation} within ${this.options.timeoutMs / 1000} s`, 'timeout'),
        );
      }, this.options.timeoutMs);
      timer.unref?.();
      const settle =
        <T>(then: (value: T) => void) =>
        (value: T) => {
          clearTimeout(timer);
          this.waiting.delete(id);
          then(value);
        };
      this.waiting.set(id, { operation, resolve: settle(resolve), reject: settle(reject), onEntry });
      this.socket.write(encode(id));
    });
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    try {
      for (;;) {
        // Every LDAP message is a SEQUENCE: anything else (an HTTP or TLS answer on the port) is known at once.
        if (this.buffer.length > 0 && this.buffer[0] !== TAG.SEQUENCE) {
          throw new BerError(`it starts with byte 0x${(this.buffer[0] ?? 0).toString(16).padStart(2, '0')}, not an LDAP message`);
        }
        const length = completeLength(this.buffer, this.options.maxMessageBytes);
        if (length === undefined) {
          return;
        }
        const bytes = this.buffer.subarray(0, length);
        this.buffer = this.buffer.subarray(length);
        this.dispatch(parseResponse(bytes), length);
      }
    } catch (error) {
      const tooLarge = error instanceof BerError && /more than the .* allowed/.test(error.message);
      this.fail(
        new LdapTransportError(
          `the directory sent a message that is not LDAP: ${error instanceof Error ? error.message : String(error)}`,
          tooLarge ? 'tooLarge' : 'protocol',
          {
            cause: error,
          },
        ),
      );
      this.socket.destroy();
    }
  }

  private dispatch(response: Response, size: number): void {
    if (response.id === 0) {
      // A notice of disconnection (RFC 4511, section 4.4.1): the directory is going away.
      this.fail(new LdapTransportError('the directory ended the connection', 'closed'));
      return;
    }
    const waiting = this.waiting.get(response.id);
    if (waiting === undefined) {
      return;
    }
    if (response.kind === 'entry') {
      waiting.onEntry?.(response.entry, size);
    } else if (response.kind !== 'reference') {
      waiting.resolve(response);
    }
  }

  private readonly onAbort = (): void => {
    this.fail(new LdapTransportError('canceled', 'aborted'));
    this.socket.destroy();
  };

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of [...this.waiting.values()]) {
      waiting.reject(this.failure);
    }
    this.waiting.clear();
  }
}

function checkResult(operation: string, response: Response): void {
  if (response.kind !== 'bind' && response.kind !== 'done' && response.kind !== 'extended') {
    throw new LdapTransportError(`the directory answered the ${operation} with ${response.kind}`, 'protocol');
  }
  if (response.result.resultCode !== RESULT.SUCCESS) {
    throw new LdapResultError(operation, response.result);
  }
}

function transportError(error: Error): LdapTransportError {
  const code = (error as { code?: unknown }).code;
  const tlsFailure = typeof code === 'string' && /CERT|SSL|TLS|SELF_SIGNED|HOSTNAME|UNABLE_TO_|DEPTH_ZERO|ISSUER/.test(code);
  return new LdapTransportError(error.message, tlsFailure ? 'tls' : 'connect', { cause: error });
}

function withTimeout<T extends net.Socket>(socket: T, options: LdapConnectOptions, ready: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const done = (error?: Error): void => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', abort);
      socket.removeListener('error', done);
      if (error === undefined) {
        resolve(socket);
      } else {
        socket.destroy();
        reject(error instanceof LdapTransportError ? error : transportError(error));
      }
    };
    const abort = (): void => done(new LdapTransportError('canceled', 'aborted'));
    const timer = setTimeout(
      () => done(new LdapTransportError(`no connection to the directory within ${options.timeoutMs / 1000} s`, 'timeout')),
      options.timeoutMs,
    );
    options.signal.addEventListener('abort', abort, { once: true });
    socket.once('error', done);
    socket.once(ready, () => done());
  });
}

function plainSocket(options: LdapConnectOptions): Promise<net.Socket> {
  const { host, port } = options.address;
  return withTimeout(net.connect({ host, port }), options, 'connect');
}

/** TLS with the host's name checked against its certificate, trusting `ca` (or Node's roots). */
function secureSocket(options: LdapConnectOptions, socket?: net.Socket): Promise<tls.TLSSocket> {
  const { host, port } = options.address;
  const secured = tls.connect({
    host,
    port,
    socket,
    // SNI takes names only; an address is still checked against the certificate's IP entries.
    servername: net.isIP(host) === 0 ? host : undefined,
    ca: options.ca === undefined ? undefined : [...options.ca],
    minVersion: 'TLSv1.2',
  });
  return withTimeout(secured, options, 'secureConnect');
}

import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

/** One request as the misbehaving server received it: its request line and headers, lower-cased names. */
export interface RawRequest {
  readonly line: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** What a test does with each request: write anything (or nothing) to the socket, whatever HTTP allows. */
export type RawHandler = (socket: Socket, request: RawRequest, index: number) => void;

export interface RawServer {
  readonly url: string;
  /** Every request received, in order, across connections. */
  readonly requests: RawRequest[];
  /** How many connections were opened (a TLS one counts when its handshake starts). */
  readonly connections: () => number;
  stop(): Promise<void>;
}

/**
 * A server of our own on raw TCP (or TLS) sockets, for answers no well-behaved HTTP library would send:
 * endless or lying bodies, trickled bytes, resets, hostile headers. Keep-alive requests are read in turn.
 */
export async function startRawServer(handler: RawHandler, tls?: { key: Buffer; cert: Buffer; handshake?: 'hang' }): Promise<RawServer> {
  const requests: RawRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const onSocket = (socket: Socket): void => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end !== -1; end = buffered.indexOf('\r\n\r\n')) {
        const [line = '', ...headerLines] = buffered.slice(0, end).split('\r\n');
        buffered = buffered.slice(end + 4);
        const headers: Record<string, string> = {};
        for (const header of headerLines) {
          const colon = header.indexOf(':');
          headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
        }
        const request = { line, headers };
        requests.push(request);
        handler(socket, request, requests.length - 1);
      }
    });
  };
  let server: Server;
  if (tls === undefined) {
    server = createNetServer(onSocket);
  } else if (tls.handshake === 'hang') {
    // Accepts the TCP connection and never answers the TLS ClientHello.
    server = createNetServer((socket) => {
      connections++;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    });
  } else {
    server = createTlsServer({ key: tls.key, cert: tls.cert }, onSocket);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    stop: async () => {
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A complete HTTP/1.1 response head; `length` adds Content-Length. */
export function head(status: string, headers: Record<string, string | number> = {}): string {
  return `HTTP/1.1 ${status}\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
}

import { jwtAccepted, type JwtTrust } from './jwtCheck';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { CURRENT_USER_UUID, READ_ONLY_USER_UUID, STATUS_CODES, type SimulatedRequest } from './data';
import { LinkedObjects } from './linkedObjects';

/** Failures the simulator can stage, for tests and demos of the extension's error handling. */
export const FAULT_MODES = [
  'none',
  '401',
  '403',
  '500',
  'html',
  'malformed',
  'truncated',
  'drop',
  'delay',
  'disabled',
  'badrecord',
  'empty',
] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export interface Fault {
  readonly mode: FaultMode;
  /** For 'delay': how long to wait before answering normally. */
  readonly delayMs?: number;
}

/** Credentials the simulator demands, like an IIS site with Basic auth or an ADFS-protected API. */
export type SimulatorAuth =
  | { readonly basic: { readonly username: string; readonly password: string } }
  | { readonly bearer: string }
  | { readonly jwt: JwtTrust }
  | undefined;

export interface SimulatorOptions {
  readonly requests: readonly SimulatedRequest[];
  /** The IIS virtual folder plus API version, matched case-insensitively like IIS does. */
  readonly prefix?: string;
  readonly fault?: Fault;
  readonly auth?: SimulatorAuth;
  /** False: serve requests only (404 elsewhere), like a server where the linked objects' routes are blocked. */
  readonly linkedObjects?: boolean;
  /** Serve https with this key and certificate (PEM), as an IIS site with a corporate certificate would. */
  readonly tls?: {
    readonly key: string | Buffer;
    readonly cert: string | Buffer;
    /** With `ca`, demand a client certificate issued by it, as IIS "Require SSL client certificates" does. */
    readonly clientCa?: string | Buffer;
  };
}

/** Out-of-band control, outside the API prefix, so another process (an e2e test) can stage a fault. */
export const CONTROL_PATH = '/__simulator';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * A local stand-in for the CM REST API's request endpoints: same routes, numeric codes, 204 for "nothing",
 * name-based status filter. It knows nothing of the extension.
 */
export class CmSimulator {
  private readonly server: Server;
  private readonly scheme: 'http' | 'https';
  private readonly prefix: string;
  private readonly byId = new Map<string, SimulatedRequest>();
  private readonly linked: LinkedObjects | undefined;
  private fault: Fault;
  private auth: SimulatorAuth;
  /** Path and query of every API call served, in order: tests read it to check what the client asked for. */
  readonly calls: string[] = [];

  constructor(options: SimulatorOptions) {
    this.prefix = (options.prefix ?? '/CertificateManagement/api/v1.0').replace(/\/+$/, '').toLowerCase();
    this.fault = options.fault ?? { mode: 'none' };
    this.auth = options.auth;
    for (const request of options.requests) {
      this.byId.set(request.Uuid.toLowerCase(), request);
    }
    this.linked = options.linkedObjects === false ? undefined : new LinkedObjects(this.byId.values());
    const listener = (req: IncomingMessage, res: ServerResponse): void => {
      this.handle(req, res).catch((error: unknown) => {
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    };
    this.scheme = options.tls === undefined ? 'http' : 'https';
    this.server =
      options.tls === undefined
        ? createServer(listener)
        : createTlsServer(
            {
              key: options.tls.key,
              cert: options.tls.cert,
              ...(options.tls.clientCa === undefined ? {} : { ca: options.tls.clientCa, requestCert: true, rejectUnauthorized: true }),
            },
            listener,
          );
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `${this.scheme}://${shownHost}:${address.port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  setFault(fault: Fault): void {
    this.fault = fault;
  }

  setAuth(auth: SimulatorAuth): void {
    this.auth = auth;
  }

  /** Undefined when the request may pass; otherwise the challenge to answer with a 401. */
  private async challenge(req: IncomingMessage): Promise<string | undefined> {
    const auth = this.auth;
    if (auth === undefined) {
      return undefined;
    }
    const given = req.headers.authorization ?? '';
    if ('basic' in auth) {
      const expected = `Basic ${Buffer.from(`${auth.basic.username}:${auth.basic.password}`).toString('base64')}`;
      return given === expected ? undefined : 'Basic realm="CM simulator"';
    }
    const accepted =
      'jwt' in auth ? given.startsWith('Bearer ') && (await jwtAccepted(given.slice(7), auth.jwt)) : given === `Bearer ${auth.bearer}`;
    return accepted ? undefined : given === '' ? 'Bearer' : 'Bearer error="invalid_token"';
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (url.pathname.startsWith(CONTROL_PATH)) {
      await this.handleControl(req, res, url);
      return;
    }
    this.calls.push(`${url.pathname}${url.search}`);
    const challenge = await this.challenge(req);
    if (challenge !== undefined) {
      res.writeHead(401, { 'content-type': JSON_TYPE, 'www-authenticate': challenge });
      res.end(JSON.stringify({ Message: 'Authorization has been denied for this request.' }));
      return;
    }
    const fault = this.fault;
    switch (fault.mode) {
      case 'drop':
        req.socket.destroy();
        return;
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 5000));
        break;
      case '401':
        res.writeHead(401, { 'content-type': 'text/html', 'www-authenticate': 'Negotiate' });
        res.end('<html><head><title>401 - Unauthorized: Access is denied due to invalid credentials.</title></head><body></body></html>');
        return;
      case '403':
        sendJson(res, 403, { Message: 'Authorization has been denied for this request.' });
        return;
      case '500':
        sendServerError(res);
        return;
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          '<!DOCTYPE html><html><head><title>Sign In</title></head><body><form method="post"><input name="UserName"></form></body></html>',
        );
        return;
      case 'malformed':
        sendRaw(res, 200, '[{"Uuid":"a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099","RequestType":1,"Status":3,');
        return;
      case 'truncated': {
        const body = JSON.stringify([...this.byId.values()]);
        res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) });
        res.write(body.slice(0, Math.floor(body.length / 2)), () => res.destroy());
        return;
      }
      default:
        break;
    }
    await this.route(req, res, url);
  }

  /**
   * PUT requests/{id} {"status": "Canceled" | "Abandoned" | "Completed"}: the one write the API has. Cancel
   * ends an open request; Abandon ends an approved or executing one in Failed (as the SDK's Abandon does). The
   * read-only user's requests answer 403, as CM does for a caller without the permission.
   */
  private async update(req: IncomingMessage, res: ServerResponse, apiPath: string): Promise<void> {
    const match = /^requests\/([0-9a-f-]{36})$/.exec(apiPath);
    const request = match?.[1] === undefined ? undefined : this.byId.get(match[1]);
    if (request === undefined) {
      sendIisNotFound(res);
      return;
    }
    let wanted: unknown;
    try {
      wanted = (JSON.parse(await readBody(req)) as { status?: unknown }).status;
    } catch {
      sendServerError(res);
      return;
    }
    if (request.TargetUserUuid === READ_ONLY_USER_UUID) {
      sendJson(res, 403, { Message: 'Authorization has been denied for this request.' });
      return;
    }
    const status = request.Status;
    const verb = typeof wanted === 'string' ? wanted.toLowerCase() : '';
    const open = [STATUS_CODES.Pending, STATUS_CODES.Approved];
    const running = [STATUS_CODES.Approved, STATUS_CODES.Executing];
    const next =
      verb === 'canceled' && open.includes(status)
        ? STATUS_CODES.Canceled
        : verb === 'abandoned' && running.includes(status)
          ? STATUS_CODES.Failed
          : verb === 'completed' && status === STATUS_CODES.Executing
            ? STATUS_CODES.Completed
            : undefined;
    if (next === undefined) {
      sendServerError(res);
      return;
    }
    request.Status = next;
    request.Completed = new Date().toISOString();
    sendJson(res, 200, request);
  }

  private async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.replace(/\/+$/, '').toLowerCase();
    const inApi = this.fault.mode !== 'disabled' && path.startsWith(`${this.prefix}/`);
    const apiPath = decodeURIComponent(path.slice(this.prefix.length + 1)).replace(/\{([0-9a-f-]{36})\}/g, '$1');
    if (inApi && req.method === 'PUT') {
      await this.update(req, res, apiPath);
      return;
    }
    const linked = this.linked;
    if (inApi && req.method === 'GET' && !apiPath.startsWith('requests') && linked !== undefined) {
      sendFound(res, linkedObject(linked, apiPath));
      return;
    }
    if (!inApi || req.method !== 'GET') {
      sendIisNotFound(res);
      return;
    }
    const linkedOfRequest = /^requests\/([0-9a-f-]{36})\/(profiles|certificaterequestgenerationoptions)$/.exec(apiPath);
    if (linkedOfRequest !== null && linked !== undefined) {
      const request = this.byId.get(linkedOfRequest[1] ?? '');
      sendFound(
        res,
        request === undefined ? undefined : linkedOfRequest[2] === 'profiles' ? linked.profilesOf(request) : linked.generationOptions(),
      );
      return;
    }
    const rest = apiPath.slice('requests'.length);
    const params = lowerCaseParams(url.searchParams);
    const targetUser = params.get('targetuser');
    if (targetUser !== undefined && targetUser.toLowerCase() !== 'current') {
      sendServerError(res);
      return;
    }
    if (rest === '') {
      this.sendList(res, params.get('status'), targetUser !== undefined);
      return;
    }
    const id = rest.replace(/^\//, '').replace(/^\{(.*)\}$/, '$1');
    const request = this.byId.get(id);
    if (request === undefined) {
      sendRaw(res, 204, '');
      return;
    }
    sendJson(res, 200, request);
  }

  private sendList(res: ServerResponse, statusName: string | undefined, onlyCurrentUser: boolean): void {
    let requests = [...this.byId.values()];
    if (statusName !== undefined) {
      const entry = Object.entries(STATUS_CODES).find(([name]) => name.toLowerCase() === statusName.toLowerCase());
      if (entry === undefined) {
        // The real API parses the name into its enum and fails on anything else.
        sendServerError(res);
        return;
      }
      requests = requests.filter((request) => request.Status === entry[1]);
    }
    if (onlyCurrentUser) {
      requests = requests.filter((request) => request.TargetUserUuid === CURRENT_USER_UUID);
    }
    if (this.fault.mode === 'empty') {
      requests = [];
    }
    if (this.fault.mode === 'badrecord' && requests.length > 0) {
      // One record a client cannot read, among good ones: it must report it without hiding the rest.
      sendJson(res, 200, [...requests, { Uuid: 'not-a-guid', Status: { code: 16 }, RequestType: 1 }]);
      return;
    }
    if (requests.length === 0) {
      sendRaw(res, 204, '');
      return;
    }
    sendJson(res, 200, requests);
  }

  private async handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method === 'POST' && url.pathname === `${CONTROL_PATH}/fault`) {
      const body = await readBody(req);
      const parsed = JSON.parse(body === '' ? '{}' : body) as { mode?: string; delayMs?: number };
      const mode = FAULT_MODES.find((candidate) => candidate === parsed.mode);
      if (mode === undefined) {
        sendJson(res, 400, { Message: `mode must be one of ${FAULT_MODES.join(', ')}` });
        return;
      }
      this.setFault({ mode, delayMs: parsed.delayMs });
      sendJson(res, 200, this.fault);
      return;
    }
    if (req.method === 'POST' && url.pathname === `${CONTROL_PATH}/auth`) {
      const body = await readBody(req);
      const parsed = JSON.parse(body === '' ? '{}' : body) as {
        basic?: { username: string; password: string };
        bearer?: string;
        jwt?: JwtTrust;
      };
      this.setAuth(
        parsed.basic ? { basic: parsed.basic } : parsed.bearer ? { bearer: parsed.bearer } : parsed.jwt ? { jwt: parsed.jwt } : undefined,
      );
      sendJson(res, 200, { auth: parsed.basic ? 'basic' : parsed.bearer ? 'bearer' : parsed.jwt ? 'jwt' : 'none' });
      return;
    }
    const patchMatch = /^\/__simulator\/requests\/([0-9a-f-]{36})$/i.exec(url.pathname);
    if (req.method === 'PATCH' && patchMatch?.[1] !== undefined) {
      const request = this.byId.get(patchMatch[1].toLowerCase());
      if (request === undefined) {
        sendJson(res, 404, { Message: 'no such request' });
        return;
      }
      // Lets a demo or test change a request (complete it, edit its comment) and watch the extension catch up.
      Object.assign(request, JSON.parse(await readBody(req)) as Record<string, unknown>);
      sendJson(res, 200, request);
      return;
    }
    if (req.method === 'GET' && url.pathname === `${CONTROL_PATH}/calls`) {
      sendJson(res, 200, this.calls);
      return;
    }
    sendJson(res, 404, {
      Message: `POST ${CONTROL_PATH}/fault {"mode": ...}, POST ${CONTROL_PATH}/auth {"basic": {...}} | {"bearer": "..."} | {"jwt": {"issuer", "audience", "jwksUri"}} | {}, PATCH ${CONTROL_PATH}/requests/{id} {fields}, or GET ${CONTROL_PATH}/calls`,
    });
  }
}

function lowerCaseParams(search: URLSearchParams): Map<string, string> {
  const params = new Map<string, string>();
  search.forEach((value, key) => params.set(key.toLowerCase(), value));
  return params;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendRaw(res, status, JSON.stringify(value));
}

function sendRaw(res: ServerResponse, status: number, body: string): void {
  if (status === 204) {
    res.writeHead(204);
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Templates, policies, profiles and smart cards (with certificates and operations); undefined = none. */
function linkedObject(linked: LinkedObjects, apiPath: string): unknown {
  if (apiPath === 'profiletemplates') {
    return linked.templates();
  }
  const match = /^(profiletemplates|profiles|smartcards)\/([0-9a-f-]{36})(?:\/(certificates|operations|policies\/[a-z]+))?$/.exec(apiPath);
  const [, kind, id, part] = match ?? [];
  if (kind === undefined || id === undefined) {
    return undefined;
  }
  if (kind === 'profiletemplates') {
    return part === undefined ? linked.template(id) : part.startsWith('policies/') ? linked.policy(id, part.slice(9)) : undefined;
  }
  const object = kind === 'profiles' ? linked.profile(id) : linked.smartcard(id);
  if (object === undefined || part === undefined) {
    return object;
  }
  return part === 'certificates'
    ? linked.certificates(id)
    : part === 'operations'
      ? linked.operations(kind as 'profiles' | 'smartcards')
      : undefined;
}

/** 200 with the object, or 204 when there is none (the API's "nothing"). */
function sendFound(res: ServerResponse, value: unknown): void {
  if (value === undefined) {
    sendRaw(res, 204, '');
    return;
  }
  sendJson(res, 200, value);
}

function sendServerError(res: ServerResponse): void {
  sendJson(res, 500, { Message: 'An error has occurred. Correlation ID: 6f1c2b9e-0d4a-4c1e-9b7a-3e2f1d0c9b8a' });
}

function sendIisNotFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/html' });
  res.end('<html><head><title>404 - File or directory not found.</title></head><body>Server Error</body></html>');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

// A small LDAP server standing in for Active Directory, so the demo shows names without a domain controller and
// tests can make a directory misbehave: it answers anonymous searches (RootDSE, the partitions' crossRef, and
// subtree searches over its entries with AND/OR/NOT, equality, substrings and presence), and simple binds. Plain
// LDAP on loopback only; the real counterpart (Samba AD, over TLS) is scripts/lib/directoryLab.mjs.
import * as net from 'node:net';
import { guidToBytes, sidToBytes } from '../../src/directory/adIdentifiers';
import {
  children,
  completeLength,
  constructed,
  integer,
  octets,
  readElement,
  readInteger,
  readText,
  TAG,
  type Element,
} from '../../src/directory/ldap/ber';
import { DNS_DOMAIN, NETBIOS_DOMAIN, PEOPLE, type DirectoryPerson } from './people';

const BASE = DNS_DOMAIN.split('.')
  .map((label) => `DC=${label}`)
  .join(',');
const CONFIGURATION = `CN=Configuration,${BASE}`;

export interface StandInEntry {
  readonly dn: string;
  /** Attribute names in lower case, to their values. */
  readonly attributes: ReadonlyMap<string, readonly Buffer[]>;
}

/** How the stand-in behaves: as a directory, or as a broken one. */
export type StandInMode = 'normal' | 'hang' | 'garbage' | 'refuseAnonymous';

export interface StandInOptions {
  readonly people?: readonly DirectoryPerson[];
  /** Simple binds succeed for `name` with this password (any name). */
  readonly password?: string;
  readonly mode?: StandInMode;
  /** A SASL GSS-SPNEGO bind succeeds with this token, and the directory proves itself with `proof`. */
  readonly spnego?: { readonly ticket: Buffer; readonly proof: Buffer };
}

function values(...items: (string | Buffer)[]): Buffer[] {
  return items.map((item) => (typeof item === 'string' ? Buffer.from(item, 'utf8') : item));
}

/** A person as AD holds it: objectGUID and objectSid in their binary forms. */
export function personEntry(person: DirectoryPerson): StandInEntry {
  const dn = `CN=${person.displayName},CN=Users,${BASE}`;
  const attributes = new Map<string, Buffer[]>([
    ['objectclass', values('top', ...(person.kind === 'user' ? ['person', 'organizationalPerson', 'user'] : ['group']))],
    ['objectcategory', values(person.kind === 'user' ? `CN=Person,CN=Schema,${CONFIGURATION}` : `CN=Group,CN=Schema,${CONFIGURATION}`)],
    ['cn', values(person.displayName)],
    ['displayname', values(person.displayName)],
    ['samaccountname', values(person.sam)],
    ['objectguid', [guidToBytes(person.guid) ?? Buffer.alloc(16)]],
    ['objectsid', [sidToBytes(person.sid) ?? Buffer.alloc(8)]],
  ]);
  if (person.kind === 'user') {
    attributes.set('userprincipalname', values(`${person.sam}@${DNS_DOMAIN}`));
  }
  return { dn, attributes };
}

const ROOT_DSE: StandInEntry = {
  dn: '',
  attributes: new Map([
    ['defaultnamingcontext', values(BASE)],
    ['configurationnamingcontext', values(CONFIGURATION)],
    ['dnshostname', values(`dc01.${DNS_DOMAIN}`)],
    ['supportedsaslmechanisms', values('GSSAPI', 'GSS-SPNEGO')],
  ]),
};

const CROSS_REF: StandInEntry = {
  dn: `CN=${NETBIOS_DOMAIN},CN=Partitions,${CONFIGURATION}`,
  attributes: new Map([
    ['objectclass', values('top', 'crossRef')],
    ['ncname', values(BASE)],
    ['netbiosname', values(NETBIOS_DOMAIN)],
  ]),
};

type Filter = (entry: StandInEntry) => boolean;

const lower = (value: Buffer): string => value.toString('utf8').toLowerCase();

function readFilter(element: Element): Filter {
  switch (element.tag) {
    case 0xa0: {
      const parts = children(element).map(readFilter);
      return (entry) => parts.every((part) => part(entry));
    }
    case 0xa1: {
      const parts = children(element).map(readFilter);
      return (entry) => parts.some((part) => part(entry));
    }
    case 0xa2: {
      const [inner] = children(element);
      const part = inner === undefined ? () => false : readFilter(inner);
      return (entry) => !part(entry);
    }
    case 0xa3: {
      const [name, value] = children(element);
      const attribute = readText(name ?? element).toLowerCase();
      const wanted = Buffer.from((value ?? element).content);
      return (entry) =>
        (entry.attributes.get(attribute) ?? []).some((have) =>
          attribute === 'objectguid' || attribute === 'objectsid'
            ? have.equals(wanted)
            : attribute === 'objectcategory'
              ? lower(have).startsWith(`cn=${lower(wanted)},`) || lower(have) === lower(wanted)
              : lower(have) === lower(wanted),
        );
    }
    case 0xa4: {
      const [name, parts] = children(element);
      const attribute = readText(name ?? element).toLowerCase();
      const pieces = children(parts ?? element).map((piece) => ({ at: piece.tag, text: readText(piece).toLowerCase() }));
      return (entry) =>
        (entry.attributes.get(attribute) ?? []).some((have) => {
          let text = lower(have);
          for (const { at, text: piece } of pieces) {
            const found = text.indexOf(piece);
            if (found === -1 || (at === 0x80 && found !== 0) || (at === 0x82 && !text.endsWith(piece))) {
              return false;
            }
            text = text.slice(found + piece.length);
          }
          return true;
        });
    }
    case 0x87: {
      const attribute = readText(element).toLowerCase();
      return (entry) => attribute === 'objectclass' || entry.attributes.has(attribute);
    }
    default:
      return () => false;
  }
}

function result(id: number, tag: number, code: number, message = ''): Buffer {
  return constructed(TAG.SEQUENCE, integer(id), constructed(tag, integer(code, TAG.ENUMERATED), octets(''), octets(message)));
}

function entryMessage(id: number, entry: StandInEntry, wanted: readonly string[]): Buffer {
  const attributes = [...entry.attributes]
    .filter(([name]) => wanted.length === 0 || wanted.includes(name))
    .map(([name, list]) => constructed(TAG.SEQUENCE, octets(name), constructed(TAG.SET, ...list.map((value) => octets(value)))));
  return constructed(TAG.SEQUENCE, integer(id), constructed(0x64, octets(entry.dn), constructed(TAG.SEQUENCE, ...attributes)));
}

export class DirectoryStandIn {
  private readonly server: net.Server;
  private readonly entries: StandInEntry[];
  private readonly sockets = new Set<net.Socket>();
  mode: StandInMode;
  /** Every search filter's first bytes and every bind name, for tests to count what was asked. */
  readonly requests: string[] = [];

  constructor(private readonly options: StandInOptions = {}) {
    this.entries = (options.people ?? PEOPLE).map(personEntry);
    this.mode = options.mode ?? 'normal';
    this.server = net.createServer((socket) => this.serve(socket));
  }

  /** Listens on 127.0.0.1 (port 0 for any free one) and resolves to the ldap:// URL. */
  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return `ldap://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  /** Adds an entry (a test's hostile one, say). */
  add(entry: StandInEntry): void {
    this.entries.push(entry);
  }

  stop(): Promise<void> {
    for (const socket of this.sockets) {
      socket.destroy();
    }
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffer = Buffer.alloc(0);
    let bound = false;
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      try {
        for (let length = completeLength(buffer, 1 << 20); length !== undefined; length = completeLength(buffer, 1 << 20)) {
          const message = readElement(buffer.subarray(0, length));
          buffer = buffer.subarray(length);
          bound = this.answer(socket, message, bound);
        }
      } catch {
        socket.destroy();
      }
    });
  }

  /** Answers one message; says whether the connection is bound afterwards. */
  private answer(socket: net.Socket, message: Element, bound: boolean): boolean {
    const [idElement, operation] = children(message);
    if (idElement === undefined || operation === undefined) {
      socket.destroy();
      return bound;
    }
    const id = readInteger(idElement);
    if (this.mode === 'hang') {
      return bound;
    }
    if (this.mode === 'garbage') {
      socket.write(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'));
      return bound;
    }
    switch (operation.tag) {
      case 0x60: {
        const [, name, credentials] = children(operation);
        this.requests.push(`bind ${readText(name ?? operation)}`);
        if (credentials?.tag === 0xa3) {
          return this.saslBind(socket, id, credentials);
        }
        if (credentials?.tag !== 0x80) {
          socket.write(result(id, 0x61, 7, 'not a bind the stand-in knows'));
          return bound;
        }
        const accepted = this.options.password !== undefined && readText(credentials) === this.options.password;
        socket.write(
          result(
            id,
            0x61,
            accepted ? 0 : 49,
            accepted ? '' : '80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 52e',
          ),
        );
        return accepted;
      }
      case 0x63:
        this.search(socket, id, operation, bound);
        return bound;
      case 0x42:
        socket.end();
        return bound;
      default:
        socket.write(result(id, 0x78, 2, 'not supported by the stand-in'));
        return bound;
    }
  }

  /** GSS-SPNEGO in one leg, as a Kerberos ticket binds: the token must be the ticket; the answer carries the proof. */
  private saslBind(socket: net.Socket, id: number, credentials: Element): boolean {
    const [mechanism, token] = children(credentials);
    const spnego = this.options.spnego;
    const accepted =
      spnego !== undefined &&
      readText(mechanism ?? credentials) === 'GSS-SPNEGO' &&
      token !== undefined &&
      Buffer.from(token.content).equals(spnego.ticket);
    const code = accepted ? 0 : 49;
    socket.write(
      constructed(
        TAG.SEQUENCE,
        integer(id),
        constructed(
          0x61,
          integer(code, TAG.ENUMERATED),
          octets(''),
          octets(''),
          ...(accepted && spnego !== undefined ? [octets(spnego.proof, 0x87)] : []),
        ),
      ),
    );
    return accepted;
  }

  private search(socket: net.Socket, id: number, operation: Element, bound: boolean): void {
    const [base, scope, , sizeLimit, , , filterElement, attributeList] = children(operation);
    const baseDn = readText(base ?? operation);
    const wanted = children(attributeList ?? operation).map((attribute) => readText(attribute).toLowerCase());
    const filter = filterElement === undefined ? () => false : readFilter(filterElement);
    this.requests.push(`search ${baseDn} ${filterElement === undefined ? '' : filterElement.content.toString('hex').slice(0, 64)}`);
    if (baseDn === '' && readInteger(scope ?? operation) === 0) {
      socket.write(entryMessage(id, ROOT_DSE, wanted));
      socket.write(result(id, 0x65, 0));
      return;
    }
    if (this.mode === 'refuseAnonymous' && !bound) {
      socket.write(
        result(
          id,
          0x65,
          1,
          '000004DC: LdapErr: DSID-0C090A5C, comment: In order to perform this operation a successful bind must be completed on the connection.',
        ),
      );
      return;
    }
    const pool = baseDn.toLowerCase().startsWith('cn=partitions,') ? [CROSS_REF] : this.entries;
    const limit = sizeLimit === undefined ? 0 : readInteger(sizeLimit);
    const found = pool.filter(filter);
    for (const entry of limit === 0 ? found : found.slice(0, limit)) {
      socket.write(entryMessage(id, entry, wanted));
    }
    socket.write(result(id, 0x65, limit !== 0 && found.length > limit ? 4 : 0));
  }
}

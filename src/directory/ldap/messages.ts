// LDAPv3 messages (RFC 4511), only those a reader needs: bind (simple and SASL), search, StartTLS, unbind.
// Nothing here writes to a directory: there is no add, modify or delete to encode.
import {
  boolean,
  BerError,
  childAt,
  children,
  constructed,
  integer,
  octets,
  readElement,
  readInteger,
  readText,
  TAG,
  tlv,
  type Element,
} from './ber';

const OP = {
  BIND_REQUEST: 0x60,
  BIND_RESPONSE: 0x61,
  UNBIND_REQUEST: 0x42,
  SEARCH_REQUEST: 0x63,
  SEARCH_ENTRY: 0x64,
  SEARCH_DONE: 0x65,
  SEARCH_REFERENCE: 0x73,
  EXTENDED_REQUEST: 0x77,
  EXTENDED_RESPONSE: 0x78,
} as const;

export const RESULT = {
  SUCCESS: 0,
  OPERATIONS_ERROR: 1,
  TIME_LIMIT_EXCEEDED: 3,
  SIZE_LIMIT_EXCEEDED: 4,
  AUTH_METHOD_NOT_SUPPORTED: 7,
  STRONGER_AUTH_REQUIRED: 8,
  REFERRAL: 10,
  SASL_BIND_IN_PROGRESS: 14,
  NO_SUCH_OBJECT: 32,
  INVALID_CREDENTIALS: 49,
  INSUFFICIENT_ACCESS: 50,
  BUSY: 51,
  UNAVAILABLE: 52,
  UNWILLING_TO_PERFORM: 53,
} as const;

export const START_TLS_OID = '1.3.6.1.4.1.1466.20037';

/** A search filter (RFC 4511, section 4.5.1), values as bytes: nothing is escaped, since BER carries them as is. */
export type Filter =
  | { readonly and: readonly Filter[] }
  | { readonly or: readonly Filter[] }
  | { readonly not: Filter }
  | { readonly equals: string; readonly value: string | Uint8Array }
  | { readonly substrings: string; readonly initial?: string; readonly any?: readonly string[]; readonly final?: string }
  | { readonly present: string };

export function encodeFilter(filter: Filter): Buffer {
  if ('and' in filter) {
    return constructed(0xa0, ...filter.and.map(encodeFilter));
  }
  if ('or' in filter) {
    return constructed(0xa1, ...filter.or.map(encodeFilter));
  }
  if ('not' in filter) {
    return constructed(0xa2, encodeFilter(filter.not));
  }
  if ('equals' in filter) {
    return constructed(0xa3, octets(filter.equals), octets(filter.value));
  }
  if ('present' in filter) {
    return octets(filter.present, 0x87);
  }
  const parts = [
    ...(filter.initial === undefined ? [] : [octets(filter.initial, 0x80)]),
    ...(filter.any ?? []).map((part) => octets(part, 0x81)),
    ...(filter.final === undefined ? [] : [octets(filter.final, 0x82)]),
  ];
  return constructed(0xa4, octets(filter.substrings), constructed(TAG.SEQUENCE, ...parts));
}

/**
 * RFC 4515's string form of a filter, for the log: a binary value (a GUID or SID) escaped byte by byte, text with
 * only the specials and non-printable bytes escaped.
 */
export function describeFilter(filter: Filter): string {
  const escaped = (byte: number): string => `\\${byte.toString(16).padStart(2, '0')}`;
  const value = (bytes: string | Uint8Array): string =>
    typeof bytes === 'string'
      ? [...Buffer.from(bytes, 'utf8')]
          .map((byte) =>
            byte < 0x20 || byte > 0x7e || '*()\\'.includes(String.fromCharCode(byte)) ? escaped(byte) : String.fromCharCode(byte),
          )
          .join('')
      : [...bytes].map(escaped).join('');
  if ('and' in filter) {
    return `(&${filter.and.map(describeFilter).join('')})`;
  }
  if ('or' in filter) {
    return `(|${filter.or.map(describeFilter).join('')})`;
  }
  if ('not' in filter) {
    return `(!${describeFilter(filter.not)})`;
  }
  if ('equals' in filter) {
    return `(${filter.equals}=${value(filter.value)})`;
  }
  if ('present' in filter) {
    return `(${filter.present}=*)`;
  }
  const middle = [filter.initial ?? '', ...(filter.any ?? []), filter.final ?? ''].map(value).join('*');
  return `(${filter.substrings}=${middle})`;
}

function message(id: number, operation: Buffer): Buffer {
  return constructed(TAG.SEQUENCE, integer(id), operation);
}

export function simpleBindRequest(id: number, name: string, password: string): Buffer {
  return message(id, constructed(OP.BIND_REQUEST, integer(3), octets(name), octets(password, 0x80)));
}

export function saslBindRequest(id: number, mechanism: string, credentials: Uint8Array | undefined): Buffer {
  const sasl = constructed(0xa3, octets(mechanism), ...(credentials === undefined ? [] : [octets(credentials)]));
  return message(id, constructed(OP.BIND_REQUEST, integer(3), octets(''), sasl));
}

export interface SearchParameters {
  readonly base: string;
  readonly scope: 'base' | 'one' | 'sub';
  readonly filter: Filter;
  readonly attributes: readonly string[];
  /** Entries the directory may send at most (0: its own limit). */
  readonly sizeLimit: number;
  /** Seconds the directory may spend at most. */
  readonly timeLimit: number;
}

export function searchRequest(id: number, search: SearchParameters): Buffer {
  const scope = { base: 0, one: 1, sub: 2 }[search.scope];
  return message(
    id,
    constructed(
      OP.SEARCH_REQUEST,
      octets(search.base),
      integer(scope, TAG.ENUMERATED),
      // Aliases are never dereferenced: AD has none, and it keeps a search where it was sent.
      integer(0, TAG.ENUMERATED),
      integer(search.sizeLimit),
      integer(search.timeLimit),
      boolean(false),
      encodeFilter(search.filter),
      constructed(TAG.SEQUENCE, ...search.attributes.map((attribute) => octets(attribute))),
    ),
  );
}

export function startTlsRequest(id: number): Buffer {
  return message(id, constructed(OP.EXTENDED_REQUEST, octets(START_TLS_OID, 0x80)));
}

export function unbindRequest(id: number): Buffer {
  return message(id, tlv(OP.UNBIND_REQUEST, Buffer.alloc(0)));
}

/** How an operation ended (LDAPResult). */
export interface LdapResult {
  readonly resultCode: number;
  readonly matchedDn: string;
  readonly diagnosticMessage: string;
}

export interface SearchEntry {
  readonly dn: string;
  /** Attribute names in lower case, to their values as bytes. */
  readonly attributes: ReadonlyMap<string, readonly Buffer[]>;
}

/** A message from the directory, as the client needs it. */
export type Response =
  | { readonly kind: 'bind'; readonly id: number; readonly result: LdapResult; readonly serverSaslCreds?: Buffer }
  | { readonly kind: 'entry'; readonly id: number; readonly entry: SearchEntry }
  | { readonly kind: 'reference'; readonly id: number }
  | { readonly kind: 'done'; readonly id: number; readonly result: LdapResult }
  | { readonly kind: 'extended'; readonly id: number; readonly result: LdapResult; readonly name?: string }
  | { readonly kind: 'other'; readonly id: number; readonly tag: number };

function readResult(parts: readonly Element[]): LdapResult {
  return {
    resultCode: readInteger(childAt(parts, 0)),
    matchedDn: readText(childAt(parts, 1)),
    diagnosticMessage: readText(childAt(parts, 2)),
  };
}

/** One complete LDAPMessage; throws a BerError for anything that is not one. */
export function parseResponse(bytes: Buffer): Response {
  const envelope = readElement(bytes);
  if (envelope.tag !== TAG.SEQUENCE) {
    throw new BerError('not an LDAP message');
  }
  const [idElement, operation] = children(envelope);
  if (idElement === undefined || operation === undefined) {
    throw new BerError('an LDAP message without its id or operation');
  }
  const id = readInteger(idElement);
  const parts = operation.tag === OP.UNBIND_REQUEST ? [] : children(operation);
  switch (operation.tag) {
    case OP.BIND_RESPONSE: {
      const creds = parts.find((part) => part.tag === 0x87);
      return { kind: 'bind', id, result: readResult(parts), serverSaslCreds: creds === undefined ? undefined : Buffer.from(creds.content) };
    }
    case OP.SEARCH_ENTRY:
      return { kind: 'entry', id, entry: readEntry(parts) };
    case OP.SEARCH_REFERENCE:
      return { kind: 'reference', id };
    case OP.SEARCH_DONE:
      return { kind: 'done', id, result: readResult(parts) };
    case OP.EXTENDED_RESPONSE: {
      const name = parts.find((part) => part.tag === 0x8a);
      return { kind: 'extended', id, result: readResult(parts), name: name === undefined ? undefined : readText(name) };
    }
    default:
      return { kind: 'other', id, tag: operation.tag };
  }
}

function readEntry(parts: readonly Element[]): SearchEntry {
  const attributes = new Map<string, Buffer[]>();
  for (const attribute of children(childAt(parts, 1))) {
    const [type, values] = children(attribute);
    if (type === undefined || values === undefined) {
      throw new BerError('an attribute without its type or values');
    }
    const name = readText(type).toLowerCase();
    attributes.set(name, [...(attributes.get(name) ?? []), ...children(values).map((value) => Buffer.from(value.content))]);
  }
  return { dn: readText(childAt(parts, 0)), attributes };
}

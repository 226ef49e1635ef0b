// The subset of BER (X.690) that LDAPv3 uses (RFC 4511, section 5.1): definite lengths, tags of one byte,
// integers, booleans, octet strings and constructed values. Reading is defensive: a directory, or whatever
// answers on its port, is data, so every length is checked against what arrived.

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  ENUMERATED: 0x0a,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Why bytes are not the BER a message needs. */
export class BerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BerError';
  }
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) {
    return Buffer.from([length]);
  }
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) {
    bytes.unshift(rest % 256);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One value: its tag, its length, its content. */
export function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export function constructed(tag: number, ...children: Uint8Array[]): Buffer {
  return tlv(tag, Buffer.concat(children));
}

export function octets(value: string | Uint8Array, tag: number = TAG.OCTET_STRING): Buffer {
  return tlv(tag, typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
}

/** A non-negative integer (message ids, limits, versions), in two's complement as few bytes as it takes. */
export function integer(value: number, tag: number = TAG.INTEGER): Buffer {
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(rest % 256);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  if ((bytes[0] ?? 0) & 0x80) {
    bytes.unshift(0);
  }
  return tlv(tag, Buffer.from(bytes));
}

export function boolean(value: boolean): Buffer {
  return tlv(TAG.BOOLEAN, Buffer.from([value ? 0xff : 0]));
}

/** A value read from a buffer: its tag and where its content lies. */
export interface Element {
  readonly tag: number;
  readonly content: Buffer;
  /** Where the next value starts in the buffer it was read from. */
  readonly next: number;
}

/**
 * The length of the first complete value in `buffer`, header included; undefined while more bytes are needed.
 * `maxLength` bounds what a peer may announce, so it cannot make us buffer without end.
 */
export function completeLength(buffer: Buffer, maxLength: number): number | undefined {
  if (buffer.length < 2) {
    return undefined;
  }
  const first = buffer[1] ?? 0;
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) {
      throw new BerError(`a length in ${count} bytes: LDAP uses definite lengths of up to four`);
    }
    if (buffer.length < 2 + count) {
      return undefined;
    }
    length = buffer.readUIntBE(2, count);
    header = 2 + count;
  }
  if (length > maxLength) {
    throw new BerError(`a message of ${length} bytes, more than the ${maxLength} allowed`);
  }
  return buffer.length < header + length ? undefined : header + length;
}

/** The value at `offset`; throws a BerError when it runs past the end. */
export function readElement(buffer: Buffer, offset = 0): Element {
  if (offset + 2 > buffer.length) {
    throw new BerError('a value is cut short');
  }
  const tag = buffer[offset] ?? 0;
  const first = buffer[offset + 1] ?? 0;
  let length = first;
  let start = offset + 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4 || start + count > buffer.length) {
      throw new BerError('a length that cannot be read');
    }
    length = buffer.readUIntBE(start, count);
    start += count;
  }
  if (start + length > buffer.length) {
    throw new BerError('a value is longer than what arrived');
  }
  return { tag, content: buffer.subarray(start, start + length), next: start + length };
}

/** The values inside a constructed one, in order. */
export function children(element: Element): Element[] {
  const found: Element[] = [];
  for (let offset = 0; offset < element.content.length;) {
    const child = readElement(element.content, offset);
    found.push(child);
    offset = child.next;
  }
  return found;
}

/** An INTEGER or ENUMERATED as a number (LDAP's fit in 32 bits). */
export function readInteger(element: Element): number {
  const bytes = element.content;
  if (bytes.length === 0 || bytes.length > 4) {
    throw new BerError(`an integer of ${bytes.length} bytes`);
  }
  return bytes.readIntBE(0, bytes.length);
}

export function readText(element: Element): string {
  return element.content.toString('utf8');
}

/** The child at `index`, or a BerError saying it is missing. */
export function childAt(list: readonly Element[], index: number): Element {
  const child = list[index];
  if (child === undefined) {
    throw new BerError(`value ${index + 1} of ${list.length} is missing`);
  }
  return child;
}

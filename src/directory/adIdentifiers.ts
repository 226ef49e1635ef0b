// Active Directory's two identifiers as CM carries them: a user's objectGUID (CM's TargetUserUuid and friends) and
// an objectSid (in security descriptors and workflow policies). On the wire of LDAP both are binary; objectGUID's
// first three fields are little-endian (the Windows GUID structure), so the text 5e8f9a0b-1c2d-… is sent as
// 0b 9a 8f 5e 2d 1c ….

const GUID_TEXT = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i;

/** The 16 bytes LDAP carries for a GUID written as text; undefined when the text is not one. */
export function guidToBytes(text: string): Buffer | undefined {
  const parts = GUID_TEXT.exec(text.trim());
  if (parts === null) {
    return undefined;
  }
  const [, a = '', b = '', c = '', d = '', e = ''] = parts;
  const bytes = Buffer.alloc(16);
  bytes.writeUInt32LE(Number.parseInt(a, 16), 0);
  bytes.writeUInt16LE(Number.parseInt(b, 16), 4);
  bytes.writeUInt16LE(Number.parseInt(c, 16), 6);
  Buffer.from(d + e, 'hex').copy(bytes, 8);
  return bytes;
}

/** An objectGUID's bytes as CM writes the GUID: lower case, with dashes. */
export function bytesToGuid(bytes: Uint8Array): string | undefined {
  if (bytes.length !== 16) {
    return undefined;
  }
  const buffer = Buffer.from(bytes);
  const hex = (value: number, digits: number): string => value.toString(16).padStart(digits, '0');
  return [
    hex(buffer.readUInt32LE(0), 8),
    hex(buffer.readUInt16LE(4), 4),
    hex(buffer.readUInt16LE(6), 4),
    buffer.subarray(8, 10).toString('hex'),
    buffer.subarray(10, 16).toString('hex'),
  ].join('-');
}

/** The canonical text of a GUID (lower case, no braces), or undefined. */
export function canonicalGuid(text: string): string | undefined {
  const bytes = guidToBytes(text);
  return bytes === undefined ? undefined : bytesToGuid(bytes);
}

/** S-1-5-21-…: revision 1, an authority of up to 48 bits, up to 15 sub-authorities of 32 bits. */
const SID_TEXT = /^S-1-(\d{1,15})((?:-\d{1,10}){0,15})$/i;

/** The bytes of a SID written as text (MS-DTYP 2.4.2.2); undefined when it is not one. */
export function sidToBytes(text: string): Buffer | undefined {
  const parts = SID_TEXT.exec(text.trim());
  if (parts === null) {
    return undefined;
  }
  const authority = Number(parts[1]);
  const subAuthorities = (parts[2] ?? '')
    .split('-')
    .filter((part) => part !== '')
    .map(Number);
  if (authority > 0xffff_ffff_ffff || subAuthorities.some((value) => value > 0xffff_ffff)) {
    return undefined;
  }
  const bytes = Buffer.alloc(8 + 4 * subAuthorities.length);
  bytes[0] = 1;
  bytes[1] = subAuthorities.length;
  // The identifier authority is 48 bits, big-endian.
  bytes.writeUIntBE(authority, 2, 6);
  subAuthorities.forEach((value, index) => bytes.writeUInt32LE(value, 8 + 4 * index));
  return bytes;
}

/** A SID's bytes as text, S-1-5-21-…; undefined for bytes that are not a SID. */
export function bytesToSid(bytes: Uint8Array): string | undefined {
  const buffer = Buffer.from(bytes);
  if (buffer.length < 8 || buffer[0] !== 1) {
    return undefined;
  }
  const count = buffer[1] ?? 0;
  if (count > 15 || buffer.length !== 8 + 4 * count) {
    return undefined;
  }
  const subAuthorities = Array.from({ length: count }, (_, index) => buffer.readUInt32LE(8 + 4 * index));
  return ['S', '1', String(buffer.readUIntBE(2, 6)), ...subAuthorities.map(String)].join('-');
}

/** The canonical text of a SID (upper-case S), or undefined. */
export function canonicalSid(text: string): string | undefined {
  const bytes = sidToBytes(text);
  return bytes === undefined ? undefined : bytesToSid(bytes);
}

/** The SIDs written in a text (a security descriptor in SDDL, a policy's lists), each once, in order. */
export function sidsIn(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/\bS-1-\d{1,15}(?:-\d{1,10}){0,15}/gi)) {
    const sid = canonicalSid(match[0]);
    if (sid !== undefined) {
      found.add(sid);
    }
  }
  return [...found];
}

// NTLMv2 as specified in [MS-NLMP]: the three messages of the handshake and the NTLMv2 response. Only what an
// HTTP client needs (no signing or sealing, so no session key exchange).
import { createHmac, randomBytes } from 'node:crypto';
import { md4 } from './md4';

const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');

export const FLAGS = {
  UNICODE: 0x00000001,
  OEM: 0x00000002,
  REQUEST_TARGET: 0x00000004,
  NTLM: 0x00000200,
  ALWAYS_SIGN: 0x00008000,
  EXTENDED_SESSIONSECURITY: 0x00080000,
  VERSION: 0x02000000,
  NEGOTIATE_128: 0x20000000,
  NEGOTIATE_56: 0x80000000,
} as const;

const CLIENT_FLAGS =
  FLAGS.UNICODE |
  FLAGS.OEM |
  FLAGS.REQUEST_TARGET |
  FLAGS.NTLM |
  FLAGS.ALWAYS_SIGN |
  FLAGS.EXTENDED_SESSIONSECURITY |
  FLAGS.VERSION |
  FLAGS.NEGOTIATE_128 |
  FLAGS.NEGOTIATE_56;

/** Windows 10 build 19041, NTLMSSP revision 15: acceptors such as gss-ntlmssp insist on the version field. */
const VERSION = Buffer.from([10, 0, 0x61, 0x4a, 0, 0, 0, 15]);

const AV_EOL = 0;
const AV_TIMESTAMP = 7;

/** NEGOTIATE_MESSAGE: 40 bytes with the version field, as Windows sends it. */
export function negotiateMessage(): Buffer {
  const message = Buffer.alloc(40);
  SIGNATURE.copy(message, 0);
  message.writeUInt32LE(1, 8);
  message.writeUInt32LE(CLIENT_FLAGS >>> 0, 12);
  // Domain and workstation fields stay empty (length 0, offset at the end of the message).
  message.writeUInt32LE(40, 20);
  message.writeUInt32LE(40, 28);
  VERSION.copy(message, 32);
  return message;
}

export interface ChallengeMessage {
  readonly flags: number;
  readonly serverChallenge: Buffer;
  readonly targetInfo: Buffer;
}

/** Reads a CHALLENGE_MESSAGE; throws with a reason when the server sent something else. */
export function parseChallengeMessage(message: Buffer): ChallengeMessage {
  if (message.length < 32 || !message.subarray(0, 8).equals(SIGNATURE) || message.readUInt32LE(8) !== 2) {
    throw new Error('the server did not answer with an NTLM challenge');
  }
  const flags = message.readUInt32LE(20);
  const serverChallenge = Buffer.from(message.subarray(24, 32));
  let targetInfo = Buffer.alloc(0);
  if (message.length >= 48) {
    const length = message.readUInt16LE(40);
    const offset = message.readUInt32LE(44);
    if (offset + length > message.length) {
      throw new Error('the NTLM challenge is truncated');
    }
    targetInfo = Buffer.from(message.subarray(offset, offset + length));
  }
  return { flags, serverChallenge, targetInfo };
}

/** NTOWFv2: the NTLMv2 key from the password, user name and domain. */
export function ntowfv2(password: string, user: string, domain: string): Buffer {
  const ntHash = md4(Buffer.from(password, 'utf16le'));
  return hmacMd5(ntHash, Buffer.from(user.toUpperCase() + domain, 'utf16le'));
}

export interface Ntlmv2Input {
  readonly key: Buffer;
  readonly serverChallenge: Buffer;
  readonly clientChallenge: Buffer;
  /** FILETIME: 100-ns intervals since 1601-01-01, little-endian. */
  readonly timestamp: Buffer;
  readonly targetInfo: Buffer;
}

export interface Ntlmv2Responses {
  readonly ntProofStr: Buffer;
  readonly ntResponse: Buffer;
  readonly lmResponse: Buffer;
}

export function ntlmv2Responses({ key, serverChallenge, clientChallenge, timestamp, targetInfo }: Ntlmv2Input): Ntlmv2Responses {
  const blob = Buffer.concat([
    Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]),
    timestamp,
    clientChallenge,
    Buffer.alloc(4),
    targetInfo,
    Buffer.alloc(4),
  ]);
  const ntProofStr = hmacMd5(key, Buffer.concat([serverChallenge, blob]));
  const lmResponse = Buffer.concat([hmacMd5(key, Buffer.concat([serverChallenge, clientChallenge])), clientChallenge]);
  return { ntProofStr, ntResponse: Buffer.concat([ntProofStr, blob]), lmResponse };
}

/** "CONTOSO\jdoe" → user jdoe in domain CONTOSO; a UPN (jdoe@contoso.com) is sent whole with no domain. */
export function splitUserName(name: string): { user: string; domain: string } {
  const slash = name.indexOf('\\');
  return slash < 0 ? { user: name, domain: '' } : { user: name.slice(slash + 1), domain: name.slice(0, slash) };
}

export interface AuthenticateInput {
  readonly userName: string;
  readonly password: string;
  readonly workstation?: string;
  readonly challenge: ChallengeMessage;
  /** Fixed values for tests; random and "now" otherwise. */
  readonly clientChallenge?: Buffer;
  readonly now?: Date;
}

/** AUTHENTICATE_MESSAGE with an NTLMv2 response to the server's challenge. */
export function authenticateMessage({
  userName,
  password,
  workstation = '',
  challenge,
  clientChallenge = randomBytes(8),
  now = new Date(),
}: AuthenticateInput): Buffer {
  const { user, domain } = splitUserName(userName);
  const serverTimestamp = findAvPair(challenge.targetInfo, AV_TIMESTAMP);
  const timestamp = serverTimestamp ?? fileTime(now);
  const responses = ntlmv2Responses({
    key: ntowfv2(password, user, domain),
    serverChallenge: challenge.serverChallenge,
    clientChallenge,
    timestamp,
    targetInfo: challenge.targetInfo,
  });
  // With a server timestamp, the LMv2 response must be zeros ([MS-NLMP] 3.1.5.1.2).
  const lmResponse = serverTimestamp === undefined ? responses.lmResponse : Buffer.alloc(24);
  const unicode = (challenge.flags & FLAGS.UNICODE) !== 0;
  const text = (value: string): Buffer => Buffer.from(value, unicode ? 'utf16le' : 'latin1');
  const flags = ((challenge.flags & CLIENT_FLAGS) | FLAGS.NTLM | FLAGS.VERSION | (unicode ? FLAGS.UNICODE : FLAGS.OEM)) >>> 0;

  const payloads = [lmResponse, responses.ntResponse, text(domain), text(user), text(workstation), Buffer.alloc(0)];
  const header = Buffer.alloc(72);
  SIGNATURE.copy(header, 0);
  header.writeUInt32LE(3, 8);
  let offset = header.length;
  payloads.forEach((payload, index) => {
    const field = 12 + index * 8;
    header.writeUInt16LE(payload.length, field);
    header.writeUInt16LE(payload.length, field + 2);
    header.writeUInt32LE(offset, field + 4);
    offset += payload.length;
  });
  header.writeUInt32LE(flags, 60);
  VERSION.copy(header, 64);
  return Buffer.concat([header, ...payloads]);
}

function findAvPair(targetInfo: Buffer, id: number): Buffer | undefined {
  let offset = 0;
  while (offset + 4 <= targetInfo.length) {
    const avId = targetInfo.readUInt16LE(offset);
    const length = targetInfo.readUInt16LE(offset + 2);
    if (avId === AV_EOL) {
      return undefined;
    }
    if (avId === id) {
      return Buffer.from(targetInfo.subarray(offset + 4, offset + 4 + length));
    }
    offset += 4 + length;
  }
  return undefined;
}

function fileTime(date: Date): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE((BigInt(date.getTime()) + 11_644_473_600_000n) * 10_000n);
  return buffer;
}

function hmacMd5(key: Buffer, data: Buffer): Buffer {
  return createHmac('md5', key).update(data).digest();
}

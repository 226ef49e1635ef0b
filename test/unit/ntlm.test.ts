import * as assert from 'node:assert/strict';
import {
  authenticateMessage,
  negotiateMessage,
  ntlmv2Responses,
  ntowfv2,
  parseChallengeMessage,
  splitUserName,
} from '../../src/cm/ntlm/messages';

// [MS-NLMP] 4.2.4 "NTLMv2 Authentication": User "User", Domain "Domain", Password "Password",
// server challenge 0123456789abcdef, client challenge aa×8, time 0, AV pairs NbDomainName "Domain",
// NbComputerName "Server".
const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const SERVER_CHALLENGE = hex('0123456789abcdef');
const CLIENT_CHALLENGE = hex('aaaaaaaaaaaaaaaa');
const TARGET_INFO = hex('02000c0044006f006d00610069006e00 01000c005300650072007600650072000000 0000');

describe('NTLMv2 against the MS-NLMP 4.2.4 test vectors', () => {
  it('computes NTOWFv2', () => {
    assert.equal(ntowfv2('Password', 'User', 'Domain').toString('hex'), '0c868a403bfd7a93a3001ef22ef02e3f');
  });

  it('computes the LMv2 response and NTProofStr', () => {
    const responses = ntlmv2Responses({
      key: ntowfv2('Password', 'User', 'Domain'),
      serverChallenge: SERVER_CHALLENGE,
      clientChallenge: CLIENT_CHALLENGE,
      timestamp: Buffer.alloc(8),
      targetInfo: TARGET_INFO,
    });
    assert.equal(responses.lmResponse.toString('hex'), '86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
    assert.equal(responses.ntProofStr.toString('hex'), '68cd0ab851e51c96aabc927bebef6a1c');
  });
});

describe('NTLM messages', () => {
  it('sends a 40-byte NEGOTIATE with the version field, as Windows does', () => {
    const message = negotiateMessage();
    assert.equal(message.length, 40);
    assert.equal(message.subarray(0, 8).toString('latin1'), 'NTLMSSP\0');
    assert.equal(message.readUInt32LE(8), 1);
    assert.ok((message.readUInt32LE(12) & 0x02000000) !== 0, 'NEGOTIATE_VERSION is set');
  });

  it('reads the server challenge and target info from a CHALLENGE', () => {
    const challenge = challengeMessage(TARGET_INFO);
    const parsed = parseChallengeMessage(challenge);
    assert.deepEqual(parsed.serverChallenge, SERVER_CHALLENGE);
    assert.deepEqual(parsed.targetInfo, TARGET_INFO);
  });

  it('refuses something that is not a CHALLENGE', () => {
    assert.throws(() => parseChallengeMessage(negotiateMessage()), /not answer with an NTLM challenge/);
    assert.throws(() => parseChallengeMessage(Buffer.from('<html>')), /not answer with an NTLM challenge/);
  });

  it('builds an AUTHENTICATE whose NT response is the NTLMv2 response to the challenge', () => {
    const message = authenticateMessage({
      userName: 'Domain\\User',
      password: 'Password',
      challenge: parseChallengeMessage(challengeMessage(TARGET_INFO)),
      clientChallenge: CLIENT_CHALLENGE,
      now: new Date(Date.UTC(1601, 0, 1)),
    });
    assert.equal(message.readUInt32LE(8), 3);
    const field = (index: number): Buffer => {
      const length = message.readUInt16LE(12 + index * 8);
      const offset = message.readUInt32LE(16 + index * 8);
      return message.subarray(offset, offset + length);
    };
    assert.equal(field(1).subarray(0, 16).toString('hex'), '68cd0ab851e51c96aabc927bebef6a1c');
    assert.equal(field(2).toString('utf16le'), 'Domain');
    assert.equal(field(3).toString('utf16le'), 'User');
  });

  it('uses the server timestamp when it sends one, and then zero LMv2', () => {
    const timestamp = hex('0090d336b734c301');
    const withTime = Buffer.concat([hex('0700 0800'), timestamp, TARGET_INFO]);
    const message = authenticateMessage({
      userName: 'jdoe@contoso.com',
      password: 'x',
      challenge: parseChallengeMessage(challengeMessage(withTime)),
    });
    const lmLength = message.readUInt16LE(12);
    const lmOffset = message.readUInt32LE(16);
    assert.deepEqual(message.subarray(lmOffset, lmOffset + lmLength), Buffer.alloc(24));
    const ntOffset = message.readUInt32LE(24);
    assert.deepEqual(message.subarray(ntOffset + 24, ntOffset + 32), timestamp);
  });

  it('splits DOMAIN\\user and keeps a UPN whole', () => {
    assert.deepEqual(splitUserName('CONTOSO\\jdoe'), { user: 'jdoe', domain: 'CONTOSO' });
    assert.deepEqual(splitUserName('jdoe@contoso.com'), { user: 'jdoe@contoso.com', domain: '' });
  });
});

/** A CHALLENGE_MESSAGE as a server would send it (Unicode, NTLM, target info). */
function challengeMessage(targetInfo: Buffer): Buffer {
  const header = Buffer.alloc(56);
  header.write('NTLMSSP\0', 0, 'latin1');
  header.writeUInt32LE(2, 8);
  header.writeUInt32LE(56, 16);
  header.writeUInt32LE(0xe2898215, 20);
  SERVER_CHALLENGE.copy(header, 24);
  header.writeUInt16LE(targetInfo.length, 40);
  header.writeUInt16LE(targetInfo.length, 42);
  header.writeUInt32LE(56, 44);
  return Buffer.concat([header, targetInfo]);
}

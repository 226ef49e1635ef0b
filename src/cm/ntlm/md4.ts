// MD4 (RFC 1320). NTLM's password hash needs it, and Node's OpenSSL 3 no longer offers it without the legacy
// provider, so it lives here; it is used for nothing else.

const ROUND2_ORDER = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15];
const ROUND3_ORDER = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15];

function rotateLeft(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0;
}

export function md4(input: Buffer): Buffer {
  const paddedLength = Math.ceil((input.length + 9) / 64) * 64;
  const message = Buffer.alloc(paddedLength);
  input.copy(message);
  message[input.length] = 0x80;
  const bitLength = BigInt(input.length) * 8n;
  message.writeBigUInt64LE(bitLength, paddedLength - 8);

  let a = 0x67452301;
  let b = 0xefcdab89;
  let c = 0x98badcfe;
  let d = 0x10325476;
  const words = new Array<number>(16);
  for (let offset = 0; offset < paddedLength; offset += 64) {
    for (let i = 0; i < 16; i++) {
      words[i] = message.readUInt32LE(offset + i * 4);
    }
    const [aa, bb, cc, dd] = [a, b, c, d];
    const round = (
      mix: (x: number, y: number, z: number) => number,
      order: (i: number) => number,
      constant: number,
      shifts: number[],
    ): void => {
      for (let i = 0; i < 16; i++) {
        const value = rotateLeft((a + mix(b, c, d) + words[order(i)] + constant) >>> 0, shifts[i % 4]);
        [a, b, c, d] = [d, value, b, c];
      }
    };
    round(
      (x, y, z) => (x & y) | (~x & z),
      (i) => i,
      0,
      [3, 7, 11, 19],
    );
    round(
      (x, y, z) => (x & y) | (x & z) | (y & z),
      (i) => ROUND2_ORDER[i],
      0x5a827999,
      [3, 5, 9, 13],
    );
    round(
      (x, y, z) => x ^ y ^ z,
      (i) => ROUND3_ORDER[i],
      0x6ed9eba1,
      [3, 9, 11, 15],
    );
    a = (a + aa) >>> 0;
    b = (b + bb) >>> 0;
    c = (c + cc) >>> 0;
    d = (d + dd) >>> 0;
  }
  const digest = Buffer.alloc(16);
  [a, b, c, d].forEach((word, index) => digest.writeUInt32LE(word, index * 4));
  return digest;
}

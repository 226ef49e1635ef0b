import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { bytesToGuid, bytesToSid, canonicalGuid, guidToBytes, sidToBytes, sidsIn } from '../../src/directory/adIdentifiers';
import { directoryText } from '../../src/directory/directoryEntry';
import { BerError, completeLength } from '../../src/directory/ldap/ber';
import { describeFilter, encodeFilter, parseResponse } from '../../src/directory/ldap/messages';

describe('Active Directory identifiers (property-based)', () => {
  it('objectGUID bytes survive the trip to text and back, every byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const text = bytesToGuid(bytes);
        assert.ok(text !== undefined && /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/.test(text));
        assert.deepEqual([...(guidToBytes(text) ?? [])], [...bytes]);
      }),
    );
  });

  it('a GUID as CM writes it (any case, braces) reads as the same canonical GUID', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.boolean(), fc.boolean(), (uuid, upper, braces) => {
        const written = `${braces ? '{' : ''}${upper ? uuid.toUpperCase() : uuid}${braces ? '}' : ''}`;
        assert.equal(canonicalGuid(written), uuid.toLowerCase());
      }),
    );
  });

  it('puts the first three fields of a GUID on the wire little-endian, the last two as written', () => {
    assert.equal(guidToBytes('5e8f9a0b-1c2d-4e3f-8a9b-0c1d2e3f4a5b')?.toString('hex'), '0b9a8f5e2d1c3f4e8a9b0c1d2e3f4a5b');
    assert.equal(bytesToGuid(Buffer.from('0b9a8f5e2d1c3f4e8a9b0c1d2e3f4a5b', 'hex')), '5e8f9a0b-1c2d-4e3f-8a9b-0c1d2e3f4a5b');
    for (const bad of ['5e8f9a0b1c2d4e3f8a9b0c1d2e3f4a5b', '5e8f9a0b-1c2d-4e3f-8a9b-0c1d2e3f4a5', 'S-1-5-32-544', '']) {
      assert.equal(guidToBytes(bad), undefined, bad);
    }
  });

  it('SIDs survive the trip to bytes and back, whatever the authority and sub-authorities', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff_ffff_ffff }),
        fc.array(fc.integer({ min: 0, max: 0xffff_ffff }), { maxLength: 15 }),
        (authority, subAuthorities) => {
          const text = ['S-1', authority, ...subAuthorities].join('-');
          const bytes = sidToBytes(text);
          assert.ok(bytes !== undefined);
          assert.equal(bytesToSid(bytes), text);
          assert.deepEqual([...(sidToBytes(bytesToSid(bytes) ?? '') ?? [])], [...bytes]);
        },
      ),
    );
  });

  it('reads any bytes as a SID only when they are one', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const text = bytesToSid(bytes);
        if (text !== undefined) {
          assert.deepEqual([...(sidToBytes(text) ?? [])], [...bytes]);
        }
      }),
    );
    assert.equal(sidToBytes('S-1-5-21-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16'), undefined, 'more than 15 sub-authorities');
    assert.equal(sidToBytes('S-1-5-4294967296'), undefined, 'a sub-authority past 32 bits');
  });

  it('finds each SID of a security descriptor once, in order', () => {
    const sddl = 'O:S-1-5-21-1-2-3-500D:(A;;RC;;;WD)(A;;CC;;;S-1-5-21-1-2-3-512)(D;;LC;;;S-1-5-21-1-2-3-500)\u0000\u0000';
    assert.deepEqual(sidsIn(sddl), ['S-1-5-21-1-2-3-500', 'S-1-5-21-1-2-3-512']);
  });
});

describe('directory text and LDAP messages, whatever arrives (property-based)', () => {
  it('keeps any name the directory sends short and free of control and bidi characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (value) => {
        const text = directoryText(value);
        if (text !== undefined) {
          assert.ok(text.length <= 120, `${text.length} characters`);
          assert.doesNotMatch(text, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
        }
      }),
    );
  });

  it('reads any bytes as an LDAP message or refuses them with a BerError, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const buffer = Buffer.from(bytes);
        try {
          const length = completeLength(buffer, 1000);
          if (length !== undefined) {
            parseResponse(buffer.subarray(0, length));
          }
        } catch (error) {
          assert.ok(error instanceof BerError, String(error));
        }
      }),
    );
  });

  it('refuses a message that announces more than the limit before it arrives', () => {
    assert.throws(() => completeLength(Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff]), 1 << 20), /more than the 1048576 allowed/);
    assert.equal(completeLength(Buffer.from([0x30, 0x82, 0x01]), 1 << 20), undefined, 'waits for the rest of the length');
  });

  it('sends a batch of GUIDs as one OR filter of their exact bytes, logged escaped byte by byte', () => {
    fc.assert(
      fc.property(fc.array(fc.uuid(), { minLength: 1, maxLength: 50 }), (guids) => {
        const values = guids.map((guid) => guidToBytes(guid) ?? Buffer.alloc(0));
        const filter = { or: values.map((value) => ({ equals: 'objectGUID', value })) };
        const encoded = encodeFilter(filter);
        for (const value of values) {
          assert.ok(encoded.includes(value), 'every GUID is in the filter as its 16 bytes');
        }
        const shown = describeFilter(filter);
        assert.equal(
          shown,
          `(|${values.map((value) => `(objectGUID=${[...value].map((byte) => `\\${byte.toString(16).padStart(2, '0')}`).join('')})`).join('')})`,
        );
      }),
    );
  });

  it('escapes the specials of a typed name in the log', () => {
    assert.equal(describeFilter({ equals: 'sAMAccountName', value: 'a*b(c)\\d' }), '(sAMAccountName=a\\2ab\\28c\\29\\5cd)');
  });
});

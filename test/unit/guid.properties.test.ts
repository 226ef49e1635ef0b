// Property-based: a request GUID typed or pasted in any form admins copy it in reads as the one canonical GUID,
// and anything that is not exactly one GUID is refused rather than read as some other request.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRequestGuid } from '../../src/cm/guid';

const hex = (length: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${length}}$`));
const guid = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((parts) => parts.join('-'));
const caseOf = (text: string, upper: boolean[]): string =>
  [...text].map((char, index) => (upper[index % upper.length] ? char.toUpperCase() : char)).join('');

describe('request GUIDs as typed (fast-check)', () => {
  it('reads every copied form of a GUID as its lower-case canonical form', () => {
    fc.assert(
      fc.property(
        guid,
        fc.array(fc.boolean(), { minLength: 1, maxLength: 36 }),
        fc.boolean(),
        fc.constantFrom('', '"', "'", '`'),
        fc.constantFrom('', ',', ';'),
        fc.constantFrom('', ' ', '\t', '\n '),
        (id, upper, braces, quote, end, space) => {
          const written = braces ? `{${caseOf(id, upper)}}` : caseOf(id, upper);
          const input = `${space}${quote}${written}${quote}${end}${space}`;
          assert.deepEqual(parseRequestGuid(input), { ok: true, guid: id });
        },
      ),
    );
  });

  it('refuses a GUID with a character changed, added or removed, or with one brace or one quote', () => {
    fc.assert(
      fc.property(guid, fc.nat(), fc.constantFrom('change', 'add', 'remove', 'brace', 'quote'), (id, at, how) => {
        const index = at % id.length;
        const changed =
          how === 'change'
            ? `${id.slice(0, index)}${id[index] === '-' ? '0' : 'x'}${id.slice(index + 1)}`
            : how === 'add'
              ? `${id.slice(0, index)}0${id.slice(index)}`
              : how === 'remove'
                ? `${id.slice(0, index)}${id.slice(index + 1)}`
                : how === 'brace'
                  ? `{${id}`
                  : `"${id}`;
        assert.equal(parseRequestGuid(changed).ok, false, changed);
      }),
    );
  });
});

import * as assert from 'node:assert/strict';
import { parseRequestGuid } from '../../src/cm/guid';

describe('parseRequestGuid', () => {
  const canonical = 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099';

  it('accepts a plain lower-case GUID unchanged', () => {
    assert.deepEqual(parseRequestGuid(canonical), { ok: true, guid: canonical });
  });

  it('accepts braces, upper case and surrounding spaces, returning the canonical form', () => {
    assert.deepEqual(parseRequestGuid('  {A9B4B42C-CC50-4C9B-89D1-BBC0BCD5A099}\t'), { ok: true, guid: canonical });
  });

  it('accepts a GUID copied with its quotes from JSON or PowerShell, and the comma that ends a JSON line', () => {
    for (const input of [`"${canonical}",`, `'{${canonical.toUpperCase()}}'`, ` \u201c${canonical}\u201d `, `"${canonical}";`]) {
      assert.deepEqual(parseRequestGuid(input), { ok: true, guid: canonical }, input);
    }
  });

  it('refuses unmatched quotes, and shows what was typed', () => {
    const result = parseRequestGuid(`"${canonical}'`);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.message, /^""a9b4b42c/);
  });

  it('refuses a GUID without dashes', () => {
    const result = parseRequestGuid('a9b4b42ccc504c9b89d1bbc0bcd5a099');
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.message, /8-4-4-4-12/);
  });

  it('refuses one brace, a short GUID, non-hex digits and a path', () => {
    for (const input of [
      '{a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099',
      'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a09',
      'g9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099',
      '../requests/a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099',
    ]) {
      assert.equal(parseRequestGuid(input).ok, false, input);
    }
  });

  it('asks for a GUID when the input is empty', () => {
    const result = parseRequestGuid('   ');
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.message, /Enter a request GUID/);
  });
});

import * as assert from 'node:assert/strict';
import { checkRequestRecord, readRequestList } from '../../src/cm/schemas';
import { readFixture } from './helpers';

describe('request schema', () => {
  const documented = ['get-request-1.json', 'get-request-2.json'].map(readFixture);

  it('reads both documented get-request examples', () => {
    for (const example of documented) {
      const result = checkRequestRecord(example);
      assert.ok(result.ok, result.ok ? '' : result.problems);
    }
  });

  it('keeps the server record untouched, including fields it does not know and the NUL padding', () => {
    const extended = { ...(documented[0] as object), TenantHint: 'lab' };
    const result = checkRequestRecord(extended);
    assert.ok(result.ok);
    assert.equal(result.value.raw, extended);
    assert.equal((result.value.request as Record<string, unknown>).TenantHint, 'lab');
    assert.match(String(result.value.request.SecurityDescriptor), /\u0000$/);
  });

  it('identifies a request by its GUID in lower case without braces', () => {
    const result = checkRequestRecord({ ...(documented[0] as object), Uuid: '{A9B4B42C-CC50-4C9B-89D1-BBC0BCD5A099}' });
    assert.ok(result.ok);
    assert.equal(result.value.id, 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099');
  });

  it('accepts enum names instead of codes and null where strings are expected', () => {
    const result = checkRequestRecord({
      ...(documented[1] as object),
      Status: 'Approved',
      RequestType: 'Unblock',
      Comment: null,
      Submitted: null,
    });
    assert.ok(result.ok);
  });

  it('rejects hostile variants and names the bad field', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ Uuid: 42 }, /^Uuid: /],
      [{ Uuid: 'not-a-guid' }, /^Uuid: not a GUID/],
      [{ Status: { nested: true } }, /^Status: /],
      [{ DataCollection: 'oops' }, /^DataCollection: /],
      [{ DataCollection: [{ Name: 7 }] }, /^DataCollection\.0\.Name: /],
      [{ IsSmartcard: 'yes' }, /^IsSmartcard: /],
    ];
    for (const [change, expected] of cases) {
      const result = checkRequestRecord({ ...(documented[0] as object), ...change });
      assert.equal(result.ok, false, JSON.stringify(change));
      assert.match(result.ok ? '' : result.problems, expected);
    }
  });

  it('rejects a record that is not an object', () => {
    const result = checkRequestRecord('a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099');
    assert.equal(result.ok, false);
  });
});

describe('request lists', () => {
  const [first, second] = ['get-request-1.json', 'get-request-2.json'].map(readFixture);

  it('accepts a single object where a list was expected', () => {
    const list = readRequestList(first);
    assert.equal(list.requests.length, 1);
    assert.equal(list.invalid.length, 0);
  });

  it('reports unreadable records without hiding the valid ones', () => {
    const list = readRequestList([first, { Uuid: 'broken', Status: 3 }, second]);
    assert.deepEqual(
      list.requests.map((request) => request.id),
      ['a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099', '0c96d73f-967b-420e-854a-43ad2a1504bc'],
    );
    assert.equal(list.invalid.length, 1);
    assert.equal(list.invalid[0]?.index, 1);
    assert.match(list.invalid[0]?.problems ?? '', /Uuid/);
  });
});

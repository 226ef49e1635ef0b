import * as assert from 'node:assert/strict';
import { annotateRequestJson } from '../../src/model/requestAnnotations';
import { readFixture } from './helpers';

const isoDate = (date: Date): string => `local ${date.toISOString()}`;

/** The annotations as "Key → label", so a test reads like the editor. */
function annotated(record: unknown): string[] {
  const text = `${JSON.stringify(record, null, 2)}\n`;
  const lines = text.split('\n');
  return annotateRequestJson(text, isoDate).map(({ line, character, label }) => {
    const before = lines[line]?.slice(0, character) ?? '';
    return `${before.trim()} → ${label}`;
  });
}

describe("decoding values inside a request's JSON", () => {
  it('names the codes, dates and empty GUIDs of the documented request, right after each value', () => {
    assert.deepEqual(annotated(readFixture('get-request-1.json')), [
      '"RequestType": 1 → Enroll',
      '"Status": 3 → Approved',
      '"Flags": 2 → Smartcard',
      '"Submitted": "2015-07-07T23:36:21.93Z" → local 2015-07-07T23:36:21.930Z',
      '"Completed": "0001-01-01T00:00:00" → not completed',
      '"NewProfileUuid": "00000000-0000-0000-0000-000000000000" → none',
      '"OldProfileUuid": "00000000-0000-0000-0000-000000000000" → none',
      '"NewSmartcardUuid": "00000000-0000-0000-0000-000000000000" → none',
      '"OldSmartcardUuid": "00000000-0000-0000-0000-000000000000" → none',
    ]);
  });

  it('says "Unknown (n)" for a code nobody documented, and nothing for names a server already spells out', () => {
    assert.deepEqual(annotated({ Uuid: 'x', RequestType: 6, Status: 'Approved' }), ['"RequestType": 6 → Unknown (6)']);
  });

  it('leaves nested values and other fields alone', () => {
    assert.deepEqual(annotated({ DataCollection: [{ Name: 'Status', Value: 3 }], Priority: 0, Comment: 'Status: 3' }), []);
  });
});

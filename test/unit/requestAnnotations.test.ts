import * as assert from 'node:assert/strict';
import { annotateLinkedJson, annotateRequestJson } from '../../src/model/requestAnnotations';
import { readFixture } from './helpers';

const isoDate = (date: Date): string => `local ${date.toISOString()}`;

/** The annotations as "Key → label", so a test reads like the editor. */
function annotated(record: unknown, linked = false): string[] {
  const text = `${JSON.stringify(record, null, 2)}\n`;
  const lines = text.split('\n');
  const names = (id: string): string | undefined =>
    id === 'a039b4d0-5ce8-4eff-8651-181c6576fda3' ? 'Contoso Virtual Smart Card' : undefined;
  return (linked ? annotateLinkedJson(text, names) : annotateRequestJson(text, isoDate, names)).map(({ line, character, label }) => {
    const before = lines[line]?.slice(0, character) ?? '';
    return `${before.trim()} → ${label}`;
  });
}

describe("decoding values inside a request's JSON", () => {
  it('names the codes, dates and empty GUIDs of the documented request, right after each value', () => {
    assert.deepEqual(annotated(readFixture('get-request-1.json')), [
      '"RequestType": 1 → Enroll',
      '"Status": 3 → Approved',
      '"Flags": 2 → Smartcard (inferred)',
      '"Submitted": "2015-07-07T23:36:21.93Z" → local 2015-07-07T23:36:21.930Z',
      '"Completed": "0001-01-01T00:00:00" → not completed',
      '"NewProfileUuid": "00000000-0000-0000-0000-000000000000" → none',
      '"OldProfileUuid": "00000000-0000-0000-0000-000000000000" → none',
      '"NewSmartcardUuid": "00000000-0000-0000-0000-000000000000" → none',
      '"OldSmartcardUuid": "00000000-0000-0000-0000-000000000000" → none',
      '"Priority": 0 → highest',
      '"ProfileTemplateUuid": "a039b4d0-5ce8-4eff-8651-181c6576fda3" → Contoso Virtual Smart Card',
    ]);
  });

  it('names every sourced request type, says "Unknown (n)" for the rest, and nothing for names a server already spells out', () => {
    assert.deepEqual(annotated({ Uuid: 'x', RequestType: 6, Status: 'Approved' }), ['"RequestType": 6 → Duplicate']);
    assert.deepEqual(annotated({ RequestType: 11 }), ['"RequestType": 11 → TemporaryCardEnroll']);
    assert.deepEqual(annotated({ RequestType: 12 }), ['"RequestType": 12 → Unknown (12)']);
  });

  it('says where priority sits between highest and lowest', () => {
    assert.deepEqual(annotated({ Priority: 255 }), ['"Priority": 255 → lowest']);
    assert.deepEqual(annotated({ Priority: 4 }), ['"Priority": 4 → 0 highest … 255 lowest']);
  });

  it('leaves nested values and other fields alone', () => {
    assert.deepEqual(annotated({ DataCollection: [{ Name: 'Status', Value: 3 }], Comment: 'Status: 3' }), []);
  });

  it("decodes a linked smart card's and profile's codes, each marked inferred, and leaves codes no table names raw", () => {
    const card = readFixture('linked/get-smartcard-data-2.json');
    assert.deepEqual(annotated({ Smartcard: card, Certificates: [{ CertificateType: 1 }], Operations: ['renew'] }, true), [
      '"Status": 2 → Assigned (inferred)',
      '"Flags": 1 → Primary (inferred)',
      '"ParentSmartcardUuid": "00000000-0000-0000-0000-000000000000" → none',
      '"PrimarySmartcardUuid": "00000000-0000-0000-0000-000000000000" → none',
      '"PermanentSmartcardUuid": "00000000-0000-0000-0000-000000000000" → none',
      '"ProfileTemplateUuid": "a039b4d0-5ce8-4eff-8651-181c6576fda3" → Contoso Virtual Smart Card',
    ]);
    assert.deepEqual(annotated({ Profile: { Status: 2 } }, true), ['"Status": 2 → Active (inferred)']);
    assert.deepEqual(annotated({ Profile: { Status: 5 } }, true), []);
  });

  it("decodes generation options' key usages, export and protection from WinRT's values, marked inferred", () => {
    const options = readFixture('linked/get-certificate-request-generation-options-1.json');
    assert.deepEqual(annotated({ Profiles: [], CertificateRequestGenerationOptions: options }, true), [
      '"Exportable": 0 → NotExportable (inferred)',
      '"KeyProtectionLevel": 0 → NoConsent (inferred)',
      '"KeyUsages": 3 → Decryption | Signing (inferred)',
    ]);
  });
});

import * as assert from 'node:assert/strict';
import { checkRequestRecord, type ReceivedRequest } from '../../src/cm/schemas';
import { isSmartcardRequest, requestLabel, summarizeRequest } from '../../src/model/requestSummary';
import { readFixture } from './helpers';

const isoDate = (date: Date): string => date.toISOString();

function documented(name: string, overrides: Record<string, unknown> = {}): ReceivedRequest {
  const result = checkRequestRecord({ ...(readFixture(name) as object), ...overrides });
  assert.ok(result.ok);
  return result.value;
}

describe('request summary', () => {
  it("labels a request with its type and its template's name, or the template's first GUID digits without one", () => {
    assert.equal(requestLabel(documented('get-request-1.json'), 'Contoso Virtual Smart Card'), 'Enroll · Contoso Virtual Smart Card');
    assert.equal(requestLabel(documented('get-request-2.json')), 'Unblock · template a039b4d0');
    assert.equal(requestLabel(documented('get-request-1.json', { RequestType: 6 })), 'Duplicate · template a039b4d0');
    assert.equal(requestLabel(documented('get-request-1.json', { RequestType: 12, ProfileTemplateUuid: null })), 'Unknown (12) · a9b4b42c');
  });

  it('gives priority its meaning, the template its name, and a finished request how long it took', () => {
    const rows = new Map(
      summarizeRequest(
        documented('get-request-1.json', { Priority: 255, Completed: '2015-07-08T01:40:21.93Z' }),
        isoDate,
        'Contoso Virtual Smart Card',
      ),
    );
    assert.equal(rows.get('Priority'), '255 (lowest)');
    assert.equal(rows.get('Profile template'), 'Contoso Virtual Smart Card (a039b4d0-5ce8-4eff-8651-181c6576fda3)');
    assert.equal(rows.get('Took'), '2 h 4 min (Submitted → Completed)');
    assert.equal(new Map(summarizeRequest(documented('get-request-1.json'), isoDate)).get('Took'), undefined);
  });

  it('trusts IsSmartcard and IsEnrollmentAgent over the inferred flag bits, and says when they disagree', () => {
    const rows = new Map(summarizeRequest(documented('get-request-1.json', { Flags: 2, IsSmartcard: false }), isoDate));
    assert.equal(rows.get('Flags'), 'Smartcard (2), bits inferred; the record disagrees (IsSmartcard is false), which is the authority');
    assert.equal(rows.get('Smart card'), 'no');
  });

  it('decodes codes, the never-completed date, zero GUIDs and the NUL-padded SDDL', () => {
    const rows = new Map(summarizeRequest(documented('get-request-1.json'), isoDate));
    assert.equal(rows.get('Type'), 'Enroll (1)');
    assert.equal(rows.get('Status'), 'Approved (3)');
    assert.equal(rows.get('Flags'), 'Smartcard (2), bits inferred');
    assert.equal(rows.get('Priority'), '0 (highest)');
    assert.equal(rows.get('Submitted'), '2015-07-07T23:36:21.930Z');
    assert.equal(rows.get('Completed'), 'not completed');
    assert.equal(rows.get('New profile'), 'none');
    assert.equal(rows.get('Data collection'), 'none');
    assert.equal(rows.get('Data collection flags'), '0x20 (32)');
    assert.match(rows.get('Security descriptor') ?? '', /^O:S-1-5-21-.*14995557\)$/);
  });

  it('shows data-collection items, with empty values marked', () => {
    const rows = new Map(summarizeRequest(documented('get-request-2.json'), isoDate));
    assert.equal(rows.get('Data collection'), 'Sample Data Item = (empty)');
    assert.equal(rows.get('New smart card'), '17cf063d-e337-4aa9-a822-346554ddd3c9');
  });

  it('shows an unknown status code as Unknown (n) and lists fields the table does not know', () => {
    const rows = new Map(summarizeRequest(documented('get-request-1.json', { Status: 99, Region: 'EMEA' }), isoDate));
    assert.equal(rows.get('Status'), 'Unknown (99)');
    assert.equal(rows.get('Region'), 'EMEA');
  });

  it('tells smart card requests from software ones', () => {
    assert.equal(isSmartcardRequest(documented('get-request-1.json')), true);
    assert.equal(isSmartcardRequest(documented('get-request-1.json', { IsSmartcard: false, Flags: 0 })), false);
    assert.equal(isSmartcardRequest(documented('get-request-1.json', { IsSmartcard: undefined, Flags: 2 })), true);
  });
});

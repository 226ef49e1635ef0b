import * as assert from 'node:assert/strict';
import {
  dataCollectionFlagsText,
  policyTypeFor,
  priorityText,
  REQUEST_STATUSES,
  requestFlagNames,
  requestStatusName,
  requestTypeName,
} from '../../src/cm/codes';

describe('code tables', () => {
  it('decodes every documented status code', () => {
    const codes: Record<string, number> = {
      None: 0,
      Approved: 3,
      Denied: 4,
      Completed: 8,
      Failed: 9,
      Pending: 16,
      Canceled: 17,
      Executing: 18,
    };
    for (const [name, code] of Object.entries(codes)) {
      assert.equal(requestStatusName(code), name);
    }
  });

  it('lists the status groups in the order the tree shows them', () => {
    assert.deepEqual([...REQUEST_STATUSES], ['Pending', 'Approved', 'Executing', 'Completed', 'Failed', 'Denied', 'Canceled', 'None']);
  });

  it('shows codes that are not in the table as "Unknown (n)" instead of guessing', () => {
    assert.equal(requestStatusName(42), 'Unknown (42)');
    assert.equal(requestTypeName(12), 'Unknown (12)');
  });

  it('names request types 1–11 from the CM database numbering the REST examples agree with', () => {
    const names = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((code) => requestTypeName(code));
    assert.deepEqual(names, [
      'Enroll',
      'Recover',
      'Renew',
      'Disable',
      'Unblock',
      'Duplicate',
      'Retire',
      'RecoverOnBehalf',
      'SuspendOrReinstate',
      'OnlineUpdate',
      'TemporaryCardEnroll',
    ]);
  });

  it("maps each request type to its template policy's own name for it", () => {
    assert.equal(policyTypeFor(1), 'Enroll');
    assert.equal(policyTypeFor(4), 'Revoke');
    assert.equal(policyTypeFor(9), 'Reinstate');
    assert.equal(policyTypeFor(11), 'TemporaryEnroll');
    assert.equal(policyTypeFor(12), undefined);
  });

  it('shows priority as a byte where 0 is highest and 255 lowest', () => {
    assert.equal(priorityText(0), '0 (highest)');
    assert.equal(priorityText('255'), '255 (lowest)');
    assert.equal(priorityText(4), '4 (0 highest … 255 lowest)');
    assert.equal(priorityText(300), '300');
    assert.equal(priorityText(null), 'not set');
  });

  it('bounds and cleans a name no table has, since it becomes labels, group names and export cells', () => {
    const name = requestTypeName(`\u202e${'x'.repeat(10_000)}`);
    assert.ok(name.length < 120, `${name.length} characters`);
    assert.doesNotMatch(name, /\u202e/);
  });

  it('accepts names in any case and numeric strings, as servers may send either', () => {
    assert.equal(requestStatusName('pending'), 'Pending');
    assert.equal(requestTypeName('1'), 'Enroll');
    assert.equal(requestTypeName('Renew'), 'Renew');
  });

  it('decodes request flags as names with the raw value', () => {
    assert.equal(requestFlagNames(2), 'Smartcard (2)');
    assert.equal(requestFlagNames(3), 'EnrollmentAgent | Smartcard (3)');
    assert.equal(requestFlagNames(0), 'None (0)');
    assert.equal(requestFlagNames(6), 'Smartcard | 0x4 (6)');
  });

  it('shows data-collection flags as raw bits because their names are undocumented', () => {
    assert.equal(dataCollectionFlagsText(32), '0x20 (32)');
  });
});

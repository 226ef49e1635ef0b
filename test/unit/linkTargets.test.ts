import * as assert from 'node:assert/strict';
import { findLinkTargets } from '../../src/model/linkTargets';
import { RequestFilter } from '../../src/model/requestFilter';
import { correlationIdsIn } from '../../src/model/failureHints';
import { readFixture } from './helpers';

describe('links and filters of the inspector', () => {
  it("links a request's template, profile and smart card GUIDs, never the all-zero ones, and gives the template link the request type's policy", () => {
    const text = `${JSON.stringify(readFixture('get-request-2.json'), null, 2)}\n`;
    const targets = findLinkTargets(text).map(({ kind, id, policyType }) => [kind, id, policyType]);
    assert.deepEqual(targets, [
      ['profile', 'b99ff38c-6653-471f-ae3c-325bb351a6bc', undefined],
      ['profile', 'b99ff38c-6653-471f-ae3c-325bb351a6bc', undefined],
      ['smartcard', '17cf063d-e337-4aa9-a822-346554ddd3c9', undefined],
      ['smartcard', '17cf063d-e337-4aa9-a822-346554ddd3c9', undefined],
      ['template', 'a039b4d0-5ce8-4eff-8651-181c6576fda3', 'Unblock'],
    ]);
    const zeroed = text.replace(/b99ff38c-6653-471f-ae3c-325bb351a6bc/g, '00000000-0000-0000-0000-000000000000');
    assert.equal(findLinkTargets(zeroed).filter((target) => target.kind === 'profile').length, 0);
    const first = findLinkTargets(text)[2];
    const line = text.split('\n')[first?.line ?? 0] ?? '';
    assert.equal(line.slice(first?.start, first?.end), '17cf063d-e337-4aa9-a822-346554ddd3c9');
  });

  it('matches either side of OR, and every word within a side', () => {
    const filter = RequestFilter.parse('aaa bbb OR ccc', (date) => date.toISOString());
    assert.ok(filter?.matchesText('x aaa y bbb'));
    assert.ok(filter?.matchesText('ccc'));
    assert.ok(!filter?.matchesText('aaa'));
    assert.ok(RequestFilter.parse('or', (date) => date.toISOString())?.matchesText('vendor'));
  });

  it("finds the correlation ids in CM's error pages", () => {
    assert.deepEqual(correlationIdsIn('An error has occurred. Correlation ID: 6F1C2B9E-0d4a-4c1e-9b7a-3e2f1d0c9b8a'), [
      '6f1c2b9e-0d4a-4c1e-9b7a-3e2f1d0c9b8a',
    ]);
    assert.deepEqual(correlationIdsIn('nothing here'), []);
  });
});

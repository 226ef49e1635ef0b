import * as assert from 'node:assert/strict';
import { checkRequestRecord, type ReceivedRequest } from '../../src/cm/schemas';
import { RequestFilter } from '../../src/model/requestFilter';
import { readFixture } from './helpers';

const isoDate = (date: Date): string => date.toISOString();

function request(overrides: Record<string, unknown> = {}): ReceivedRequest {
  const result = checkRequestRecord({ ...(readFixture('get-request-1.json') as object), ...overrides });
  assert.ok(result.ok);
  return result.value;
}

function filter(text: string): RequestFilter {
  const parsed = RequestFilter.parse(text, isoDate);
  assert.ok(parsed !== undefined, `"${text}" is a filter`);
  return parsed;
}

describe('filtering requests by text', () => {
  it('finds a request by the start of its GUID, its target user or its template, in any case and with braces', () => {
    const documented = request();
    assert.ok(filter('a9b4b42c').matches(documented));
    assert.ok(filter('{8F1590DC-D932-4B66-8E68-2E91C5880780}').matches(documented), 'target user, braced, upper case');
    assert.ok(filter('a039b4d0').matches(documented), 'profile template');
    assert.ok(!filter('0c96d73f').matches(documented));
  });

  it('matches decoded names and the comment, and needs every word', () => {
    const documented = request({ Comment: 'Replacement card for Jane' });
    assert.ok(filter('enroll smartcard').matches(documented));
    assert.ok(filter('jane').matches(documented));
    assert.ok(!filter('unblock jane').matches(documented), 'one word missing is no match');
  });

  it('searches fields a newer server adds', () => {
    assert.ok(filter('helpdesk-7').matches(request({ RequestedBy: 'helpdesk-7' })));
  });

  it('treats blank text as no filter', () => {
    assert.equal(RequestFilter.parse('   ', isoDate), undefined);
    assert.equal(RequestFilter.parse(' {} ', isoDate), undefined);
  });

  it('matches status:, type: and template: terms exactly, in any case and with braces', () => {
    const documented = request();
    assert.ok(filter('status:Approved type:enroll template:{A039B4D0-5CE8-4EFF-8651-181C6576FDA3}').matches(documented));
    assert.ok(!filter('status:completed').matches(documented));
    assert.ok(!filter('type:enrol').matches(documented), 'a field term is the whole value, not its start');
    assert.ok(filter('template:none').matches(request({ ProfileTemplateUuid: '00000000-0000-0000-0000-000000000000' })));
    assert.ok(filter('type:recoveronbehalf').matches(request({ RequestType: 8 })));
    assert.ok(!filter('type:recover').matches(request({ RequestType: 8 })));
    assert.ok(filter('type:unknown42').matches(request({ RequestType: 42 })));
    assert.ok(filter('status:completed OR a9b4b42c').matches(documented), 'field terms mix with text and OR');
    assert.ok(filter('vendor:acme').matches(request({ Note: 'vendor:acme' })), 'other words with a colon are text');
  });
});

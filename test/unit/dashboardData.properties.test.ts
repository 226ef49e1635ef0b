// Property-based: whatever codes, templates and dates a server sends, the dashboard's pivot cell filter finds
// its own request, and its figures count every request exactly once.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { requestStatusName, requestTypeName } from '../../src/cm/codes';
import { checkRequestRecord, type ReceivedRequest } from '../../src/cm/schemas';
import { dashboardFigures } from '../../src/model/dashboardFigures';
import { pivotFilterText } from '../../src/model/filterFields';
import { RequestFilter } from '../../src/model/requestFilter';
import { LoadedRequests } from '../../src/model/requestView';
import { templateKey } from '../../src/model/templateNames';
import { readFixture } from './helpers';

const NOW = Date.UTC(2026, 10, 29);
const code = fc.oneof(fc.integer({ min: -5, max: 40 }), fc.string({ maxLength: 12 }), fc.constant(null));
const template = fc.oneof(
  fc.uuid(),
  fc.uuid().map((id) => `{${id.toUpperCase()}}`),
  fc.string({ maxLength: 40 }),
  fc.constant(null),
);
const date = fc.oneof(
  fc.integer({ min: Date.UTC(2000, 0, 1), max: NOW + 10 * 86_400_000 }).map((time) => new Date(time).toISOString().replace('Z', '')),
  fc.constant('0001-01-01T00:00:00'),
  fc.string({ maxLength: 20 }),
);
const record = fc.record({ RequestType: code, Status: code, ProfileTemplateUuid: template, Submitted: date, Completed: date });

function received(fields: Record<string, unknown>, index: number): ReceivedRequest | undefined {
  const base = readFixture('get-request-1.json') as Record<string, unknown>;
  const checked = checkRequestRecord({ ...base, ...fields, Uuid: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}` });
  return checked.ok ? checked.value : undefined;
}

describe('dashboard figures, whatever the server sends', () => {
  it("a pivot cell's filter matches the request it counts", () => {
    fc.assert(
      fc.property(record, (fields) => {
        const request = received(fields, 1);
        fc.pre(request !== undefined);
        const text = pivotFilterText(
          requestStatusName(request.request.Status),
          requestTypeName(request.request.RequestType),
          templateKey(request.request.ProfileTemplateUuid) ?? '',
        );
        assert.ok(RequestFilter.parse(text, (day) => day.toISOString())?.matches(request), text);
      }),
    );
  });

  it('counts every request once in the pivot and by status, and never throws on odd dates', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), fc.constantFrom(7, 30, 90, 365, 0 as const), (records, range) => {
        const requests = records.map(received).filter((request) => request !== undefined);
        const data = new LoadedRequests([{ status: 'Pending', requests, invalid: [] }]);
        const figures = dashboardFigures(data, range, NOW, () => undefined);
        assert.equal(
          figures.pivot.reduce((sum, [, , , count]) => sum + count, 0),
          requests.length,
        );
        assert.equal(figures.total, requests.length);
        const stacked = Object.values(figures.submissions.counts)
          .flat()
          .reduce((a, b) => a + b, 0);
        assert.ok(stacked <= requests.length);
        assert.ok(figures.failureRate === undefined || (figures.failureRate >= 0 && figures.failureRate <= 1));
      }),
    );
  });
});

// Property-based: the engine's filter index finds, request by request, exactly what the filter finds in one
// request's whole text, whatever the server sent and whatever the user typed.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { readRequestList, type ReceivedRequest } from '../../src/cm/schemas';
import { FilterIndex, foundAmong } from '../../src/model/filterIndex';
import { fieldsOf, RequestFilter } from '../../src/model/requestFilter';
import { readFixture } from './helpers';

const formatDate = (date: Date): string => date.toISOString();
const RECORD = readFixture('get-request-1.json') as Record<string, unknown>;
const ZERO = '00000000-0000-0000-0000-000000000000';

/** Text with what case mapping and matching get wrong: Greek final sigma, dotted İ (lower case is longer), ß. */
const text = fc.string({
  unit: fc.constantFrom('a', 'B', 'σ', 'Σ', 'İ', 'ß', '-', ';', '(', ')', ' ', '\n', '0', '9', 'é', '\u0000', "'"),
  maxLength: 90,
});

/**
 * A few values that many requests share, long ones too (an SDDL, a data collection), so the index's table of
 * shared parts holds values that several requests point to, and a request may hold one twice.
 */
const sharedValues = fc.array(
  fc.oneof(
    text,
    fc.constant(ZERO),
    text.map((value) => `O:S-1-5-21-2127521184D:(A;;RC;;;WD)${value}`),
  ),
  {
    minLength: 1,
    maxLength: 6,
  },
);

const records = sharedValues.chain((shared) => {
  // Also texts the index itself writes (a date as displayed), which a field may hold too.
  const value = fc.oneof(fc.constantFrom(...shared), text, fc.constantFrom(ZERO, 'not completed', 'None (0)'), fc.constant(null));
  return fc.array(
    fc.record({
      uuid: fc.uuid(),
      status: fc.constantFrom(0, 1, 2, 3, 16, 'Pending', 99),
      type: fc.constantFrom(1, 2, 7, 42),
      Completed: fc.constantFrom('0001-01-01T00:00:00', '2015-07-08T01:02:03Z', ''),
      SecurityDescriptor: value,
      Comment: value,
      NewProfileUuid: value,
      OldProfileUuid: value,
      ProfileTemplateUuid: fc.oneof(value, fc.constant('a039b4d0-5ce8-4eff-8651-181c6576fda3')),
      DataCollection: fc.option(fc.array(fc.record({ Name: value, Value: fc.oneof(value, fc.integer()) }), { maxLength: 3 })),
      extra: fc.option(fc.oneof(value, fc.integer(), fc.boolean(), fc.array(value, { maxLength: 2 }))),
    }),
    { minLength: 1, maxLength: 12 },
  );
});

/** Filter text made of pieces of what the requests hold, words of their own, OR, field terms and braces. */
function filterTextFor(received: readonly ReceivedRequest[]): fc.Arbitrary<string> {
  const pieces = received.flatMap(({ request }) =>
    [request.SecurityDescriptor, request.Comment, request.NewProfileUuid, request.ProfileTemplateUuid, request.Uuid].filter(
      (value): value is string => typeof value === 'string' && value !== '',
    ),
  );
  const piece =
    pieces.length === 0
      ? text
      : fc
          .tuple(fc.constantFrom(...pieces), fc.nat(), fc.nat({ max: 12 }))
          .map(([value, from, length]) => value.slice(from % value.length, (from % value.length) + length + 1));
  const word = fc.oneof(
    piece,
    piece.map((value) => value.toUpperCase()),
    piece.map((value) => `{${value}}`),
    text,
    fc.constantFrom(
      'OR',
      'status:pending',
      'type:enroll',
      'template:none',
      'template:a039b4d0-5ce8-4eff-8651-181c6576fda3',
      'sync',
      'not completed',
      'none',
      '2015',
      'true',
      '0',
    ),
  );
  return fc.array(word, { minLength: 1, maxLength: 4 }).map((words) => words.join(' '));
}

describe('filter index properties (fast-check)', () => {
  it('finds, request by request, exactly what the filter finds in each request on its own', function () {
    this.timeout(60_000);
    fc.assert(
      fc.property(
        records.chain((generated) => {
          const received = readRequestList(
            generated.map((record) => ({
              ...RECORD,
              Uuid: record.uuid,
              Status: record.status,
              RequestType: record.type,
              Completed: record.Completed,
              SecurityDescriptor: record.SecurityDescriptor,
              Comment: record.Comment,
              NewProfileUuid: record.NewProfileUuid,
              OldProfileUuid: record.OldProfileUuid,
              ProfileTemplateUuid: record.ProfileTemplateUuid,
              DataCollection: record.DataCollection,
              ...(record.extra === null ? {} : { Extra: record.extra }),
            })),
          ).requests;
          return fc.tuple(fc.constant(received), filterTextFor(received), fc.nat({ max: received.length }));
        }),
        ([received, filterText, builtFirst]) => {
          const filter = RequestFilter.parse(filterText, formatDate);
          fc.pre(filter !== undefined);
          const index = new FilterIndex(received, formatDate, () => undefined);
          // Part indexed in the background, the rest when the filter asks.
          for (let count = 0; count < builtFirst; count++) {
            index.addNext();
          }
          const found = index.matching(filter, (at) => fieldsOf(received[at]));
          assert.deepEqual(
            [...found].map((hit) => hit === 1),
            received.map((request) => filter.matches(request)),
            filterText,
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it("a request's first part is found even when the request before it ended with the same text", () => {
    const { requests } = readRequestList([
      { ...RECORD, Uuid: '11111111-1111-1111-1111-111111111111', Completed: '2015-07-08T01:02:03Z', Extra: 'not completed' },
      { ...RECORD, Uuid: '22222222-2222-2222-2222-222222222222', Completed: '0001-01-01T00:00:00' },
    ]);
    const index = new FilterIndex(requests, formatDate, () => undefined);
    const filter = RequestFilter.parse('not completed', formatDate);
    assert.ok(filter);
    assert.deepEqual([...index.matching(filter, (at) => fieldsOf(requests[at]))], [1, 1]);
  });

  it('a group keeps its found requests, in its own order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat({ max: 50 })), fc.array(fc.boolean(), { minLength: 51, maxLength: 51 }), (order, hits) => {
        const found = Uint8Array.from(hits, Number);
        assert.deepEqual(
          [...foundAmong(Uint32Array.from(order), found)],
          order.filter((index) => hits[index]),
        );
      }),
    );
  });
});

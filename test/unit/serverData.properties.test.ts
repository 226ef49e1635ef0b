// Property-based: whatever JSON a server sends, reading and showing it never throws, stays bounded, and never
// loses a valid record.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkRequestRecord, cmRequestSchema, readRequestList } from '../../src/cm/schemas';
import { boundedJson, cleanServerText, redactUrl } from '../../src/cm/serverText';
import { annotateRequestJson } from '../../src/model/requestAnnotations';
import { RequestFilter, searchableText } from '../../src/model/requestFilter';
import { requestJson } from '../../src/model/requestJson';
import { cmTime, MAX_FIELD_TEXT, requestLabel, summarizeRequest } from '../../src/model/requestSummary';
import { readFixture } from './helpers';

const formatDate = (date: Date): string => date.toISOString();
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const RECORD = readFixture('get-request-1.json') as Record<string, unknown>;
const FIELDS = Object.keys(RECORD);

/** Any JSON value, with full unicode strings (lone surrogates, bidi controls, escapes), keys like __proto__. */
const anyJson = fc.jsonValue({ maxDepth: 6, stringUnit: 'binary' });
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '\u202egnp.exe',
    '\u001b[31mred\u001b[0m',
    'a\r\nb',
    '\ud800',
    '__proto__',
    'constructor',
    '0001-01-01T00:00:00',
    '+275760-09-13T00:00:00Z',
  ),
  fc.nat({ max: 3 }).map((n) => 'x'.repeat(10 ** (n + 3))),
);

const TEXT_FIELDS = [
  'OriginatorUserUuid',
  'TargetUserUuid',
  'Submitted',
  'Completed',
  'NewProfileUuid',
  'OldProfileUuid',
  'NewSmartcardUuid',
  'OldSmartcardUuid',
  'Comment',
  'ProfileTemplateUuid',
  'SecurityDescriptor',
];
const CODE_FIELDS = ['RequestType', 'Flags', 'DataCollectionFlags', 'Priority'];
const codeValue = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), hostileString);

/**
 * A record that passes the schema (a GUID Uuid, a Status, fields of the types the schema takes) with hostile
 * values in every field it allows, and any extra fields with any JSON at all.
 */
const validRecord = fc
  .record({
    uuid: fc.uuid(),
    // Balanced braces as CM tools write them, and the lone brace the schema also lets through.
    braces: fc.constantFrom(['', ''], ['{', '}'], ['{', ''], ['', '}']),
    upper: fc.boolean(),
    status: codeValue,
    texts: fc.dictionary(fc.constantFrom(...TEXT_FIELDS), fc.option(hostileString), { maxKeys: 6 }),
    codes: fc.dictionary(fc.constantFrom(...CODE_FIELDS), fc.option(codeValue), { maxKeys: 4 }),
    dataCollection: fc.option(
      fc.array(fc.record({ Name: fc.option(hostileString), Value: fc.oneof(anyJson, hostileString) }), { maxLength: 80 }),
    ),
    extra: fc.dictionary(
      hostileString.filter((key) => !FIELDS.includes(key)),
      fc.oneof(anyJson, hostileString),
      { maxKeys: 60 },
    ),
  })
  .map(({ uuid, braces, upper, status, texts, codes, dataCollection, extra }) => {
    const id = upper ? uuid.toUpperCase() : uuid;
    return {
      ...RECORD,
      ...texts,
      ...codes,
      DataCollection: dataCollection,
      ...extra,
      Uuid: `${braces[0]}${id}${braces[1]}`,
      Status: status,
    };
  });

/** A deeply nested value, deeper than JSON.stringify's recursion can print. */
function deep(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) {
    value = level % 2 === 0 ? [value] : { nested: value };
  }
  return value;
}

describe('server data properties (fast-check)', () => {
  it('the list reader never throws and keeps every valid record, whatever surrounds it', () => {
    fc.assert(
      fc.property(
        fc.array(validRecord, { maxLength: 5 }),
        fc.array(anyJson, { maxLength: 5 }),
        fc.integer({ min: 0, max: 5 }),
        (valid, junk, at) => {
          const body = [...junk.slice(0, at), ...valid, ...junk.slice(at)];
          const list = readRequestList(body);
          const ids = new Set(list.requests.map((request) => request.id));
          for (const record of valid) {
            assert.ok(ids.has(String(record.Uuid).replace(/[{}]/g, '').toLowerCase()));
          }
          assert.equal(list.requests.length + list.invalid.length, body.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the fast path of record checking accepts exactly what the schema accepts', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          validRecord,
          anyJson,
          validRecord.chain((record) =>
            fc.constantFrom(...Object.keys(record)).chain((key) => anyJson.map((value) => ({ ...record, [key]: value }))),
          ),
        ),
        (raw) => {
          assert.equal(checkRequestRecord(raw).ok, cmRequestSchema.safeParse(raw).success);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("reads every date the way Date.parse does: CM's UTC form with any fraction, and anything else a server writes", () => {
    const cmDate = fc
      .record({
        date: fc.date({ min: new Date('1960-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        fraction: fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 12 }),
      })
      .map(({ date, fraction }) => `${date.toISOString().slice(0, 19)}${fraction === '' ? '' : `.${fraction}`}Z`);
    const mutated = cmDate.chain((text) =>
      fc
        .record({ at: fc.nat({ max: text.length - 1 }), by: fc.string({ maxLength: 2 }) })
        .map(({ at, by }) => `${text.slice(0, at)}${by}${text.slice(at + 1)}`),
    );
    fc.assert(
      fc.property(fc.oneof(cmDate, mutated, hostileString), (text) => {
        const expected = text === '' || text.startsWith('0001-01-01') ? Number.NaN : Date.parse(text);
        assert.equal(cmTime(text), Number.isNaN(expected) ? undefined : expected, text);
      }),
      { numRuns: 3000 },
    );
  });

  it('a filter finds a data collection by its JSON, as the tooltip writes it, whatever its values', () => {
    const item = fc.dictionary(
      fc.oneof(fc.constantFrom('Name', 'Value'), hostileString),
      fc.oneof(hostileString, fc.integer(), fc.boolean(), fc.constant(null)),
      {
        maxKeys: 4,
      },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(item, hostileString, fc.constant(null)), { maxLength: 80 }), (dataCollection) => {
        const checked = checkRequestRecord({ ...RECORD, DataCollection: dataCollection });
        const expected = boundedJson(dataCollection, MAX_FIELD_TEXT).toLowerCase();
        assert.ok(!checked.ok || searchableText(checked.value, formatDate).includes(expected));
      }),
      { numRuns: 300 },
    );
  });

  it('any body at all is either records or reported problems, never an exception', () => {
    fc.assert(
      fc.property(anyJson, (body) => {
        const list = readRequestList(body);
        assert.equal(list.requests.length + list.invalid.length, Array.isArray(body) ? body.length : 1);
      }),
      { numRuns: 300 },
    );
  });

  // Each run may carry megabyte-long fields: slow on a busy 2-core machine, and no timing is asserted.
  it('labels, tooltip rows, filter, JSON document and inlay hints of any valid record are bounded and clean', function () {
    this.timeout(60_000);
    fc.assert(
      fc.property(validRecord, fc.string({ maxLength: 20 }), (raw, filterText) => {
        const [received] = readRequestList([raw]).requests;
        assert.ok(received);
        const label = requestLabel(received);
        assert.ok(label.length <= 200);
        assert.doesNotMatch(label, UNSAFE);
        const rows = summarizeRequest(received, formatDate);
        assert.ok(rows.length <= 80, `${rows.length} rows`);
        for (const [name, value] of rows) {
          assert.ok(name.length <= 200 && value.length <= MAX_FIELD_TEXT + 40, `${name}: ${value.length}`);
          assert.doesNotMatch(name + value, UNSAFE);
        }
        RequestFilter.parse(filterText, formatDate)?.matches(received);
        const text = requestJson(received);
        assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(raw)), 'the document is the server record');
        for (const annotation of annotateRequestJson(text, formatDate)) {
          assert.ok(annotation.label.length <= 200);
          assert.doesNotMatch(annotation.label, UNSAFE);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a record nested 100,000 levels deep is shown (cut) instead of overflowing the stack', () => {
    const raw = { ...RECORD, Extra: deep(100_000) };
    const [received] = readRequestList([raw]).requests;
    assert.ok(received);
    assert.match(requestJson(received), /nested more than 1000 levels/);
    assert.ok(summarizeRequest(received, formatDate).some(([name, value]) => name === 'Extra' && value.includes('…')));
    assert.equal(RequestFilter.parse('a9b4b42c', formatDate)?.matches(received), true);
  });

  it('a 50 MB field is shown shortened, saying how much was left out', () => {
    const [received] = readRequestList([{ ...RECORD, Comment: 'c'.repeat(50_000_000) }]).requests;
    assert.ok(received);
    const comment = summarizeRequest(received, formatDate).find(([name]) => name === 'Comment')?.[1] ?? '';
    assert.match(comment, /^c+… 49,998,000 more characters$/);
  });

  it('cleaning is bounded and idempotent for any text; URLs never keep user:password', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), fc.integer({ min: 1, max: 500 }), (text, max) => {
        const once = cleanServerText(text, max);
        assert.doesNotMatch(once, UNSAFE);
        assert.ok(once.length <= max + 40);
        assert.doesNotMatch(once, /[\r\n\t]/);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.webUrl({ withQueryParameters: true }),
        fc.stringMatching(/^[a-z]{1,8}$/),
        fc.stringMatching(/^[a-z0-9]{6,12}$/),
        (url, user, password) => {
          const withSecret = url.replace('://', `://${user}:${password}@`);
          assert.ok(!redactUrl(withSecret).includes(`${user}:${password}`));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('bounded JSON of any value never throws and respects its bound', () => {
    fc.assert(
      fc.property(anyJson, fc.integer({ min: 10, max: 300 }), (value, max) => {
        assert.ok(boundedJson(value, max).length <= max + 40);
      }),
      { numRuns: 300 },
    );
  });
});

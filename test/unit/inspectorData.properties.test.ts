// Property-based: whatever a server sends for the objects a request links to (templates, policies, profiles,
// smart cards), explaining and linking them never throws and stays bounded and clean.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkRequestRecord } from '../../src/cm/schemas';
import { findLinkTargets } from '../../src/model/linkTargets';
import { pendingReasons } from '../../src/model/pendingReasons';
import { annotateLinkedJson } from '../../src/model/requestAnnotations';
import { prettyJson } from '../../src/model/requestJson';
import { listTemplateNames } from '../../src/model/templateNames';
import { RecordingLogger, readFixture } from './helpers';

const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const anyJson = fc.jsonValue({ maxDepth: 5, stringUnit: 'binary' });
const request = (() => {
  const checked = checkRequestRecord(readFixture('get-request-1.json'));
  assert.ok(checked.ok);
  return checked.value;
})();

describe('server data about linked objects, whatever it holds', () => {
  it('a linked document is annotated and linked without throwing, with short clean hints', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('Smartcard', 'Profile', 'Profiles', 'Certificates', 'x'), anyJson), (document) => {
        const text = prettyJson(document);
        for (const annotation of annotateLinkedJson(text, () => '\u202eevil\u0000name')) {
          assert.ok(annotation.label.length <= 200 && !UNSAFE.test(annotation.label), annotation.label);
        }
        for (const target of findLinkTargets(text)) {
          assert.match(target.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
          assert.ok(target.start >= 0 && target.end > target.start);
        }
      }),
    );
  });

  it('a workflow policy of any shape explains a pending request in clean, bounded rows', () => {
    fc.assert(
      fc.property(anyJson, (policy) => {
        for (const [topic, text] of pendingReasons(request, policy, undefined, undefined)) {
          assert.ok(text.length <= 400 && !UNSAFE.test(text), `${topic}: ${text}`);
        }
      }),
    );
  });

  it('a template list of any shape gives clean, bounded names keyed by lower-case GUIDs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(anyJson, fc.array(fc.record({ Uuid: fc.uuid(), Name: fc.string({ unit: 'binary', maxLength: 300 }) }))),
        async (body) => {
          const names = await listTemplateNames({ call: () => Promise.resolve(body) }, new AbortController().signal, new RecordingLogger());
          for (const [id, name] of names ?? []) {
            assert.match(id, /^[0-9a-f-]{36}$/);
            assert.ok(name.length > 0 && name.length <= 120 && !UNSAFE.test(name), name);
          }
        },
      ),
    );
  });
});

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { EngineHandle } from '../../src/engine/engineHandle';
import type { EngineConfig, LoadOutcome } from '../../src/engine/protocol';
import { requestTypeName } from '../../src/cm/codes';
import { CmError } from '../../src/cm/errors';
import { generateRequests, READ_ONLY_USER_UUID, STATUS_CODES, type SimulatedRequest } from '../../tools/cm-simulator/data';
import { CmSimulator } from '../../tools/cm-simulator/server';
import { RecordingLogger, testSettings } from './helpers';

const WORKER = path.join(__dirname, '..', '..', 'src', 'engine', 'worker.js');
const DOCUMENTED = 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099';
const UNLISTED_TEMPLATE = 'a039b4d0-5ce8-4eff-8651-181c6576fda3';

function config(host: string): EngineConfig {
  return { connection: testSettings({ host }), secrets: {}, userAgent: 'test', locale: 'en-US', rereadSecrets: false };
}

const loaded = (outcome: LoadOutcome): Extract<LoadOutcome, { kind: 'loaded' }> => {
  assert.equal(outcome.kind, 'loaded', JSON.stringify(outcome));
  return outcome;
};

describe('the request inspector, against the simulator through the engine', function () {
  this.timeout(20_000);
  let sim: CmSimulator;
  let url: string;
  let requests: SimulatedRequest[];
  let handle: EngineHandle;

  before(async () => {
    requests = generateRequests(300, 11);
    sim = new CmSimulator({ requests });
    url = await sim.start(0);
    handle = new EngineHandle(WORKER, new RecordingLogger());
    await handle.call('configure', config(url));
  });
  after(async () => {
    handle.dispose();
    await sim.stop();
  });

  it('names every template on the rows, asking by id for the ones the list leaves out, and matches filters on the names', async () => {
    sim.calls.length = 0;
    const outcome = loaded(await handle.call('load', { statuses: ['Pending', 'Approved', 'Completed'] }));
    assert.deepEqual(new Map(outcome.summary.templates).get(UNLISTED_TEMPLATE), 'Contoso Virtual Smart Card');
    assert.equal(sim.calls.filter((call) => /profiletemplates$/i.test(call)).length, 1);
    assert.equal(sim.calls.filter((call) => call.toLowerCase().includes(`profiletemplates/${UNLISTED_TEMPLATE}`)).length, 1);
    const page = await handle.call('page', { group: 'Approved', limit: 500 });
    const documented = page.rows.find((row) => row.id === DOCUMENTED);
    assert.equal(documented?.label, 'Enroll · Contoso Virtual Smart Card');
    assert.equal(documented?.submitted, Date.parse('2015-07-07T23:36:21.93Z'));
    assert.ok(
      page.rows.every((row) => !row.label.includes('template ')),
      'every template has a name',
    );
    const summary = await handle.call('filter', { text: 'smart card logon' });
    const matching = summary?.groups.reduce((sum, group) => sum + (group.matching ?? 0), 0) ?? 0;
    const expected = requests.filter(
      (request) =>
        request.ProfileTemplateUuid === '2b7044cf-aa96-4911-b886-177947e9271b' &&
        [STATUS_CODES.Pending, STATUS_CODES.Approved, STATUS_CODES.Completed].includes(request.Status),
    ).length;
    assert.ok(expected > 0);
    assert.equal(matching, expected);
    await handle.call('filter', { text: '' });
  });

  it('keeps template GUIDs on the rows when the server offers no template names, and still loads', async () => {
    const bare = new CmSimulator({ requests: generateRequests(30, 3), linkedObjects: false });
    const other = new EngineHandle(WORKER, new RecordingLogger());
    try {
      await other.call('configure', config(await bare.start(0)));
      const outcome = loaded(await other.call('load', { statuses: ['Approved'] }));
      assert.deepEqual(outcome.summary.templates, []);
      const page = await other.call('page', { group: 'Approved', limit: 50 });
      assert.ok(page.rows.length > 0);
      assert.ok(
        page.rows.every((row) => / · template [0-9a-f]{8}$/.test(row.label)),
        page.rows.map((row) => row.label).join(),
      );
    } finally {
      other.dispose();
      await bare.stop();
    }
  });

  it("explains a pending request in its tooltip from its template's policy, once per template and type", async () => {
    loaded(await handle.call('load', { statuses: ['Pending'] }));
    const pending = requests.filter((request) => request.Status === STATUS_CODES.Pending && request.RequestType === 1);
    const needing = pending.find((request) => request.ProfileTemplateUuid === UNLISTED_TEMPLATE);
    assert.ok(needing !== undefined);
    sim.calls.length = 0;
    const rows = new Map(await handle.call('details', { requestId: needing.Uuid, group: 'Pending' }));
    assert.equal(rows.get('Approvals needed'), '2 by the Enroll policy of Contoso Virtual Smart Card');
    // Without a directory the policy's SIDs show as they are.
    assert.equal(
      rows.get('Who may approve'),
      'S-1-5-21-2127521184-1604012920-1887927527-5094533; S-1-5-21-2127521184-1604012920-1887927527-5094534',
    );
    assert.match(rows.get('Approvals given') ?? '', /not available through the CM REST API/);
    const again = pending.filter((request) => request.ProfileTemplateUuid === UNLISTED_TEMPLATE).slice(1, 3);
    for (const request of again) {
      await handle.call('details', { requestId: request.Uuid, group: 'Pending' });
    }
    assert.equal(sim.calls.filter((call) => call.includes('/policies/')).length, 1);
  });

  it('says where the reason of a failed request is logged, with its time window', async () => {
    loaded(await handle.call('load', { statuses: ['Failed'] }));
    const failed = requests.find((request) => request.Status === STATUS_CODES.Failed);
    assert.ok(failed !== undefined);
    const rows = new Map(await handle.call('details', { requestId: failed.Uuid, group: 'Failed' }));
    assert.match(rows.get('Why it failed') ?? '', /does not say/);
    assert.match(rows.get('Look between') ?? '', / and /);
    assert.match(rows.get('On the CM server') ?? '', /FIM Certificate Management/);
    assert.match(rows.get('On the CA') ?? '', /FIM Certificate Management/);
  });

  it('lists the correlation ids of failed calls among the hints of a failed request', async () => {
    sim.setFault({ mode: '500' });
    await handle.call('userAction', {});
    await handle.call('load', { statuses: ['Failed'] });
    sim.setFault({ mode: 'none' });
    loaded(await handle.call('load', { statuses: ['Failed'] }));
    const failed = requests.find((request) => request.Status === STATUS_CODES.Failed);
    const rows = new Map(await handle.call('details', { requestId: failed?.Uuid ?? '', group: 'Failed' }));
    assert.match(rows.get('Correlation ids') ?? '', /^6f1c2b9e-0d4a-4c1e-9b7a-3e2f1d0c9b8a \(/);
  });

  it('opens a profile, a smart card and a template with its policy as documents, each section from its own GET', async () => {
    const completed = requests.find(
      (request) => request.Status === STATUS_CODES.Completed && request.NewSmartcardUuid !== '00000000-0000-0000-0000-000000000000',
    );
    assert.ok(completed !== undefined);
    const profile = JSON.parse(
      (await handle.call('document', { kind: 'profile', id: String(completed.NewProfileUuid) })) ?? '{}',
    ) as Record<string, unknown>;
    assert.deepEqual(Object.keys(profile), ['Profile', 'Certificates', 'Operations']);
    assert.equal((profile.Profile as { AssignedUserUuid?: string }).AssignedUserUuid, completed.TargetUserUuid);
    const card = JSON.parse(
      (await handle.call('document', { kind: 'smartcard', id: String(completed.NewSmartcardUuid) })) ?? '{}',
    ) as Record<string, unknown>;
    assert.deepEqual(card.Operations, ['renew', 'unblock', 'retire']);
    const template = JSON.parse(
      (await handle.call('document', { kind: 'template', id: UNLISTED_TEMPLATE, policyType: 'Enroll' })) ?? '{}',
    ) as Record<string, { ApprovalsNeeded?: number; Name?: string }>;
    assert.equal(template.ProfileTemplate?.Name, 'Contoso Virtual Smart Card');
    assert.equal(template['WorkflowPolicy (Enroll)']?.ApprovalsNeeded, 2);
    const objects = JSON.parse((await handle.call('document', { kind: 'objects', id: completed.Uuid })) ?? '{}') as Record<
      string,
      unknown[]
    >;
    assert.equal(objects.Profiles?.length, 1);
    assert.equal(objects.CertificateRequestGenerationOptions?.length, 1);
    assert.equal(await handle.call('document', { kind: 'profile', id: '11111111-2222-4333-8444-555555555555' }), undefined);
  });

  it('writes "Why is this pending?" as a page, and the filter for related requests from the loaded record', async () => {
    loaded(await handle.call('load', { statuses: ['Pending', 'Completed'] }));
    const pending = requests.find(
      (request) => request.Status === STATUS_CODES.Pending && request.ProfileTemplateUuid === UNLISTED_TEMPLATE,
    );
    const page = (await handle.call('whyPending', { requestId: pending?.Uuid ?? '' })) ?? '';
    assert.match(page, /^# Why is request [0-9a-f]{8} pending\?/);
    assert.match(page, /\| Approvals needed \| 2 by the/);
    const completed = requests.find(
      (request) => request.Status === STATUS_CODES.Completed && request.NewSmartcardUuid !== '00000000-0000-0000-0000-000000000000',
    );
    const filter = await handle.call('relatedFilter', { requestId: completed?.Uuid ?? '' });
    assert.equal(filter, [completed?.NewProfileUuid, completed?.NewSmartcardUuid, completed?.TargetUserUuid].join(' OR '));
    const summary = await handle.call('filter', { text: filter ?? '' });
    const sharing = requests.filter(
      (request) =>
        [STATUS_CODES.Pending, STATUS_CODES.Completed].includes(request.Status) &&
        Object.values(request).some((value) =>
          [completed?.NewProfileUuid, completed?.NewSmartcardUuid, completed?.TargetUserUuid].includes(value),
        ),
    ).length;
    assert.equal(
      summary?.groups.reduce((sum, group) => sum + (group.matching ?? 0), 0),
      sharing,
    );
    await handle.call('filter', { text: '' });
  });

  it('groups by type, template or target user and orders oldest first or by priority, with counts, filter, pages and tooltips in every grouping', async () => {
    loaded(await handle.call('load', { statuses: ['Pending', 'Approved', 'Completed'] }));
    const shown = requests.filter((request) =>
      [STATUS_CODES.Pending, STATUS_CODES.Approved, STATUS_CODES.Completed].includes(request.Status),
    );
    const byType = await handle.call('view', { groupBy: 'type', sortOrder: 'oldestFirst' });
    assert.equal(byType?.groupBy, 'type');
    assert.equal(byType?.statusCounts.Pending, shown.filter((request) => request.Status === STATUS_CODES.Pending).length);
    assert.deepEqual(
      byType?.groups.map((group) => [group.label, group.count]),
      [...new Set(shown.map((request) => Number(request.RequestType)))]
        .sort((a, b) => a - b)
        .map((code) => [requestTypeName(code), shown.filter((request) => request.RequestType === code).length]),
    );
    const enroll = byType?.groups.find((group) => group.label === 'Enroll');
    const page = await handle.call('page', { group: enroll?.key ?? '', limit: 500 });
    const times = page.rows.map((row) => row.submitted ?? 0);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
      'oldest first',
    );
    assert.ok(new Set(page.rows.map((row) => row.status)).size > 1, 'a type group holds several statuses');
    const pendingRow = page.rows.find((row) => row.status === 'Pending');
    const rows = new Map(await handle.call('details', { requestId: pendingRow?.id ?? '', group: enroll?.key ?? '' }));
    assert.ok(rows.has('Approvals needed'), 'a pending request is explained in any grouping');

    const byTemplate = await handle.call('view', { groupBy: 'template', sortOrder: 'priority' });
    assert.deepEqual(
      byTemplate?.groups.map((group) => group.label),
      ['Contoso Virtual Smart Card', 'FIM CM Sample Profile Template', 'FIM CM Sample Smart Card Logon Profile Template'],
    );
    const virtual = byTemplate?.groups[0];
    const priorities = (await handle.call('page', { group: virtual?.key ?? '', limit: 500 })).rows.map(
      (row) => shown.find((request) => request.Uuid === row.id)?.Priority as number,
    );
    assert.deepEqual(
      priorities,
      [...priorities].sort((a, b) => a - b),
      'highest priority (0) first',
    );
    const filtered = await handle.call('filter', { text: 'enroll' });
    assert.equal(
      filtered?.groups.reduce((sum, group) => sum + (group.matching ?? 0), 0),
      shown.filter((request) => request.RequestType === 1 || request.RequestType === 11).length, // Enroll, TemporaryCardEnroll
    );
    await handle.call('filter', { text: '' });

    const byUser = await handle.call('view', { groupBy: 'targetUser', sortOrder: 'newestFirst' });
    const counts = byUser?.groups.map((group) => group.count) ?? [];
    assert.deepEqual(
      counts,
      [...counts].sort((a, b) => b - a),
      'largest first',
    );
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      shown.length,
    );
    await handle.call('view', { groupBy: 'status', sortOrder: 'newestFirst' });
  });

  it('cancels a pending request and abandons an approved one with PUT, and explains a refusal or a status that no longer allows it', async () => {
    const ids = (status: number): SimulatedRequest[] =>
      requests.filter((request) => request.Status === status && request.TargetUserUuid !== READ_ONLY_USER_UUID);
    const pending = ids(STATUS_CODES.Pending)[0];
    const approved = ids(STATUS_CODES.Approved).find((request) => request.Uuid !== DOCUMENTED);
    assert.ok(pending !== undefined && approved !== undefined);
    const canceled = JSON.parse((await handle.call('setStatus', { requestId: pending.Uuid, status: 'Canceled' })) ?? '{}') as {
      Status?: number;
    };
    assert.equal(canceled.Status, STATUS_CODES.Canceled);
    const abandoned = JSON.parse((await handle.call('setStatus', { requestId: approved.Uuid, status: 'Abandoned' })) ?? '{}') as {
      Status?: number;
    };
    assert.equal(abandoned.Status, STATUS_CODES.Failed, 'abandoning ends a request in Failed');
    const again = await handle.call('setStatus', { requestId: pending.Uuid, status: 'Canceled' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(again instanceof CmError);
    assert.match(again.message, /could not cancel request [0-9a-f]{8} \(HTTP 500\)/);
    assert.match(again.hint, /status may no longer allow it/);
    const readOnly = requests.find((request) => request.TargetUserUuid === READ_ONLY_USER_UUID && request.Status === STATUS_CODES.Pending);
    const refused = await handle.call('setStatus', { requestId: readOnly?.Uuid ?? '', status: 'Canceled' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(refused instanceof CmError);
    assert.match(refused.message, /refused to cancel request [0-9a-f]{8} \(HTTP 403\): your account lacks the CM permission/);
    assert.equal(readOnly?.Status, STATUS_CODES.Pending);
  });
});

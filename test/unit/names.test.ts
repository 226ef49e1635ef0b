import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { EngineHandle } from '../../src/engine/engineHandle';
import type { EngineConfig, EngineEventMessage } from '../../src/engine/protocol';
import { PAGE_SIZE } from '../../src/servers/serverSession';
import { CmSimulator } from '../../tools/cm-simulator/server';
import { generateRequests } from '../../tools/cm-simulator/data';
import { DirectoryStandIn } from '../../tools/cm-simulator/directoryStandIn';
import { ALICE, CM_APPROVERS, HELPDESK, JANE } from '../../tools/cm-simulator/people';
import { RecordingLogger, testSettings } from './helpers';

const WORKER = path.join(__dirname, '..', '..', 'src', 'engine', 'worker.js');

/** Waits until `check` holds (names arrive in the background), checking every 20 ms, at most 5 s. */
async function until<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('names from the directory, in the engine (against the directory stand-in)', function () {
  this.timeout(20_000);
  let sim: CmSimulator;
  let url: string;
  let directory: DirectoryStandIn;
  let directoryUrl: string;
  const handles: EngineHandle[] = [];

  const engine = async (overrides: Partial<EngineConfig> = {}): Promise<{ handle: EngineHandle; events: EngineEventMessage[] }> => {
    const handle = new EngineHandle(WORKER, new RecordingLogger());
    handles.push(handle);
    const events: EngineEventMessage[] = [];
    handle.onEvent = (event) => events.push(event);
    await handle.call('configure', {
      connection: testSettings({ host: url }),
      secrets: {},
      userAgent: 'test',
      locale: 'en-US',
      rereadSecrets: false,
      directory: { url: directoryUrl, fromUserSettings: true },
      ...overrides,
    });
    return { handle, events };
  };

  before(async () => {
    sim = new CmSimulator({ requests: generateRequests(600, 5) });
    url = await sim.start(0);
    directory = new DirectoryStandIn();
    directoryUrl = await directory.start();
  });
  after(async () => {
    handles.forEach((handle) => handle.dispose());
    await Promise.all([sim.stop(), directory.stop()]);
  });

  it('names the target user on rows once the directory answered, never holding the tree back', async () => {
    const { handle, events } = await engine();
    const outcome = await handle.call('load', { statuses: ['Pending', 'Approved'] });
    assert.equal(outcome.kind, 'loaded');
    const page = await until(
      () => handle.call('page', { group: 'Approved', limit: PAGE_SIZE }),
      (found) => found.rows.every((row) => row.targetName !== undefined),
    );
    const documented = page.rows.find((row) => row.id === 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099');
    assert.equal(documented?.targetName, 'Jane Doe');
    assert.ok(events.some((event) => event.state.state === 'ready'));
    // The whole load asked for at most a few batches, not a search per row.
    assert.ok(directory.requests.filter((line) => line.startsWith('search DC=')).length <= 3, directory.requests.join('\n'));
  });

  it('says who asked for whom in the tooltip: self-service, or on behalf of, with the GUIDs beside the names', async () => {
    const { handle } = await engine();
    await handle.call('load', { statuses: ['Approved', 'Pending', 'Completed'] });
    const details = new Map(await handle.call('details', { requestId: 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099', group: 'Approved' }));
    assert.equal(details.get('Target user'), `Jane Doe (CONTOSO\\jdoe, jdoe@contoso.test) · ${JANE.guid}`);
    assert.equal(details.get('Requested'), 'self-service: the target user asked for it');
    const summary = await handle.call('view', { groupBy: 'originator', sortOrder: 'newestFirst' });
    const helpdesk = summary?.groups.find((group) => group.key === `originator:${HELPDESK.guid}`);
    assert.equal(helpdesk?.label, `Help Desk · ${HELPDESK.guid.slice(0, 8)}`);
    const page = await handle.call('page', { group: helpdesk?.key ?? '', limit: 5 });
    const onBehalf = new Map(await handle.call('details', { requestId: page.rows[0]?.id ?? '', group: helpdesk?.key ?? '' }));
    assert.match(onBehalf.get('Requested') ?? '', /^Help Desk on behalf of /);
  });

  it("finds requests by a person's name or account, as target (user:) or originator (originator:)", async () => {
    const { handle } = await engine();
    await handle.call('load', { statuses: ['Pending', 'Approved', 'Completed'] });
    await until(
      () => handle.call('page', { group: 'Approved', limit: 1 }),
      (page) => page.rows[0]?.targetName !== undefined,
    );
    const byUser = await handle.call('filter', { text: 'user:alice' });
    const byGuid = await handle.call('filter', { text: `user:${ALICE.guid.slice(0, 8)}` });
    assert.ok((byUser?.groups.reduce((sum, group) => sum + (group.matching ?? 0), 0) ?? 0) > 0);
    assert.deepEqual(
      byUser?.groups.map((group) => group.matching),
      byGuid?.groups.map((group) => group.matching),
      'the account finds what the GUID finds',
    );
    const plain = await handle.call('filter', { text: 'smith' });
    const originator = await handle.call('filter', { text: 'originator:helpdesk' });
    assert.ok((plain?.groups[0]?.matching ?? 0) >= (byUser?.groups[0]?.matching ?? 0), 'plain text finds names too');
    assert.ok((originator?.groups.reduce((sum, group) => sum + (group.matching ?? 0), 0) ?? 0) > 0);
    const found = await handle.call('findPeople', { text: 'CONTOSO\\alice' });
    assert.deepEqual(
      found.map((person) => person.guid),
      [ALICE.guid],
    );
  });

  it("names the policy's approvers in Why Is This Pending?, and puts names in the export beside the GUIDs", async () => {
    const { handle } = await engine();
    await handle.call('load', { statuses: ['Pending'] });
    const page = await handle.call('page', { group: 'Pending', limit: PAGE_SIZE });
    const pages = await Promise.all(page.rows.slice(0, 20).map((row) => handle.call('whyPending', { requestId: row.id })));
    const withApprovers = pages.find((text) => text?.includes(CM_APPROVERS.sid));
    assert.match(withApprovers ?? '', /CM Approvers \(CONTOSO\\CM Approvers\) · S-1-5-21-2127521184-1604012920-1887927527-5094533/);
    const chunk = await handle.call('exportChunk', { format: 'csv', from: 0, limit: 3 });
    const [header, first] = chunk.text.split('\r\n');
    assert.match(header ?? '', /Target user,Target user name,Target user account,Originator,Originator name,Originator account/);
    assert.match(first ?? '', /,CONTOSO\\\\?\w+,/);
  });

  it('names the GUIDs and SIDs a document holds, and says which ones the directory does not have', async () => {
    const { handle } = await engine();
    await handle.call('load', { statuses: ['Approved'] });
    const unknown = '11111111-2222-3333-4444-555555555555';
    await until(
      () => handle.call('names', { keys: [JANE.guid, unknown, CM_APPROVERS.sid] }),
      (known) => Object.keys(known).length === 3,
    );
    const known = await handle.call('names', { keys: [JANE.guid, unknown, CM_APPROVERS.sid] });
    assert.equal(known[JANE.guid]?.name, 'Jane Doe');
    assert.equal(known[unknown], null);
    assert.equal(known[CM_APPROVERS.sid]?.kind, 'group');
  });

  it('a directory that is down leaves the tree as it is and says so once, as the directory state', async () => {
    const { handle, events } = await engine({ directory: { url: 'ldap://127.0.0.1:9', fromUserSettings: true } });
    const outcome = await handle.call('load', { statuses: ['Pending'] });
    assert.equal(outcome.kind, 'loaded');
    const failed = await until(
      async () => events.filter((event) => event.state.state === 'failed'),
      (found) => found.length > 0,
    );
    assert.equal(failed.length, 1, 'one warning, not one per batch');
    const first = failed[0]?.state;
    assert.match(first?.state === 'failed' ? first.error.message : '', /directory 127\.0\.0\.1:9 cannot be reached/);
    const page = await handle.call('page', { group: 'Pending', limit: 5 });
    assert.equal(page.rows.length, 5);
    assert.ok(page.rows.every((row) => row.targetName === undefined));
  });
});

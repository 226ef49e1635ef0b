import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { CmError } from '../../src/cm/errors';
import { EngineHandle } from '../../src/engine/engineHandle';
import type { EngineConfig } from '../../src/engine/protocol';
import { PAGE_SIZE } from '../../src/servers/serverSession';
import { Servers } from '../../src/servers/servers';
import { resolveSettings, type Settings } from '../../src/settings/settings';
import { CmSimulator, CONTROL_PATH } from '../../tools/cm-simulator/server';
import { generateRequests, STATUS_CODES } from '../../tools/cm-simulator/data';
import type { Socket } from 'node:net';
import { RecordingLogger, testSettings } from './helpers';
import { head, startRawServer, type RawServer } from './rawServer';

/** The compiled worker entry (tests run from out/test/unit). */
const WORKER = path.join(__dirname, '..', '..', 'src', 'engine', 'worker.js');

function config(host: string, overrides: Partial<EngineConfig> = {}): EngineConfig {
  return { connection: testSettings({ host }), secrets: {}, userAgent: 'test', locale: 'en-US', rereadSecrets: false, ...overrides };
}

describe('a server engine in its worker thread', function () {
  this.timeout(20_000);
  let sim: CmSimulator;
  let url: string;
  const handles: EngineHandle[] = [];
  const engine = (): EngineHandle => {
    const handle = new EngineHandle(WORKER, new RecordingLogger());
    handles.push(handle);
    return handle;
  };

  before(async () => {
    sim = new CmSimulator({ requests: generateRequests(900, 4) });
    url = await sim.start(0);
  });
  after(async () => {
    handles.forEach((handle) => handle.dispose());
    await sim.stop();
  });

  it('loads every status in the worker and hands out only counts, pages of rows and single records', async () => {
    const handle = engine();
    const info = await handle.call('configure', config(url));
    assert.equal(info.kind, 'ready');
    assert.equal(info.hostLabel, new URL(url).host);
    const outcome = await handle.call('load', { statuses: ['Pending', 'Approved', 'Completed'] });
    assert.equal(outcome.kind, 'loaded');
    const groups = outcome.kind === 'loaded' ? outcome.summary.groups : [];
    assert.deepEqual(
      groups.map((group) => group.status),
      ['Pending', 'Approved', 'Completed'],
    );
    const largest = groups.reduce((a, b) => (a.count > b.count ? a : b));
    assert.ok(largest.count > PAGE_SIZE, 'a group larger than one page');
    const page = await handle.call('page', { group: largest.key, limit: PAGE_SIZE });
    assert.equal(page.rows.length, PAGE_SIZE);
    assert.equal(page.remaining, largest.count - PAGE_SIZE);
    assert.match(page.rows[0]?.label ?? '', /^\w+ · (FIM CM Sample|Contoso)/);
    const details = await handle.call('details', { requestId: page.rows[0]?.id ?? '', group: largest.key });
    assert.ok(details?.some(([label]) => label === 'Security descriptor'));
    const json = await handle.call('fetch', { requestId: 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099' });
    assert.match(json ?? '', /^\{\n {2}"Uuid": "a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099",/);
  });

  it('filters in the worker: counts become "n of m" and pages hold only matches', async () => {
    const handle = engine();
    await handle.call('configure', config(url));
    await handle.call('load', { statuses: ['Approved'] });
    const summary = await handle.call('filter', { text: 'a9b4b42c' });
    const approved = summary?.groups.find((group) => group.status === 'Approved');
    assert.equal(approved?.matching, 1);
    const page = await handle.call('page', { group: 'Approved', limit: PAGE_SIZE });
    assert.deepEqual(
      page.rows.map((row) => row.id),
      ['a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099'],
    );
    const cleared = await handle.call('filter', { text: '' });
    assert.equal(cleared?.groups[0]?.matching, undefined);
  });

  it('a filter set right after a load, while the engine still indexes, finds what it finds once indexed', async () => {
    const statuses = ['Pending', 'Approved', 'Executing', 'Completed', 'Failed', 'Denied', 'Canceled', 'None'] as const;
    // A date as the tooltip shows it, a GUID's start and a type name: the three kinds of text a filter reads.
    const shown = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date('2015-07-07T23:36:21.93Z'));
    const filters = [shown, 'a9b4b42c', 'enroll 8f1590dc'];
    const counts = async (handle: EngineHandle, text: string): Promise<number[]> =>
      ((await handle.call('filter', { text })) ?? { groups: [] }).groups.map((group) => group.matching ?? -1);

    const early = engine();
    await early.call('configure', config(url));
    await early.call('load', { statuses: [...statuses] });
    const firstPage = await early.call('page', { group: 'Completed', limit: PAGE_SIZE });
    assert.equal(firstPage.rows.length, PAGE_SIZE);
    const right = await counts(early, filters[0] ?? '');
    const approved = await early.call('page', { group: 'Approved', limit: PAGE_SIZE });
    assert.ok(
      approved.rows.some((row) => row.id === 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099'),
      `"${shown}" finds the documented request`,
    );

    const late = engine();
    await late.call('configure', config(url));
    await late.call('load', { statuses: [...statuses] });
    await late.call('indexed', {});
    assert.deepEqual(right, await counts(late, filters[0] ?? ''));
    for (const text of filters.slice(1)) {
      assert.deepEqual(await counts(early, text), await counts(late, text), text);
    }
  });

  it('after a change of display language, the filter finds dates as the new language shows them', async () => {
    const submitted = new Date('2015-07-07T23:36:21.93Z');
    const shownIn = (locale: string): string =>
      new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(submitted);
    const approvedMatching = async (handle: EngineHandle, text: string): Promise<number | undefined> =>
      (await handle.call('filter', { text }))?.groups.find((group) => group.key === 'Approved')?.matching;

    const handle = engine();
    await handle.call('configure', config(url));
    await handle.call('load', { statuses: ['Approved'] });
    await handle.call('indexed', {});
    assert.ok(((await approvedMatching(handle, shownIn('en-US'))) ?? 0) > 0);

    await handle.call('configure', config(url, { locale: 'de-DE' }));
    assert.ok(((await approvedMatching(handle, shownIn('de-DE'))) ?? 0) > 0, shownIn('de-DE'));
    assert.equal(await approvedMatching(handle, shownIn('en-US')), 0);
  });

  it('a refresh with a filter set counts and pages the requests it loaded, not those of the load before', async () => {
    // Its own server: this test moves a request to another status.
    const moving = new CmSimulator({ requests: generateRequests(900, 4) });
    const movingUrl = await moving.start(0);
    try {
      const handle = engine();
      await handle.call('configure', config(movingUrl));
      await handle.call('load', { statuses: ['Approved', 'Canceled'] });
      await handle.call('filter', { text: 'a9b4b42c' });
      const patched = await fetch(`${movingUrl}${CONTROL_PATH}/requests/a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099`, {
        method: 'PATCH',
        body: JSON.stringify({ Status: STATUS_CODES.Canceled }),
      });
      assert.equal(patched.status, 200);

      const outcome = await handle.call('load', { statuses: ['Approved', 'Canceled'] });
      const matching = outcome.kind === 'loaded' ? outcome.summary.groups.map((group) => [group.key, group.matching]) : [];
      assert.deepEqual(matching, [
        ['Approved', 0],
        ['Canceled', 1],
      ]);
      const approved = await handle.call('page', { group: 'Approved', limit: PAGE_SIZE });
      const canceled = await handle.call('page', { group: 'Canceled', limit: PAGE_SIZE });
      assert.deepEqual(
        [...approved.rows, ...canceled.rows].map((row) => [row.status, row.id]),
        [['Canceled', 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099']],
      );
    } finally {
      await moving.stop();
    }
  });

  it('brings failures back as explained errors', async () => {
    const handle = engine();
    const info = await handle.call('configure', config('cm.contoso.com'));
    assert.equal(info.kind, 'invalid');
    assert.match(info.error?.message ?? '', /not a URL/);
    const outcome = await handle.call('load', { statuses: ['Pending'] });
    assert.equal(outcome.kind, 'failed');
    const error = await handle.call('fetch', { requestId: 'not-a-guid' }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    assert.ok(error instanceof CmError, String(error));
  });
});

describe('several servers side by side', function () {
  this.timeout(30_000);
  let good: CmSimulator;
  let goodUrl: string;
  let slow: RawServer;
  let servers: Servers;
  /** Sockets of the slow server's requests, answered only when the test says so. */
  const held: Socket[] = [];
  let released = false;
  const answer = (socket: Socket): void => void socket.write(head('204 No Content', { 'content-length': 0 }));

  before(async () => {
    good = new CmSimulator({ requests: generateRequests(120, 5) });
    goodUrl = await good.start(0);
    slow = await startRawServer((socket) => (released ? answer(socket) : held.push(socket)));
  });
  after(async () => {
    servers?.dispose();
    await good.stop();
    await slow.stop();
  });

  it('a slow server never delays another, and a failing one never hides it', async () => {
    servers = new Servers(() => new EngineHandle(WORKER, new RecordingLogger()), {
      secretsFor: async () => ({}),
      storeCredential: () => Promise.resolve(),
      userAgent: 'test',
      locale: 'en-US',
      isWatched: () => false,
    });
    const settings = resolveSettings(
      {
        get: (key) =>
          key === 'servers'
            ? [
                { name: 'Production', host: goodUrl },
                { name: 'Slow', host: slow.url },
                { name: 'Broken', host: 'https://cm.nonexistent.invalid' },
              ]
            : undefined,
      },
      { proxy: '', strictSSL: true, noProxy: [], support: 'override' },
    );
    const applied = servers.apply(settings, { rereadSecrets: false });
    const production = servers.find('Production');
    assert.ok(production);
    // Slow has not answered anything yet, and will not until Production has loaded (and Slow's first query has
    // reached its server: each engine starts its own worker, in no set order).
    while (production.summary === undefined || held.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(servers.find('Slow')?.loading, true, 'Slow is still waiting for its server');
    assert.equal(servers.find('Slow')?.summary, undefined);
    released = true;
    held.splice(0).forEach(answer);
    await applied;
    assert.equal(servers.find('Broken')?.error?.kind, 'dns');
    assert.ok(servers.find('Slow')?.summary, 'Slow loads once its server answers');
    assert.ok(production.pendingCount > 0);
  });

  it('a server added while a filter is set shows only what matches, like the others', async () => {
    const added = new Servers(() => new EngineHandle(WORKER, new RecordingLogger()), {
      secretsFor: async () => ({}),
      storeCredential: () => Promise.resolve(),
      userAgent: 'test',
      locale: 'en-US',
      isWatched: () => false,
    });
    const settingsFor = (names: string[]): Settings =>
      resolveSettings(
        { get: (key) => (key === 'servers' ? names.map((name) => ({ name, host: goodUrl })) : undefined) },
        { proxy: '', strictSSL: true, noProxy: [], support: 'override' },
      );
    try {
      await added.apply(settingsFor(['First']), { rereadSecrets: false });
      await added.setFilter(' a9b4b42c ');
      await added.apply(settingsFor(['First', 'Second']), { rereadSecrets: false });
      const matches = (name: string): number | undefined =>
        added.find(name)?.summary?.groups.reduce((sum, group) => sum + (group.matching ?? 0), 0);
      assert.equal(added.filter, 'a9b4b42c');
      assert.equal(added.find('Second')?.filtered, true);
      assert.equal(matches('Second'), 1);
      assert.equal(matches('First'), 1);
    } finally {
      added.dispose();
    }
  });

  it('a server whose engine stopped unexpectedly comes back grouped and filtered as before', async () => {
    const handles: EngineHandle[] = [];
    const restarting = new Servers(
      () => {
        const handle = new EngineHandle(WORKER, new RecordingLogger());
        handles.push(handle);
        return handle;
      },
      {
        secretsFor: async () => ({}),
        storeCredential: () => Promise.resolve(),
        userAgent: 'test',
        locale: 'en-US',
        isWatched: () => false,
      },
    );
    try {
      const settings = resolveSettings(
        { get: (key) => (key === 'host' ? goodUrl : key === 'groupBy' ? 'type' : undefined) },
        { proxy: '', strictSSL: true, noProxy: [], support: 'override' },
      );
      await restarting.apply(settings, { rereadSecrets: false });
      const session = restarting.all[0];
      assert.ok(session);
      await session.setFilter('a9b4b42c');
      const before = session.summary;
      assert.equal(before?.groupBy, 'type');

      const worker = (handles[0] as unknown as { worker: { terminate(): Promise<number> } }).worker;
      await worker.terminate();
      while (session.summary === before || session.loading) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const after = session.summary;
      assert.equal(after?.groupBy, 'type');
      assert.deepEqual(
        after?.groups.map((group) => [group.key, group.matching]),
        before?.groups.map((group) => [group.key, group.matching]),
      );
      const found = after?.groups.find((group) => group.matching === 1);
      const page = await session.page(found?.key ?? '');
      assert.deepEqual(
        page.rows.map((row) => row.id),
        ['a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099'],
      );
    } finally {
      restarting.dispose();
    }
  });
});

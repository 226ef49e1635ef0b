import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { EngineHandle } from '../../src/engine/engineHandle';
import { Servers } from '../../src/servers/servers';
import { resolveSettings } from '../../src/settings/settings';
import { Watcher, type StatusChange } from '../../src/watch/watcher';
import { WatchList } from '../../src/watch/watchList';
import { generateRequests, STATUS_CODES } from '../../tools/cm-simulator/data';
import { CmSimulator } from '../../tools/cm-simulator/server';
import { RecordingLogger } from './helpers';

const WORKER = path.join(__dirname, '..', '..', 'src', 'engine', 'worker.js');
const PROXY = { proxy: '', strictSSL: true, noProxy: [], support: 'override' };

describe('watching a request', function () {
  this.timeout(20_000);
  let sim: CmSimulator;
  let url: string;
  let servers: Servers | undefined;
  let watcher: Watcher | undefined;
  const requests = generateRequests(80, 9);

  before(async () => {
    sim = new CmSimulator({ requests });
    url = await sim.start(0);
  });
  afterEach(() => {
    watcher?.dispose();
    servers?.dispose();
  });
  after(async () => {
    await sim.stop();
  });

  const start = async (
    settings: Record<string, unknown>,
    secret?: { method: 'basic'; username: string; password: string },
  ): Promise<{ list: WatchList; changes: StatusChange[]; saved: Record<string, string[]>[]; focused: { value: boolean } }> => {
    servers = new Servers(() => new EngineHandle(WORKER, new RecordingLogger()), {
      secretsFor: () => Promise.resolve(secret === undefined ? {} : { credential: secret }),
      storeCredential: () => Promise.resolve(),
      userAgent: 'test',
      locale: 'en-US',
      isWatched: () => false,
    });
    await servers.apply(resolveSettings({ get: (key) => settings[key] }, PROXY), { rereadSecrets: false });
    const saved: Record<string, string[]>[] = [];
    const list = new WatchList({ get: () => saved.at(-1), set: (value) => Promise.resolve(void saved.push(value)) });
    const changes: StatusChange[] = [];
    const focused = { value: true };
    const all = servers;
    watcher = new Watcher(
      list,
      { servers: () => all.all, isWatched: () => focused.value, notify: (change) => changes.push(change) },
      60_000,
    );
    return { list, changes, saved, focused };
  };

  it('polls the watched request by id, keeps the list, and announces each status change', async () => {
    const { list, changes, saved, focused } = await start({ host: url });
    const session = servers?.all[0];
    const pending = requests.find((request) => request.Status === STATUS_CODES.Pending);
    assert.ok(session !== undefined && pending !== undefined);
    await list.add(session.id, pending.Uuid);
    assert.deepEqual(saved.at(-1), { [session.id]: [pending.Uuid] }, 'the list is kept');
    await watcher?.pollOne(session, pending.Uuid);
    assert.equal(list.of(session.id)[0]?.row?.status, 'Pending');
    sim.calls.length = 0;
    focused.value = false;
    await watcher?.tick();
    assert.deepEqual(sim.calls, [], 'nothing is polled while VS Code has no focus');
    focused.value = true;
    pending.Status = STATUS_CODES.Approved;
    await watcher?.tick();
    assert.deepEqual(sim.calls, [`/CertificateManagement/api/v1.0/requests/${pending.Uuid}`], 'one GET by id, nothing else');
    assert.deepEqual(
      changes.map((change) => [change.before, change.row.status, change.row.id]),
      [['Pending', 'Approved', pending.Uuid]],
    );
    await watcher?.tick();
    assert.equal(changes.length, 1, 'no announcement without a change');
    await list.remove(session.id, pending.Uuid);
    assert.deepEqual(saved.at(-1), {});
  });

  it('never polls while the server has rejected the credentials', async () => {
    sim.setAuth({ basic: { username: 'alice', password: 'right' } });
    try {
      const { list } = await start({ host: url, authentication: 'basic' }, { method: 'basic', username: 'alice', password: 'wrong' });
      const session = servers?.all[0];
      assert.ok(session !== undefined);
      assert.equal(session.credentialsRejected, true);
      await list.add(session.id, requests[0]?.Uuid ?? '');
      sim.calls.length = 0;
      await watcher?.tick();
      await watcher?.tick();
      assert.deepEqual(sim.calls, []);
    } finally {
      sim.setAuth(undefined);
    }
  });
});

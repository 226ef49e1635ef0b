import * as assert from 'node:assert/strict';
import { REQUEST_STATUSES, type RequestStatusName } from '../../src/cm/codes';
import { CmError } from '../../src/cm/errors';
import type { ReceivedRequest, RequestList } from '../../src/cm/schemas';
import { checkRequestRecord } from '../../src/cm/schemas';
import { CodeTableWarnings, loadSnapshot, mapWithLimit } from '../../src/model/requestSnapshot';
import { readFixture, RecordingLogger, startSimulator } from './helpers';

function received(overrides: Record<string, unknown>): ReceivedRequest {
  const result = checkRequestRecord({ ...(readFixture('get-request-1.json') as object), ...overrides });
  assert.ok(result.ok);
  return result.value;
}

describe('loading the status groups', () => {
  it('groups by what the server answers for each status filter, with counts matching its data', async () => {
    const sim = await startSimulator({ count: 120, seed: 3 });
    try {
      const snapshot = await loadSnapshot(sim.client(), new AbortController().signal, new CodeTableWarnings(sim.logger));
      assert.deepEqual(
        snapshot.groups.map((group) => group.status),
        [...REQUEST_STATUSES],
      );
      const total = snapshot.groups.reduce((sum, group) => sum + group.requests.length, 0);
      assert.equal(total, 120);
      const approved = snapshot.groups.find((group) => group.status === 'Approved');
      assert.ok(approved?.requests.some((request) => request.id === 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099'));
      assert.equal(sim.simulator.calls.length, REQUEST_STATUSES.length);
    } finally {
      await sim.stop();
    }
  });

  it("asks only for the statuses it is told to, in the tree's order", async () => {
    const sim = await startSimulator({ count: 60, seed: 3 });
    try {
      const snapshot = await loadSnapshot(sim.client(), new AbortController().signal, new CodeTableWarnings(sim.logger), [
        'Pending',
        'Failed',
      ]);
      assert.deepEqual(
        snapshot.groups.map((group) => group.status),
        ['Pending', 'Failed'],
      );
      assert.deepEqual(sim.simulator.calls.map((call) => new URLSearchParams(call.split('?')[1]).get('status')).sort(), [
        'Failed',
        'Pending',
      ]);
    } finally {
      await sim.stop();
    }
  });

  it('lists each group newest first', async () => {
    const sim = await startSimulator({ count: 80, seed: 5 });
    try {
      const snapshot = await loadSnapshot(sim.client(), new AbortController().signal, new CodeTableWarnings(sim.logger));
      for (const group of snapshot.groups) {
        const times = group.requests.map((request) => Date.parse(request.request.Submitted ?? ''));
        assert.deepEqual(
          times,
          [...times].sort((a, b) => b - a),
          group.status,
        );
      }
    } finally {
      await sim.stop();
    }
  });

  it('throws one explained error when every status fails', async () => {
    const sim = await startSimulator({ fault: { mode: '403' } });
    try {
      await assert.rejects(
        loadSnapshot(sim.client(), new AbortController().signal, new CodeTableWarnings(sim.logger)),
        (error) => error instanceof CmError && error.kind === 'forbidden',
      );
    } finally {
      await sim.stop();
    }
  });

  it('keeps the other groups when only one status query fails', async () => {
    const approved = received({});
    const client = {
      listRequests: async (status: RequestStatusName): Promise<RequestList> => {
        if (status === 'None') {
          throw new CmError({ kind: 'server', message: 'HTTP 500', hint: 'retry', action: 'retry', status: 500 });
        }
        return { requests: status === 'Approved' ? [approved] : [], invalid: [] };
      },
    };
    const snapshot = await loadSnapshot(client, new AbortController().signal, new CodeTableWarnings(new RecordingLogger()));
    assert.equal(snapshot.groups.find((group) => group.status === 'None')?.error?.status, 500);
    assert.equal(snapshot.groups.find((group) => group.status === 'Approved')?.requests.length, 1);
  });

  it('shows a request the server returns twice in one group only once', async () => {
    const request = received({});
    const client = {
      listRequests: async (status: RequestStatusName): Promise<RequestList> => ({
        requests: status === 'Approved' ? [request, request] : [],
        invalid: [],
      }),
    };
    const snapshot = await loadSnapshot(client, new AbortController().signal, new CodeTableWarnings(new RecordingLogger()));
    assert.equal(snapshot.groups.find((group) => group.status === 'Approved')?.requests.length, 1);
  });

  it('warns once when the server files a code under a status our table reads differently', () => {
    const logger = new RecordingLogger();
    const warnings = new CodeTableWarnings(logger);
    warnings.check('Pending', [received({ Status: 5 }), received({ Status: 5, Uuid: '0c96d73f-967b-420e-854a-43ad2a1504bc' })]);
    warnings.check('Pending', [received({ Status: 16 })]);
    const warned = logger.lines.filter((line) => line.startsWith('warn'));
    assert.equal(warned.length, 1);
    assert.match(warned[0] ?? '', /status=Pending.*Status code 5 reads as Unknown \(5\)/);
  });

  it('runs at most four status queries at once', async () => {
    let running = 0;
    let peak = 0;
    await mapWithLimit([...REQUEST_STATUSES], 4, async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 10));
      running--;
    });
    assert.equal(peak, 4);
  });
});

import * as assert from 'node:assert/strict';
import { requestTypeName } from '../../src/cm/codes';
import type { EngineHandle } from '../../src/engine/engineHandle';
import { ageBucket, percentile } from '../../src/model/dashboardFigures';
import { ageBucketLabels, formatDuration } from '../../src/model/dashboardScales';
import { pivotFilterText } from '../../src/model/filterFields';
import { generateRequests, STATUS_CODES } from '../../tools/cm-simulator/data';
import { startLoadedEngine } from './helpers';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 10, 29, 12);

describe('dashboard figures', function () {
  this.timeout(20_000);

  it('takes percentiles by nearest rank and puts ages in their buckets', () => {
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5), 5);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 9);
    assert.equal(percentile([42], 0.9), 42);
    assert.ok(Number.isNaN(percentile([], 0.5)));
    assert.deepEqual(
      [0.5, 3, 20, 60, 200, 900].map((days) => ageBucket(days * DAY)),
      [0, 1, 2, 3, 4, 5],
    );
  });

  describe('from a loaded server', () => {
    let engine: Awaited<ReturnType<typeof startLoadedEngine>>;
    let handle: EngineHandle;
    const requests = generateRequests(500, 5);
    const open = [STATUS_CODES.Pending, STATUS_CODES.Approved, STATUS_CODES.Executing];

    before(async () => {
      engine = await startLoadedEngine(requests, ['Pending', 'Approved', 'Executing', 'Completed', 'Failed', 'Denied', 'Canceled', 'None']);
      handle = engine.handle;
    });
    after(async () => {
      await engine.stop();
    });

    it('counts open requests by status, the oldest open one, completions and the failure rate as the server holds them', async () => {
      const figures = await handle.call('dashboard', { range: 30, now: NOW });
      assert.ok(figures !== undefined);
      const count = (code: number): number => requests.filter((request) => request.Status === code).length;
      assert.equal(figures.total, requests.length);
      assert.equal(
        figures.open,
        open.reduce((sum, code) => sum + count(code), 0),
      );
      assert.equal(figures.byStatus.Pending, count(STATUS_CODES.Pending));
      const oldest = requests
        .filter((request) => open.includes(request.Status))
        .sort((a, b) => Date.parse(String(a.Submitted)) - Date.parse(String(b.Submitted)))[0];
      assert.equal(figures.oldestOpen?.id, oldest?.Uuid);
      const completedWithin = (days: number): number =>
        requests.filter((request) => request.Status === STATUS_CODES.Completed && NOW - Date.parse(String(request.Completed)) <= days * DAY)
          .length;
      assert.equal(figures.completedLast7, completedWithin(7));
      assert.equal(figures.completedLast30, completedWithin(30));
      assert.equal(figures.failureRate, count(STATUS_CODES.Failed) / (count(STATUS_CODES.Failed) + count(STATUS_CODES.Completed)));
    });

    it('stacks submissions per day within the range, and per week over all', async () => {
      const month = await handle.call('dashboard', { range: 30, now: NOW });
      const inMonth = requests.filter((request) => Date.parse(String(request.Submitted)) >= (month?.submissions.start ?? 0)).length;
      const stacked = Object.values(month?.submissions.counts ?? {})
        .flat()
        .reduce((a, b) => a + b, 0);
      assert.equal(month?.submissions.bucketDays, 1);
      assert.equal(stacked, inMonth);
      const all = await handle.call('dashboard', { range: 0, now: NOW });
      assert.equal(all?.submissions.bucketDays, 7);
      assert.equal(
        Object.values(all?.submissions.counts ?? {})
          .flat()
          .reduce((a, b) => a + b, 0),
        requests.length,
      );
    });

    it('pivots status × type × template to the server counts, ages open requests, and times completion per type', async () => {
      const figures = await handle.call('dashboard', { range: 90, now: NOW });
      assert.ok(figures !== undefined);
      const enrollPending = figures.pivot
        .filter(([status, type]) => status === 'Pending' && type === 'Enroll')
        .reduce((sum, [, , , count]) => sum + count, 0);
      assert.equal(
        enrollPending,
        requests.filter((request) => request.Status === STATUS_CODES.Pending && request.RequestType === 1).length,
      );
      assert.equal(figures.templates['a039b4d0-5ce8-4eff-8651-181c6576fda3'], 'Contoso Virtual Smart Card');
      assert.equal(
        figures.aging.Pending.reduce((a, b) => a + b, 0),
        figures.byStatus.Pending,
      );
      const enroll = figures.durationsByType.find((entry) => entry.key === requestTypeName(1));
      const times = requests
        .filter((request) => request.Status === STATUS_CODES.Completed && request.RequestType === 1)
        .map((request) => Date.parse(String(request.Completed)) - Date.parse(String(request.Submitted)))
        .sort((a, b) => a - b);
      assert.equal(enroll?.count, times.length);
      assert.equal(enroll?.median, times[Math.ceil(times.length / 2) - 1]);
      assert.equal(enroll?.p90, times[Math.ceil(times.length * 0.9) - 1]);
    });

    it('follows the filter, and each pivot cell filters the tree to exactly its requests', async () => {
      const figures = await handle.call('dashboard', { range: 0, now: NOW });
      assert.ok(figures !== undefined);
      try {
        for (const [status, type, template, count] of figures.pivot) {
          const summary = await handle.call('filter', { text: pivotFilterText(status, type, template) });
          const shown = summary?.groups.reduce((sum, group) => sum + (group.matching ?? 0), 0);
          assert.equal(shown, count, `${status} ${type} ${template}`);
          const filtered = await handle.call('dashboard', { range: 0, now: NOW });
          assert.equal(filtered?.total, count);
          assert.deepEqual(filtered?.pivot, [[status, type, template, count]]);
        }
      } finally {
        await handle.call('filter', { text: '' });
      }
      assert.equal((await handle.call('dashboard', { range: 0, now: NOW }))?.total, requests.length);
    });
  });

  it('labels age buckets and writes durations as a report does', () => {
    assert.deepEqual(ageBucketLabels(), ['< 1 d', '1–7 d', '7–30 d', '30–90 d', '90–365 d', '≥ 365 d']);
    assert.deepEqual(
      [45_000, 12 * 60_000, 3.5 * 3_600_000, 2.12 * DAY, 40 * DAY, Number.NaN].map((ms) => formatDuration(ms, 'en')),
      ['45 s', '12 min', '3.5 h', '2.1 d', '40 d', '–'],
    );
  });
});

import * as assert from 'node:assert/strict';
import { formatAge, formatDuration, rowAge } from '../../src/model/requestAge';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('request ages on rows', () => {
  it('says how old a request is in the largest unit that fits', () => {
    assert.equal(formatAge(30_000), 'now');
    assert.equal(formatAge(12 * MINUTE), '12 min');
    assert.equal(formatAge(5 * 60 * MINUTE + 59 * MINUTE), '5 h');
    assert.equal(formatAge(3 * DAY + 1), '3 d');
    assert.equal(formatAge(400 * DAY), '13 mo');
    assert.equal(formatAge(3 * 366 * DAY), '3 y');
  });

  it('warns for open requests past the warning age only, and never when it is 0', () => {
    const now = Date.UTC(2026, 10, 29);
    assert.deepEqual(rowAge('Pending', now - 12 * DAY, now, 7), { text: 'waiting 12 d', overdue: true });
    assert.deepEqual(rowAge('Executing', now - 6 * DAY, now, 7), { text: '6 d', overdue: false });
    assert.deepEqual(rowAge('Completed', now - 90 * DAY, now, 7), { text: '2 mo', overdue: false });
    assert.deepEqual(rowAge('Approved', now - 90 * DAY, now, 0), { text: '2 mo', overdue: false });
    assert.equal(rowAge('Pending', undefined, now, 7), undefined);
    assert.deepEqual(rowAge('Pending', now + DAY, now, 7), { text: 'now', overdue: false });
  });

  it('gives durations to two units', () => {
    assert.equal(formatDuration(45_000), '45 s');
    assert.equal(formatDuration(3 * 60 * MINUTE + 5 * MINUTE), '3 h 5 min');
    assert.equal(formatDuration(2 * DAY + 4 * 60 * MINUTE), '2 d 4 h');
    assert.equal(formatDuration(-1), 'unknown');
  });
});

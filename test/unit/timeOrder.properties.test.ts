// Property-based: the packed-key order of a group is exactly the comparator's order (newest first, ties by id), for
// any mix of times a server can send: equal milliseconds, no date, spans from one second to centuries.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { newestFirstOrder } from '../../src/model/timeOrder';

const group = fc
  .record({
    size: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 4000, max: 9000 })),
    newest: fc.integer({ min: 0, max: 2 ** 42 }),
    span: fc.constantFrom(0, 5, 1000, 86_400_000, 2 ** 40, 2 ** 50),
    undated: fc.double({ min: 0, max: 0.3, noNaN: true }),
    fractional: fc.boolean(),
    seed: fc.integer(),
  })
  .map(({ size, newest, span, undated, fractional, seed }) => {
    let state = seed >>> 0;
    const random = (): number => {
      state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
      return state / 2 ** 32;
    };
    const times = new Float64Array(size);
    for (let index = 0; index < size; index++) {
      times[index] = random() < undated ? Number.NEGATIVE_INFINITY : newest - Math.floor(random() * (span + 1));
    }
    if (fractional && size > 0) {
      times[Math.floor(random() * size)] += 0.5;
    }
    // Unique ids in an order unrelated to the times.
    const ids = Array.from({ length: size }, (_, index) => (Math.imul(index + 1, 2_654_435_761) >>> 0).toString(16).padStart(8, '0'));
    return { times, ids };
  });

describe('the order of a status group (fast-check)', () => {
  it('is newest first, equal times by id, undated last, whatever the times', () => {
    fc.assert(
      fc.property(group, ({ times, ids }) => {
        const expected = Array.from(times.keys()).sort((a, b) => {
          const byTime = times[b] - times[a];
          return byTime > 0 || byTime < 0 ? byTime : ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0;
        });
        assert.deepEqual(Array.from(newestFirstOrder(times, (index) => ids[index])), expected);
      }),
      { numRuns: 120 },
    );
  });
});

// The order of a status group: newest first, ties by id. A refresh sorts every group of up to 200k requests, and
// a comparator sort of that many calls back into JavaScript millions of times. Instead each request's age and
// index are packed into one 64-bit integer and the engine's own numeric sort orders them, with no callbacks.
// Times are whole milliseconds or -Infinity (no readable date), which sorts last.

/** Bits of the packed key that hold the index: groups up to 262,144 requests. */
const INDEX_BITS = 18;
const INDEX_SPAN = 2 ** INDEX_BITS;
/** Ages below 2^45 ms (1,100 years) keep the packed key below 2^63. */
const AGE_SPAN = 2 ** 45;
const LOW_AGE_SPAN = 2 ** (32 - INDEX_BITS);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Indices into `times`, newest first; equal times in the order of their ids. */
export function newestFirstOrder(times: Float64Array, idOf: (index: number) => string): Uint32Array {
  const order = packedOrder(times);
  if (order === undefined) {
    return comparatorOrder(times, idOf);
  }
  sortTiesById(order, times, idOf);
  return order;
}

/**
 * Newest first, ties by index; undefined when the packed key cannot hold a group (a time that is not a whole
 * millisecond, a span of more than 1,100 years, more than 262,144 requests, a big-endian machine).
 */
function packedOrder(times: Float64Array): Uint32Array | undefined {
  const count = times.length;
  let newest = Number.NEGATIVE_INFINITY;
  let oldest = Number.POSITIVE_INFINITY;
  for (const time of times) {
    if (time === Number.NEGATIVE_INFINITY) {
      continue;
    }
    if (!Number.isInteger(time)) {
      return undefined;
    }
    newest = Math.max(newest, time);
    oldest = Math.min(oldest, time);
  }
  const undated = newest === Number.NEGATIVE_INFINITY ? 0 : newest - oldest + 1;
  if (count > INDEX_SPAN || undated >= AGE_SPAN || !LITTLE_ENDIAN) {
    return undefined;
  }
  // Written as two 32-bit words each, low word first: no BigInt is made.
  const keys = new BigUint64Array(count);
  const words = new Uint32Array(keys.buffer);
  for (let index = 0; index < count; index++) {
    const time = times[index];
    const age = time === Number.NEGATIVE_INFINITY ? undated : newest - time;
    words[index * 2] = (age % LOW_AGE_SPAN) * INDEX_SPAN + index;
    words[index * 2 + 1] = Math.floor(age / LOW_AGE_SPAN);
  }
  keys.sort();
  const order = new Uint32Array(count);
  for (let position = 0; position < count; position++) {
    order[position] = words[position * 2] % INDEX_SPAN;
  }
  return order;
}

function comparatorOrder(times: Float64Array, idOf: (index: number) => string): Uint32Array {
  const order = new Uint32Array(times.length);
  for (let index = 0; index < order.length; index++) {
    order[index] = index;
  }
  return order.sort((a, b) => {
    const byTime = times[b] - times[a];
    return byTime > 0 || byTime < 0 ? byTime : compareIds(idOf(a), idOf(b));
  });
}

/** Puts each run of equal times (rare: the same millisecond) in the order of the ids. */
function sortTiesById(order: Uint32Array, times: Float64Array, idOf: (index: number) => string): void {
  let start = 0;
  for (let position = 1; position <= order.length; position++) {
    if (position < order.length && times[order[position]] === times[order[start]]) {
      continue;
    }
    if (position - start > 1) {
      order.subarray(start, position).sort((a, b) => compareIds(idOf(a), idOf(b)));
    }
    start = position;
  }
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

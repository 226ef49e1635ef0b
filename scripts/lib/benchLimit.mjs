// The limit of `npm run bench`, in its own worker thread as each engine is: started fresh, then asked (the
// "go" message) for the same 8 queries as a refresh (the first alone, then 4 at a time) with nothing but undici
// and JSON.parse. With `keep`, the parsed lists are kept until the last has arrived, as anything that holds the
// requests must: the garbage collector then walks them while the rest are parsed.
import { parentPort, workerData } from 'node:worker_threads';
import { request } from 'undici';

const { url, api, statuses, keep } = workerData;

async function limit() {
  const kept = [];
  const one = async (status) => {
    const response = await request(`${url}${api}/requests?status=${status}`);
    const text = await response.body.text();
    const parsed = text === '' ? [] : JSON.parse(text);
    if (keep) {
      kept.push(parsed);
    }
    return parsed.length;
  };
  let total = await one(statuses[0]);
  for (let index = 1; index < statuses.length; index += 4) {
    total += (await Promise.all(statuses.slice(index, index + 4).map(one))).reduce((a, b) => a + b, 0);
  }
  return total;
}

parentPort.once('message', () => {
  void limit().then((total) => parentPort.postMessage(total));
});
parentPort.postMessage('ready');

// The CM server side of `npm run bench`, in its own process so that serving never competes with the extension
// host being measured: seeded requests with a live server's status mix (mostly Completed), each status's body
// serialized once, then answered as fast as a socket takes it.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { generateRequests, STATUS_CODES } = require(path.join(root, 'out/tools/cm-simulator/data.js'));
const { LinkedObjects } = require(path.join(root, 'out/tools/cm-simulator/linkedObjects.js'));

// What years of a CM database look like: finished work dominates, a thin tail is open.
const MIX = [
  ['Completed', 70],
  ['Canceled', 10],
  ['Failed', 6],
  ['Denied', 5],
  ['Pending', 4],
  ['Approved', 3],
  ['Executing', 1],
  ['None', 1],
];

const count = Number(process.argv[2]);
const requests = generateRequests(count, 11);
const byStatus = new Map(MIX.map(([name]) => [name, []]));
requests.forEach((request, index) => {
  const slot = (index * 7919) % 100;
  let bound = 0;
  const [name] = MIX.find(([, weight]) => (bound += weight) > slot);
  request.Status = STATUS_CODES[name];
  byStatus.get(name).push(request);
});
const bodies = new Map([...byStatus].map(([name, list]) => [name.toLowerCase(), Buffer.from(JSON.stringify(list))]));
const all = Buffer.from(JSON.stringify(requests));
const payloadBytes = [...bodies.values()].reduce((sum, body) => sum + body.length, 0);

// The template names a refresh asks for, as the simulator serves them (the list, then the one it leaves out).
const linked = new LinkedObjects([]);
const templates = (pathname) => {
  const id = /\/profiletemplates(?:\/([0-9a-f-]{36}))?$/i.exec(pathname);
  return id === null ? undefined : ((id[1] === undefined ? linked.templates() : linked.template(id[1].toLowerCase())) ?? null);
};

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const template = templates(url.pathname);
  if (template !== undefined) {
    const body = Buffer.from(JSON.stringify(template));
    res.writeHead(template === null ? 204 : 200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': template === null ? 0 : body.length,
    });
    res.end(template === null ? undefined : body);
    return;
  }
  const status = url.searchParams.get('status');
  const body = status === null ? all : bodies.get(status.toLowerCase());
  if (body === undefined || body.length === 2) {
    res.writeHead(204).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  process.send({
    url: `http://127.0.0.1:${server.address().port}`,
    payloadBytes,
    counts: Object.fromEntries([...byStatus].map(([name, list]) => [name, list.length])),
  });
});
process.on('message', (message) => {
  if (message === 'stop') {
    server.close(() => process.exit(0));
  }
});

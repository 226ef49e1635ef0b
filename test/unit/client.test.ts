import * as assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { CmClient } from '../../src/cm/client';
import { resolveEndpoint } from '../../src/cm/endpoint';
import { CmError } from '../../src/cm/errors';
import { CURRENT_USER_UUID } from '../../tools/cm-simulator/data';
import { readFixture, RecordingLogger, rejection, startSimulator, type RunningSimulator } from './helpers';

const DOCUMENTED_ID = 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099';

function assertCmError(error: unknown, kind: CmError['kind']): CmError {
  assert.ok(error instanceof CmError, `expected a CmError, got ${String(error)}`);
  assert.equal(error.kind, kind, error.describe());
  return error;
}

describe('CM client against the simulator (real HTTP)', () => {
  let sim: RunningSimulator;

  beforeEach(async () => {
    sim = await startSimulator();
  });
  afterEach(async () => {
    await sim.stop();
  });

  describe('reading requests', () => {
    it('lists a status group with the status name in the query', async () => {
      const list = await sim.client().listRequests('Approved', new AbortController().signal);
      assert.ok(list.requests.some((request) => request.id === DOCUMENTED_ID));
      assert.ok(list.requests.every((request) => request.request.Status === 3));
      assert.deepEqual(sim.simulator.calls, ['/CertificateManagement/api/v1.0/requests?status=Approved']);
    });

    it("adds targetuser=current when only the current user's requests are wanted", async () => {
      const list = await sim.client({ targetUser: 'current' }).listRequests('Approved', new AbortController().signal);
      assert.ok(list.requests.every((request) => request.request.TargetUserUuid === CURRENT_USER_UUID));
      assert.match(sim.simulator.calls[0] ?? '', /targetuser=current/);
    });

    it('treats 204 No Content as an empty group', async () => {
      // Only the two documented (Approved) requests: the server answers 204 for Pending.
      const small = await startSimulator({ count: 2 });
      try {
        const list = await small.client().listRequests('Pending', new AbortController().signal);
        assert.deepEqual(list, { requests: [], invalid: [] });
        assert.ok(small.logger.lines.some((line) => / → 204 /.test(line)));
      } finally {
        await small.stop();
      }
    });

    it('returns one request exactly as the server serialized it', async () => {
      const received = await sim.client().getRequest(DOCUMENTED_ID, new AbortController().signal);
      assert.ok(received);
      assert.deepEqual(received.raw, readFixture('get-request-1.json'));
      assert.deepEqual(Object.keys(received.raw as object), Object.keys(readFixture('get-request-1.json') as object));
    });

    it('returns nothing for an unknown request (204)', async () => {
      const received = await sim.client().getRequest('00000000-1111-2222-3333-444444444444', new AbortController().signal);
      assert.equal(received, undefined);
    });

    it('returns nothing for 404 on a request id (the API answers it for unknown ids too)', async () => {
      sim.simulator.setFault({ mode: 'disabled' });
      assert.equal(await sim.client().getRequest(DOCUMENTED_ID, new AbortController().signal), undefined);
    });

    it('accepts a braced upper-case GUID and asks for the canonical one', async () => {
      const received = await sim.client().getRequest(`{${DOCUMENTED_ID.toUpperCase()}}`, new AbortController().signal);
      assert.equal(received?.id, DOCUMENTED_ID);
      assert.deepEqual(sim.simulator.calls, [`/CertificateManagement/api/v1.0/requests/${DOCUMENTED_ID}`]);
    });

    it('refuses a malformed GUID before any request is sent', async () => {
      const error = assertCmError(
        await rejection(() => sim.client().getRequest('../requests?status=Pending', new AbortController().signal)),
        'config',
      );
      assert.match(error.message, /not a GUID/);
      assert.deepEqual(sim.simulator.calls, []);
    });

    it('logs each call without any header', async () => {
      await sim.client().getRequest(DOCUMENTED_ID, new AbortController().signal);
      assert.ok(
        sim.logger.lines.some((line) => line.includes(`GET ${sim.url}/CertificateManagement/api/v1.0/requests/${DOCUMENTED_ID} → 200`)),
      );
      assert.ok(sim.logger.lines.every((line) => !/authorization|cookie|user-agent/i.test(line)));
    });
  });

  describe('explained failures', () => {
    const list = (running: RunningSimulator, options = {}) => running.client(options).listRequests('Pending', new AbortController().signal);

    it('401: says the server wants credentials', async () => {
      sim.simulator.setFault({ mode: '401' });
      const error = assertCmError(await rejection(() => list(sim)), 'unauthorized');
      assert.equal(error.status, 401);
    });

    it("403: includes the server's Message", async () => {
      sim.simulator.setFault({ mode: '403' });
      const error = assertCmError(await rejection(() => list(sim)), 'forbidden');
      assert.equal(error.status, 403);
      assert.match(error.message, /Authorization has been denied for this request/);
    });

    it('404 on the API root: hints at Clm.WebApi.Enabled', async () => {
      sim.simulator.setFault({ mode: 'disabled' });
      const error = assertCmError(await rejection(() => list(sim)), 'apiNotFound');
      assert.match(error.hint, /Clm\.WebApi\.Enabled/);
      assert.equal(error.action, 'openSettings');
    });

    it('404 from a wrong API path is explained the same way', async () => {
      const error = assertCmError(await rejection(() => list(sim, { apiPath: '/CM/api/v1.0' })), 'apiNotFound');
      assert.match(error.message, /\/CM\/api\/v1\.0\/requests/);
    });

    it('500: shows the correlation id from the body', async () => {
      sim.simulator.setFault({ mode: '500' });
      const error = assertCmError(await rejection(() => list(sim)), 'server');
      assert.equal(error.correlationId, '6f1c2b9e-0d4a-4c1e-9b7a-3e2f1d0c9b8a');
      assert.match(error.message, /Correlation id: 6f1c2b9e/);
    });

    it('a 200 HTML page (sign-in page): says it is not JSON and names the page', async () => {
      sim.simulator.setFault({ mode: 'html' });
      const error = assertCmError(await rejection(() => list(sim)), 'notJson');
      assert.match(error.message, /"Sign In"/);
      assert.match(error.hint, /sign-in page/);
    });

    it('malformed JSON', async () => {
      sim.simulator.setFault({ mode: 'malformed' });
      assertCmError(await rejection(() => list(sim)), 'malformedJson');
    });

    it('a body cut short by a dropped connection', async () => {
      sim.simulator.setFault({ mode: 'truncated' });
      assertCmError(await rejection(() => list(sim)), 'truncated');
    });

    it('a connection dropped before any answer', async () => {
      sim.simulator.setFault({ mode: 'drop' });
      assertCmError(await rejection(() => list(sim)), 'connectionReset');
    });

    it('a timeout, naming the setting that changes it', async () => {
      sim.simulator.setFault({ mode: 'delay', delayMs: 2000 });
      const error = assertCmError(await rejection(() => list(sim, { timeoutSeconds: 0.3 })), 'timeout');
      assert.match(error.hint, /mimcm\.requestTimeoutSeconds/);
    });

    it('a refresh that is canceled is reported as canceled, not as a failure', async () => {
      sim.simulator.setFault({ mode: 'delay', delayMs: 2000 });
      const controller = new AbortController();
      const pending = sim.client().listRequests('Pending', controller.signal);
      setTimeout(() => controller.abort(), 50);
      assertCmError(await rejection(() => pending), 'canceled');
    });

    it('connection refused', async () => {
      const port = await freePort();
      assertCmError(await rejection(() => list(sim, { host: `http://127.0.0.1:${port}` })), 'connectionRefused');
    });

    it('a host name that does not resolve', async () => {
      const error = assertCmError(await rejection(() => list(sim, { host: 'https://cm.nonexistent.invalid' })), 'dns');
      assert.match(error.hint, /mimcm\.host/);
    });
  });
});

describe('CM client with servers that bend the documented shapes', () => {
  const record = readFixture('get-request-1.json');
  let server: Server;
  let host: string;
  let body: unknown;

  before(async () => {
    server = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  const client = () => {
    const resolved = resolveEndpoint(host, '/CertificateManagement/api/v1.0');
    assert.ok(resolved.ok);
    return new CmClient({ endpoint: resolved.endpoint, targetUser: 'all', timeoutSeconds: 5, logger: new RecordingLogger() });
  };

  it('finds the requested record in a list answered for a single id', async () => {
    body = [readFixture('get-request-2.json'), record];
    const received = await client().getRequest(DOCUMENTED_ID, new AbortController().signal);
    assert.equal(received?.id, DOCUMENTED_ID);
  });

  it('explains an answer for a single id that holds a different request', async () => {
    body = readFixture('get-request-2.json');
    const error = assertCmError(await rejection(() => client().getRequest(DOCUMENTED_ID, new AbortController().signal)), 'notJson');
    assert.match(error.message, /it is request 0c96d73f/);
  });

  it('treats a 200 with an empty body as nothing', async () => {
    body = undefined;
    const list = await client().listRequests('Pending', new AbortController().signal);
    assert.deepEqual(list, { requests: [], invalid: [] });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

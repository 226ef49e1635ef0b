import * as assert from 'node:assert/strict';
import { request } from 'undici';
import { CURRENT_USER_UUID, generateRequests, STATUS_CODES } from './data';
import { CmSimulator } from './server';

describe('CM simulator', () => {
  let simulator: CmSimulator;
  let url: string;
  const api = '/CertificateManagement/api/v1.0';

  beforeEach(async () => {
    simulator = new CmSimulator({ requests: generateRequests(200, 11) });
    url = await simulator.start(0);
  });
  afterEach(() => simulator.stop());

  const get = async (path: string) => {
    const response = await request(`${url}${path}`);
    const text = await response.body.text();
    return { status: response.statusCode, type: response.headers['content-type'], text };
  };

  it('generates the same data for the same seed, with both documented requests', () => {
    assert.deepEqual(generateRequests(50, 4), generateRequests(50, 4));
    const ids = generateRequests(50, 4).map((item) => item.Uuid);
    assert.ok(ids.includes('a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099') && ids.includes('0c96d73f-967b-420e-854a-43ad2a1504bc'));
  });

  it('covers every status, smart card and software requests, and NUL-padded descriptors even when small', () => {
    const data = generateRequests(12, 1);
    assert.deepEqual(new Set(data.map((item) => item.Status)), new Set(Object.values(STATUS_CODES)));
    assert.ok(data.some((item) => item.IsSmartcard === true) && data.some((item) => item.IsSmartcard === false));
    assert.ok(data.every((item) => String(item.SecurityDescriptor).endsWith('\u0000')));
  });

  it('filters by status name in any case and serves numeric codes as JSON', async () => {
    const response = await get(`${api}/requests?status=pending`);
    assert.equal(response.status, 200);
    assert.equal(response.type, 'application/json; charset=utf-8');
    const body = JSON.parse(response.text) as { Status: number }[];
    assert.ok(body.length > 0 && body.every((item) => item.Status === 16));
  });

  it('matches paths case-insensitively, as IIS does', async () => {
    assert.equal((await get('/certificatemanagement/API/v1.0/Requests?status=Approved')).status, 200);
  });

  it('fails an unknown status name with 500, like the real API', async () => {
    const response = await get(`${api}/requests?status=Abandoned`);
    assert.equal(response.status, 500);
    assert.match(response.text, /Correlation ID/);
  });

  it('limits to the current user with targetuser=current', async () => {
    const body = JSON.parse((await get(`${api}/requests?targetuser=current`)).text) as { TargetUserUuid: string }[];
    assert.ok(body.length > 0 && body.every((item) => item.TargetUserUuid === CURRENT_USER_UUID));
  });

  it('finds one request by GUID with braces or in upper case, and answers 204 for an unknown one', async () => {
    const braced = await get(`${api}/requests/%7BA9B4B42C-CC50-4C9B-89D1-BBC0BCD5A099%7D`);
    assert.equal(braced.status, 200);
    assert.equal((JSON.parse(braced.text) as { Uuid: string }).Uuid, 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099');
    const unknown = await get(`${api}/requests/00000000-1111-2222-3333-444444444444`);
    assert.equal(unknown.status, 204);
    assert.equal(unknown.text, '');
  });

  it('answers 204 for an empty list', async () => {
    const empty = new CmSimulator({ requests: generateRequests(2, 1) });
    const emptyUrl = await empty.start(0);
    try {
      const response = await request(`${emptyUrl}${api}/requests?status=Failed`);
      assert.equal(response.statusCode, 204);
      await response.body.dump();
    } finally {
      await empty.stop();
    }
  });

  it('serves IIS-style 404 pages outside the API, and for everything when the API is disabled', async () => {
    assert.equal((await get('/CertificateManagement/api/v2.0/requests')).status, 404);
    simulator.setFault({ mode: 'disabled' });
    const response = await get(`${api}/requests`);
    assert.equal(response.status, 404);
    assert.match(String(response.type), /html/);
  });

  it('stages faults through its control endpoint', async () => {
    const staged = await request(`${url}/__simulator/fault`, { method: 'POST', body: JSON.stringify({ mode: '403' }) });
    assert.equal(staged.statusCode, 200);
    await staged.body.dump();
    assert.equal((await get(`${api}/requests`)).status, 403);
    const cleared = await request(`${url}/__simulator/fault`, { method: 'POST', body: JSON.stringify({ mode: 'none' }) });
    await cleared.body.dump();
    assert.equal((await get(`${api}/requests`)).status, 200);
  });

  it('changes a request through its control endpoint, as if CM had processed it', async () => {
    const id = 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099';
    const patched = await request(`${url}/__simulator/requests/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ Status: 8, Comment: 'done' }),
    });
    assert.equal(patched.statusCode, 200);
    await patched.body.dump();
    const body = JSON.parse((await get(`${api}/requests/${id}`)).text) as { Status: number; Comment: string };
    assert.deepEqual([body.Status, body.Comment], [8, 'done']);
  });

  it('adds one unreadable record to lists in badrecord mode', async () => {
    simulator.setFault({ mode: 'badrecord' });
    const body = JSON.parse((await get(`${api}/requests?status=Pending`)).text) as { Uuid: string }[];
    assert.equal(body.filter((item) => item.Uuid === 'not-a-guid').length, 1);
    assert.ok(body.length > 1);
  });

  it('answers 204 for every list in empty mode', async () => {
    simulator.setFault({ mode: 'empty' });
    assert.equal((await get(`${api}/requests?status=Completed`)).status, 204);
  });

  it('refuses an unknown fault mode', async () => {
    const response = await request(`${url}/__simulator/fault`, { method: 'POST', body: JSON.stringify({ mode: 'explode' }) });
    assert.equal(response.statusCode, 400);
    await response.body.dump();
  });
});

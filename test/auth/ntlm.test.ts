import * as assert from 'node:assert/strict';
import type { Credentials } from '../../src/cm/auth';
import { CmError } from '../../src/cm/errors';
import { importLab, type AuthLabModule, type NtlmLab } from './labs';
import { rejection, startSimulator, type RunningSimulator } from '../unit/helpers';

const DOCUMENTED_ID = 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099';

describe('NTLM against a real acceptor (Apache mod_auth_gssapi with gss-ntlmssp)', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let lab: NtlmLab;

  before(async () => {
    sim = await startSimulator({ count: 40, seed: 9 });
    lab = await (await importLab<AuthLabModule>('authLab.mjs')).startNtlmLab({ backendUrl: sim.url });
  });
  after(async () => {
    await lab?.stop();
    await sim?.stop();
  });

  const list = (credentials?: Credentials) =>
    sim.client({ host: lab.url, credentials }).listRequests('Approved', new AbortController().signal);

  it('lists requests after an NTLMv2 handshake on one connection', async () => {
    const result = await list({ method: 'ntlm', username: lab.username, password: lab.password });
    assert.ok(result.requests.some((request) => request.id === DOCUMENTED_ID));
  });

  it('loads every group with a handshake each, as a refresh does', async () => {
    const client = sim.client({ host: lab.url, credentials: { method: 'ntlm', username: lab.username, password: lab.password } });
    const statuses = ['Pending', 'Approved', 'Completed', 'Failed'] as const;
    const lists = await Promise.all(statuses.map((status) => client.listRequests(status, new AbortController().signal)));
    assert.ok(lists.every((result) => result.invalid.length === 0));
  });

  it('cancels a request with PUT through the NTLM handshake, its body sent on both legs', async () => {
    const client = sim.client({ host: lab.url, credentials: { method: 'ntlm', username: lab.username, password: lab.password } });
    const list = await client.listRequests('Pending', new AbortController().signal);
    const target = list.requests.find((request) => request.request.TargetUserUuid !== '5e8f9a0b-1c2d-4e3f-8a9b-0c1d2e3f4a5b');
    assert.ok(target !== undefined);
    const updated = await client.setRequestStatus(target.id, 'Canceled', new AbortController().signal);
    assert.equal(updated?.request.Status, 17);
  });

  it('says a wrong password was rejected, without logging it', async () => {
    const error = await rejection(() => list({ method: 'ntlm', username: lab.username, password: 'Not-the-Pa55word' }));
    assert.ok(error instanceof CmError && error.kind === 'unauthorized', String(error));
    assert.match(error.message, /rejected your credentials \(HTTP 401\)/);
    assert.doesNotMatch(sim.logger.lines.join('\n') + error.describe(), /Not-the-Pa55word|NTLM [A-Za-z0-9+/=]{20,}/);
  });

  it('says an unknown user was rejected', async () => {
    const error = await rejection(() => list({ method: 'ntlm', username: 'MIMCM\\mallory', password: lab.password }));
    assert.ok(error instanceof CmError && error.kind === 'unauthorized', String(error));
  });
});

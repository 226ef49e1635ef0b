import * as assert from 'node:assert/strict';
import type { Credentials } from '../../src/cm/auth';
import { CmError } from '../../src/cm/errors';
import { importLab, type AuthLabModule, type KerberosLab } from './labs';
import { rejection, startSimulator, type RunningSimulator } from '../unit/helpers';

const DOCUMENTED_ID = 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099';

describe('Negotiate (Kerberos) against a real KDC and Apache with mod_auth_gssapi', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let lab: KerberosLab;
  const savedEnv = { ...process.env };

  before(async () => {
    sim = await startSimulator({ count: 40, seed: 9 });
    lab = await (await importLab<AuthLabModule>('authLab.mjs')).startKerberosLab({ backendUrl: sim.url });
    // GSSAPI reads the realm and the ticket cache from the environment, as it would for a kinit'ed user.
    Object.assign(process.env, lab.clientEnv);
  });
  after(async () => {
    process.env = savedEnv;
    await lab?.stop();
    await sim?.stop();
  });
  beforeEach(() => lab.kinit());

  const list = (credentials?: Credentials) =>
    sim.client({ host: lab.url, credentials }).listRequests('Approved', new AbortController().signal);

  it("lists requests with the user's own Kerberos ticket, typing nothing", async () => {
    const result = await list({ method: 'negotiate', servicePrincipal: lab.servicePrincipal });
    assert.ok(result.requests.some((request) => request.id === DOCUMENTED_ID));
  });

  it('abandons an approved request with PUT under the Kerberos ticket', async () => {
    const client = sim.client({ host: lab.url, credentials: { method: 'negotiate', servicePrincipal: lab.servicePrincipal } });
    const approved = (await client.listRequests('Approved', new AbortController().signal)).requests.find(
      (request) =>
        request.id !== 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099' && request.request.TargetUserUuid !== '5e8f9a0b-1c2d-4e3f-8a9b-0c1d2e3f4a5b',
    );
    assert.ok(approved !== undefined);
    const updated = await client.setRequestStatus(approved.id, 'Abandoned', new AbortController().signal);
    assert.equal(updated?.request.Status, 9, 'abandoned ends in Failed');
  });

  it('with auto, signs in with the Kerberos ticket because the site offers Negotiate: nothing chosen or typed', async () => {
    const result = await list({ method: 'auto', servicePrincipal: lab.servicePrincipal });
    assert.ok(result.requests.some((request) => request.id === DOCUMENTED_ID));
    assert.ok(sim.logger.lines.some((line) => /with Negotiate, chosen automatically \(the server offers Negotiate\)/.test(line)));
  });

  it('with auto and no ticket, says the site wants a sign-in and why Kerberos was not possible', async () => {
    lab.kdestroy();
    const error = await rejection(() => list({ method: 'auto', servicePrincipal: lab.servicePrincipal }));
    assert.ok(error instanceof CmError && error.kind === 'unauthorized', String(error));
    assert.equal(error.action, 'signIn');
    assert.deepEqual(error.offeredSchemes, ['Negotiate']);
    assert.match(error.message, /Windows sign-in was not possible: Kerberos could not get a ticket/);
    assert.match(error.hint, /kinit/);
  });

  it('without credentials, explains the 401 and suggests negotiate', async () => {
    const error = await rejection(() => list());
    assert.ok(error instanceof CmError && error.kind === 'unauthorized');
    assert.match(error.message, /offers Negotiate/);
    assert.match(error.hint, /mimcm\.authentication to negotiate/);
  });

  it('explains a service principal the realm does not know', async () => {
    const error = await rejection(() => list({ method: 'negotiate', servicePrincipal: 'HTTP@cm.unknown.test' }));
    assert.ok(error instanceof CmError && error.kind === 'auth', String(error));
    assert.match(error.message, /Kerberos could not get a ticket for HTTP@cm\.unknown\.test/);
    assert.match(error.hint, /mimcm\.kerberos\.servicePrincipal/);
  });

  it('with an expired ticket, says so and how to renew it', async () => {
    lab.kinit('2s');
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const error = await rejection(() => list({ method: 'negotiate', servicePrincipal: lab.servicePrincipal }));
    assert.ok(error instanceof CmError && error.kind === 'auth', String(error));
    assert.match(error.message, /expired/i);
    assert.match(error.hint, /kinit/);
  });

  it('without a ticket (after kdestroy), says how to get one', async () => {
    lab.kdestroy();
    const error = await rejection(() => list({ method: 'negotiate', servicePrincipal: lab.servicePrincipal }));
    assert.ok(error instanceof CmError && error.kind === 'auth', String(error));
    assert.match(error.hint, /kinit/);
  });
});

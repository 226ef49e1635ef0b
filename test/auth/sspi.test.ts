import * as assert from 'node:assert/strict';
import type { Credentials } from '../../src/cm/auth';
import { CmError } from '../../src/cm/errors';
import { sspiContext } from '../../src/cm/negotiate/sspiContext';
import { CodeTableWarnings, loadSnapshot } from '../../src/model/requestSnapshot';
import { FakeSspi } from '../unit/fakeSspi';
import { RecordingLogger, rejection, startSimulator, type RunningSimulator } from '../unit/helpers';
import { importLab, type AuthLabModule, type BasicLab, type NtlmLab } from './labs';

const DOCUMENTED_ID = 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099';

/** Apache writes a request's log line after answering it: read until two reads 250 ms apart agree. */
async function settledAttempts(lab: NtlmLab): Promise<{ ntlmAuthenticate: number; basic: number }> {
  let last = JSON.stringify(lab.attempts());
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = lab.attempts();
    if (JSON.stringify(now) === last) {
      return now;
    }
    last = JSON.stringify(now);
  }
}

describe('Windows sign-in (SSPI adapter) and auto against real acceptors', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let labs: AuthLabModule;
  before(async () => {
    sim = await startSimulator({ count: 40, seed: 9 });
    labs = await importLab<AuthLabModule>('authLab.mjs');
  });
  after(() => sim?.stop());

  describe('NTLM inside Negotiate, as SSPI falls back to it (Apache with gss-ntlmssp)', () => {
    let lab: NtlmLab;
    before(async () => {
      lab = await labs.startNtlmLab({ backendUrl: sim.url });
    });
    after(() => lab?.stop());

    const negotiateClient = (sspi: FakeSspi) =>
      sim.client({
        host: lab.url,
        credentials: { method: 'negotiate', servicePrincipal: 'HTTP@127.0.0.1' },
        negotiate: (spn) => sspiContext(spn, sspi),
      });

    it("signs in over three legs on one connection with the logon session's account", async () => {
      const [user, password] = [lab.username, lab.password];
      const sspi = new FakeSspi({ kind: 'ntlm', username: user, password });
      const before = await settledAttempts(lab);
      const result = await negotiateClient(sspi).listRequests('Approved', new AbortController().signal);
      assert.ok(result.requests.some((request) => request.id === DOCUMENTED_ID));
      assert.deepEqual(
        sspi.isc.map((call) => [call.isFirstCall, call.sameContext, call.input === undefined ? 'none' : 'challenge']),
        [
          [true, false, 'none'],
          [false, true, 'challenge'],
        ],
      );
      assert.equal(
        (await settledAttempts(lab)).ntlmAuthenticate - before.ntlmAuthenticate,
        1,
        'one AUTHENTICATE, on the connection it was challenged on',
      );
      assert.equal(sspi.liveContexts.size + sspi.liveCredentials.size, 0);
    });

    it('a logon session the domain rejects costs one failed logon, and timers send nothing after it', async () => {
      const sspi = new FakeSspi({ kind: 'ntlm', username: 'MIMCM\\bob', password: 'Changed-Pa55' });
      const client = negotiateClient(sspi);
      const load = () => loadSnapshot(client, new AbortController().signal, new CodeTableWarnings(new RecordingLogger()));
      const before = await settledAttempts(lab);
      const error = await rejection(load);
      assert.ok(error instanceof CmError && error.kind === 'unauthorized', String(error));
      assert.match(error.message, /rejected your credentials/);
      for (let tick = 0; tick < 3; tick++) {
        await rejection(load);
      }
      assert.equal((await settledAttempts(lab)).ntlmAuthenticate - before.ntlmAuthenticate, 1);
    });
  });

  describe('auto', () => {
    let basic: BasicLab;
    before(async () => {
      basic = await labs.startBasicLab({ backendUrl: sim.url });
    });
    after(() => basic?.stop());

    const list = (host: string, credentials: Credentials) =>
      sim.client({ host, credentials }).listRequests('Approved', new AbortController().signal);

    it('never sends a password by itself to a Basic site: it asks for a sign-in, offering Basic', async () => {
      const before = await settledAttempts(basic);
      const error = await rejection(() => list(basic.url, { method: 'auto', servicePrincipal: 'HTTP@127.0.0.1' }));
      assert.ok(error instanceof CmError && error.kind === 'unauthorized', String(error));
      assert.deepEqual(error.offeredSchemes, ['Basic']);
      assert.match(error.hint, /MIM CM: Sign In.*methods it offers/);
      assert.equal((await settledAttempts(basic)).basic - before.basic, 0);
    });

    it('uses the Basic sign-in it keeps, the method it was made with', async () => {
      const result = await list(basic.url, { method: 'basic', username: basic.username, password: basic.password });
      assert.ok(result.requests.some((request) => request.id === DOCUMENTED_ID));
    });
  });
});

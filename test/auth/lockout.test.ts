import * as assert from 'node:assert/strict';
import type { Credentials } from '../../src/cm/auth';
import type { CmClient } from '../../src/cm/client';
import { CmError } from '../../src/cm/errors';
import { CodeTableWarnings, loadSnapshot } from '../../src/model/requestSnapshot';
import { importLab, type AuthLabModule, type NtlmLab } from './labs';
import { RecordingLogger, rejection, startSimulator, type RunningSimulator } from '../unit/helpers';

/** Apache writes a request's log line after answering it: read until two reads 250 ms apart agree. */
async function settled(lab: NtlmLab): Promise<{ ntlmAuthenticate: number; basic: number }> {
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

describe('account lockout: failed logons counted by a real Apache', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let labs: AuthLabModule;
  const load = (client: CmClient) => loadSnapshot(client, new AbortController().signal, new CodeTableWarnings(new RecordingLogger()));

  before(async () => {
    sim = await startSimulator({ count: 40, seed: 9 });
    labs = await importLab<AuthLabModule>('authLab.mjs');
  });
  after(async () => {
    await sim?.stop();
  });

  for (const method of ['ntlm', 'basic'] as const) {
    describe(method, () => {
      let lab: NtlmLab;
      before(async () => {
        lab = method === 'ntlm' ? await labs.startNtlmLab({ backendUrl: sim.url }) : await labs.startBasicLab({ backendUrl: sim.url });
      });
      after(async () => {
        await lab?.stop();
      });
      const count = async (): Promise<number> => {
        const attempts = await settled(lab);
        return method === 'ntlm' ? attempts.ntlmAuthenticate : attempts.basic;
      };

      it('a wrong password costs one failed logon per refresh of all eight statuses, and none per timer tick', async () => {
        const before = await count();
        const credentials: Credentials = { method, username: method === 'ntlm' ? 'MIMCM\\bob' : 'carol', password: 'Wrong-Pa55' };
        const client = sim.client({ host: lab.url, credentials });
        const error = await rejection(() => load(client));
        assert.ok(error instanceof CmError && error.kind === 'unauthorized', String(error));
        assert.equal((await count()) - before, 1, 'the first refresh');
        for (let tick = 0; tick < 3; tick++) {
          await rejection(() => load(client));
        }
        assert.equal((await count()) - before, 1, 'three auto-refresh ticks send nothing');
        client.guard?.allowOneAttempt();
        await rejection(() => load(client));
        assert.equal((await count()) - before, 2, 'the user clicked Refresh once');
      });

      it('the right password loads every status', async () => {
        const client = sim.client({ host: lab.url, credentials: { method, username: lab.username, password: lab.password } });
        const snapshot = await load(client);
        assert.equal(snapshot.groups.length, 8);
        assert.ok(snapshot.groups.every((group) => group.error === undefined));
      });
    });
  }
});

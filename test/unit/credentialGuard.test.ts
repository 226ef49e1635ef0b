import * as assert from 'node:assert/strict';
import { CredentialGuard, type ReportVerdict } from '../../src/cm/credentialGuard';
import { CmError } from '../../src/cm/errors';
import { rejection } from './helpers';

const REJECTED = new CmError({
  kind: 'unauthorized',
  status: 401,
  message: 'The CM server rejected your credentials (HTTP 401).',
  hint: 'Sign in.',
  action: 'signIn',
});

/** A fake server: answers each exchange after `delayMs` with accept or reject, counting what it received. */
function server(accepts: () => boolean, delayMs = 10) {
  const received = { count: 0 };
  const exchange = async (report: ReportVerdict): Promise<string> => {
    received.count++;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (accepts()) {
      report({ accepted: true });
      return 'ok';
    }
    report({ accepted: false, rejection: REJECTED });
    throw REJECTED;
  };
  return { received, exchange };
}

describe('credential guard (account lockout)', () => {
  it('sends an unproven credential once while others wait for the verdict, then lets them all through', async () => {
    const guard = new CredentialGuard();
    const { received, exchange } = server(() => true);
    const results = await Promise.all(Array.from({ length: 8 }, () => guard.run(exchange)));
    assert.deepEqual(results, Array(8).fill('ok'));
    assert.equal(received.count, 8);
  });

  it('when the first attempt is rejected, the waiting ones fail without sending', async () => {
    const guard = new CredentialGuard();
    const { received, exchange } = server(() => false);
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => guard.run(exchange)));
    assert.equal(received.count, 1);
    assert.ok(outcomes.every((outcome) => outcome.status === 'rejected'));
    assert.equal(guard.rejected, REJECTED);
  });

  it('a rejected credential is never sent again without a user action, and once per user action', async () => {
    const guard = new CredentialGuard();
    const { received, exchange } = server(() => false);
    await rejection(() => guard.run(exchange));
    for (let tick = 0; tick < 5; tick++) {
      const error = await rejection(() => guard.run(exchange));
      assert.ok(error instanceof CmError && error.notSent);
    }
    assert.equal(received.count, 1);
    guard.allowOneAttempt();
    guard.allowOneAttempt();
    await Promise.allSettled([guard.run(exchange), guard.run(exchange), guard.run(exchange)]);
    assert.equal(received.count, 2, 'two clicks before the attempt still allow one attempt');
  });

  it('an accepted credential that is later rejected (password changed) stops being sent', async () => {
    const guard = new CredentialGuard();
    let accept = true;
    const { received, exchange } = server(() => accept);
    await guard.run(exchange);
    accept = false;
    await rejection(() => guard.run(exchange));
    await rejection(() => guard.run(exchange));
    assert.equal(received.count, 2);
  });

  it('a failure that says nothing about the credential (a timeout) lets the next attempt probe again', async () => {
    const guard = new CredentialGuard();
    let calls = 0;
    await rejection(() =>
      guard.run(async () => {
        calls++;
        throw new Error('timeout');
      }),
    );
    assert.equal(
      await guard.run(async (report) => {
        calls++;
        report({ accepted: true });
        return 'ok';
      }),
      'ok',
    );
    assert.equal(calls, 2);
    assert.equal(guard.rejected, undefined);
  });
});

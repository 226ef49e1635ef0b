import * as assert from 'node:assert/strict';
import type { HttpMethod } from '../../src/cm/routes';
import { CmError } from '../../src/cm/errors';
import { rejection, startSimulator, type RunningSimulator } from './helpers';

const REQUEST = 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099';
const CARD = '17cf063d-e337-4aa9-a822-346554ddd3c9';

// The CM API notes' never-call list: these issue certificates, bind cards, or return PINs and admin keys.
const NEVER: [HttpMethod, string, Record<string, string>][] = [
  ['POST', 'requests', {}],
  ['POST', `requests/${REQUEST}/certificatedata`, {}],
  ['POST', 'smartcards', {}],
  ['PUT', `requests/${REQUEST}/smartcards/${CARD}`, {}],
  ['GET', `requests/${REQUEST}/smartcards/${CARD}/diversifiedkey`, { cardid: CARD }],
  ['GET', `requests/${REQUEST}/smartcards/${CARD}/authenticationresponse`, { cardid: CARD, challenge: 'AAAA', diversified: 'False' }],
  ['GET', `smartcards/${CARD}/serverproposedpin`, {}],
  ['GET', `requests/${REQUEST}/smartcards/${CARD}/serverproposedpin`, {}],
];

// Not dangerous, but not something this extension does (yet): refused all the same.
const NOT_NEEDED: [HttpMethod, string, Record<string, string>][] = [
  ['PUT', `requests/${REQUEST}`, {}],
  ['DELETE', `requests/${REQUEST}`, {}],
  ['PATCH', `requests/${REQUEST}`, {}],
  ['HEAD', 'requests', {}],
  ['OPTIONS', 'requests', {}],
  ['GET', 'requests', { status: 'Pending', cardid: CARD }],
  ['GET', `requests/${REQUEST}/../smartcards`, {}],
  ['GET', `requests/${REQUEST.toUpperCase()}`, {}],
  ['GET', 'certificates', {}],
  ['GET', 'profiletemplates/a039b4d0-5ce8-4eff-8651-181c6576fda3/configuration/smartcards', {}],
  ['GET', 'profiletemplates/a039b4d0-5ce8-4eff-8651-181c6576fda3/policies/Anything', {}],
  ['GET', 'profiles', { status: 'Active' }],
  ['GET', 'smartcards', { cardid: CARD }],
];

describe('the client only makes the calls the extension needs', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await startSimulator();
  });
  after(async () => {
    await sim.stop();
  });

  for (const [method, path, query] of [...NEVER, ...NOT_NEEDED]) {
    it(`refuses ${method} ${path.replace(REQUEST, '{request}').replace(CARD, '{card}')}${Object.keys(query).length > 0 ? `?${Object.keys(query).join('&')}` : ''} before sending anything`, async () => {
      sim.simulator.calls.length = 0;
      const error = await rejection(() => sim.client().call(method, path, query, new AbortController().signal));
      assert.ok(error instanceof CmError && error.kind === 'config', String(error));
      assert.match(error.message, /does not call/);
      assert.deepEqual(sim.simulator.calls, []);
    });
  }

  it('reads the objects a request links to, never adding targetuser to them', async () => {
    sim.simulator.calls.length = 0;
    const client = sim.client({ targetUser: 'current' });
    const paths = [
      'profiletemplates',
      'profiletemplates/a039b4d0-5ce8-4eff-8651-181c6576fda3',
      'profiletemplates/a039b4d0-5ce8-4eff-8651-181c6576fda3/policies/Enroll',
      `profiles/${CARD}`,
      `profiles/${CARD}/certificates`,
      `smartcards/${CARD}/operations`,
      `requests/${REQUEST}/profiles`,
      `requests/${REQUEST}/certificaterequestgenerationoptions`,
    ];
    for (const path of paths) {
      await client.call('GET', path, {}, new AbortController().signal);
    }
    assert.equal(sim.simulator.calls.length, paths.length);
    assert.ok(sim.simulator.calls.every((call) => !call.includes('targetuser')));
  });

  it('sends the one write only with a Canceled or Abandoned body, never Completed or anything else', async () => {
    sim.simulator.calls.length = 0;
    for (const body of ['{"status":"Completed"}', '{"status":"Canceled","extra":1}', '{"status":"canceled"}', '']) {
      const error = await rejection(() => sim.client().call('PUT', `requests/${REQUEST}`, {}, new AbortController().signal, body));
      assert.ok(error instanceof CmError && error.kind === 'config', String(error));
    }
    const refusedGet = await rejection(() =>
      sim.client().call('GET', `requests/${REQUEST}`, {}, new AbortController().signal, '{"status":"Canceled"}'),
    );
    assert.ok(refusedGet instanceof CmError && refusedGet.kind === 'config');
    assert.deepEqual(sim.simulator.calls, []);
  });

  it('still lists requests and reads one by id', async () => {
    sim.simulator.calls.length = 0;
    await sim.client().listRequests('Approved', new AbortController().signal);
    await sim.client({ targetUser: 'current' }).listRequests('Pending', new AbortController().signal);
    await sim.client().getRequest(REQUEST, new AbortController().signal);
    assert.equal(sim.simulator.calls.length, 3);
  });
});

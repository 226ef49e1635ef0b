import * as assert from 'node:assert/strict';
import { resolveSettings } from '../../src/settings/settings';

const noProxy = { proxy: '', strictSSL: true, noProxy: [], support: 'override' };
const settings = (values: Record<string, unknown>) => resolveSettings({ get: (key) => values[key] }, noProxy);

describe('reading the settings', () => {
  it('makes mimcm.host the one server, named after its host', () => {
    const read = settings({ host: ' https://cm.contoso.com ', authentication: 'ntlm' });
    assert.equal(read.servers.length, 1);
    assert.equal(read.servers[0]?.name, 'cm.contoso.com');
    assert.equal(read.servers[0]?.connection.host, 'https://cm.contoso.com');
    assert.equal(read.servers[0]?.connection.authentication, 'ntlm');
  });

  it('has no server without a host, so the welcome view shows', () => {
    assert.deepEqual(settings({}).servers, []);
  });

  it('fills what a mimcm.servers entry leaves out from the top-level settings', () => {
    const read = settings({
      authentication: 'negotiate',
      requestTimeoutSeconds: 45,
      statuses: ['Pending', 'Failed'],
      servers: [
        { name: 'Production', host: 'https://cm.contoso.com' },
        { name: 'Lab', host: 'https://cm-lab.contoso.com', authentication: 'basic', statuses: ['Completed'], targetUser: 'current' },
      ],
    });
    const [production, lab] = read.servers;
    assert.equal(production?.connection.authentication, 'negotiate');
    assert.deepEqual(production?.statuses, ['Pending', 'Failed']);
    assert.equal(lab?.connection.authentication, 'basic');
    assert.equal(lab?.connection.requestTimeoutSeconds, 45);
    assert.equal(lab?.connection.targetUser, 'current');
    assert.deepEqual(lab?.statuses, ['Completed']);
    assert.deepEqual(read.problems, []);
  });

  it('explains entries it cannot use instead of dropping them silently', () => {
    const read = settings({
      servers: [
        { name: 'A', host: 'https://a.contoso.com' },
        { name: 'a', host: 'https://b.contoso.com' },
        { name: 'NoHost' },
        'text',
        { name: 'C', host: 'https://c.contoso.com', colour: 'red' },
      ],
    });
    assert.deepEqual(
      read.servers.map((server) => server.name),
      ['A', 'C'],
    );
    assert.match(read.problems[0] ?? '', /"a" is used twice/);
    assert.match(read.problems[1] ?? '', /"NoHost"\) has no "host"/);
    assert.match(read.problems[2] ?? '', /\[3\] is not an object/);
    assert.match(read.problems[3] ?? '', /unknown fields ignored: "colour"/);
  });

  it('clamps odd values a hand-edited settings.json may hold', () => {
    const read = settings({
      host: 'https://cm.contoso.com',
      requestTimeoutSeconds: 'soon',
      maxResponseMegabytes: 5000,
      autoRefreshSeconds: 3,
      authentication: 'kerberos',
      statuses: ['pending', 'Nonsense'],
    });
    const connection = read.servers[0]?.connection;
    assert.equal(connection?.requestTimeoutSeconds, 30);
    assert.equal(connection?.maxResponseMegabytes, 1024);
    assert.equal(connection?.authentication, 'auto', 'an unknown method falls back to choosing by what the server offers');
    assert.equal(read.view.autoRefreshSeconds, 10);
    assert.deepEqual(read.servers[0]?.statuses, ['Pending']);
  });

  it('reads methods, statuses, target user, grouping and order whatever their case, and says which values it could not use', () => {
    const read = settings({
      host: 'https://cm.contoso.com',
      authentication: ' NTLM ',
      targetUser: 'Current',
      groupBy: 'TargetUser',
      sortOrder: 'OLDESTFIRST',
      statuses: ['PENDING', ' failed ', 'Nonsense', 'Issued'],
      servers: [
        { name: 'Production', host: 'https://cm.contoso.com', authentication: 'Kerberos' },
        { name: 'Lab', host: 'https://cm-lab.contoso.com', authentication: 'Negotiate', statuses: ['Done'] },
      ],
    });
    const [production, lab] = read.servers;
    assert.equal(production?.connection.authentication, 'ntlm', 'the top-level method stays in force');
    assert.deepEqual(production?.statuses, ['Pending', 'Failed']);
    assert.equal(lab?.connection.authentication, 'negotiate');
    assert.equal(lab?.connection.targetUser, 'current');
    assert.equal(read.view.groupBy, 'targetUser');
    assert.equal(read.view.sortOrder, 'oldestFirst');
    assert.equal(lab?.statuses.length, 8, 'a list with no status in it means all of them');
    assert.deepEqual(read.problems, [
      'mimcm.statuses: "Nonsense", "Issued" are not CM statuses and are ignored. The statuses are Pending, Approved, Executing, Completed, Failed, Denied, Canceled, None.',
      'mimcm.servers[0].authentication: "Kerberos" is not a method; Kerberos and Windows sign-in are "negotiate". Using "ntlm" until it is set.',
      'mimcm.servers[1].statuses: "Done" is not a CM status and is ignored. The statuses are Pending, Approved, Executing, Completed, Failed, Denied, Canceled, None.',
    ]);
  });

  it('takes statuses typed as one string, and one server written as an object instead of a list', () => {
    const read = settings({
      statuses: 'Pending, failed',
      servers: { name: 'Production', host: 'https://cm.contoso.com', statuses: 'Completed' },
    });
    assert.deepEqual(
      read.servers.map((server) => [server.name, server.statuses]),
      [['Production', ['Completed']]],
    );
    assert.deepEqual(settings({ host: 'https://cm.contoso.com', statuses: 'Pending, failed' }).servers[0]?.statuses, ['Pending', 'Failed']);
    assert.deepEqual(read.problems, []);
  });

  it('explains an unknown top-level method, but only once a server is set', () => {
    assert.deepEqual(settings({ authentication: 'digest' }).problems, []);
    assert.deepEqual(settings({ host: 'https://cm.contoso.com', authentication: 'digest' }).problems, [
      'mimcm.authentication: "digest" is not a method (auto, none, negotiate, ntlm, basic, bearer, adfs). Using "auto" until it is set.',
    ]);
  });

  it('chooses the sign-in by what the server offers when nothing is set, and keeps an explicit none', () => {
    assert.equal(settings({ host: 'https://cm.contoso.com' }).servers[0]?.connection.authentication, 'auto');
    assert.equal(settings({ host: 'https://cm.contoso.com', authentication: 'none' }).servers[0]?.connection.authentication, 'none');
  });
});

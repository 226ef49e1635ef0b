import * as assert from 'node:assert/strict';
import { CmError } from '../../src/cm/errors';
import { directoryTarget, mayReceivePassword } from '../../src/directory/directoryAddress';
import { DirectoryNames, type DirectoryState } from '../../src/directory/directoryNames';
import { DirectorySession, type DirectoryAccess } from '../../src/directory/directorySession';
import { DirectoryStandIn, personEntry } from '../../tools/cm-simulator/directoryStandIn';
import { ALICE, JANE, type DirectoryPerson } from '../../tools/cm-simulator/people';
import { RecordingLogger, rejection } from './helpers';
import { LdapConnection } from '../../src/directory/ldap/ldapConnection';
import { bindSpnego } from '../../src/directory/ldap/saslBind';
import { sspiContext } from '../../src/cm/negotiate/sspiContext';
import { FakeSspi } from './fakeSspi';

const HOSTILE: DirectoryPerson = {
  kind: 'user',
  guid: '0badf00d-0000-4000-8000-000000000001',
  sid: 'S-1-5-21-2127521184-1604012920-1887927527-6666',
  sam: 'mallory',
  displayName: `Mallory\u202e\u001b[31mgnp.exe\r\nInjected: yes${'x'.repeat(5000)}`,
};

describe('the directory, as one CM server reaches it (against the stand-in)', function () {
  this.timeout(20_000);
  let standIn: DirectoryStandIn;
  let url: string;
  const logger = new RecordingLogger();
  const sessions: DirectorySession[] = [];

  const session = (access: Partial<DirectoryAccess> = {}): DirectorySession => {
    const made = new DirectorySession(
      { settings: { url, fromUserSettings: true }, cmOrigin: 'https://cm.contoso.test', kerberos: false, timeoutMs: 1500, ...access },
      { lookupSrv: () => Promise.resolve([]), kerberosBind: () => Promise.reject(new Error('no Kerberos here')), logger },
    );
    sessions.push(made);
    return made;
  };

  beforeEach(async () => {
    standIn = new DirectoryStandIn({ password: 'Right-Pa55' });
    standIn.add(personEntry(HOSTILE));
    url = await standIn.start();
  });
  afterEach(async () => {
    sessions.splice(0).forEach((made) => made.close());
    await standIn.stop();
  });

  it('names GUIDs in one search, and says which ones the directory has not', async () => {
    const answers = await session().lookupGuids([JANE.guid, ALICE.guid, '12345678-1234-1234-1234-123456789abc']);
    assert.equal(answers.get(JANE.guid)?.name, 'Jane Doe');
    assert.equal(answers.get(ALICE.guid)?.account, 'CONTOSO\\alice');
    assert.equal(answers.get('12345678-1234-1234-1234-123456789abc'), null);
    assert.equal(standIn.requests.filter((line) => line.startsWith('search DC=')).length, 1);
  });

  it('cleans hostile names: no control, ANSI or bidi characters, and a bounded length', async () => {
    const name = (await session().lookupGuids([HOSTILE.guid])).get(HOSTILE.guid)?.name ?? '';
    assert.doesNotMatch(name, /[\u0000-\u001f\u202e]|\[31m/);
    assert.ok(name.startsWith('Mallory') && name.length <= 120, name);
  });

  it('explains a directory that hangs, within its time limit', async () => {
    standIn.mode = 'hang';
    const started = Date.now();
    const error = await rejection(() => session().lookupGuids([JANE.guid]));
    assert.ok(error instanceof CmError && error.kind === 'timeout', String(error));
    assert.match(error.message, /did not answer in time/);
    assert.ok(Date.now() - started < 5000);
  });

  it('explains something on the port that does not speak LDAP', async () => {
    standIn.mode = 'garbage';
    const error = await rejection(() => session().lookupGuids([JANE.guid]));
    assert.ok(error instanceof CmError, String(error));
    assert.match(error.message, /not LDAP/);
  });

  it('explains a directory that refuses anonymous searches, naming the sign-ins that work', async () => {
    standIn.mode = 'refuseAnonymous';
    const error = await rejection(() => session({ cmOrigin: 'http://127.0.0.1:1' }).lookupGuids([JANE.guid]));
    assert.ok(error instanceof CmError && error.kind === 'forbidden', String(error));
    assert.match(error.hint, /negotiate/);
  });

  it('never sends a password over plain LDAP: a simple bind needs TLS', async () => {
    const error = await rejection(() =>
      session({ password: { username: 'CONTOSO\\alice', password: 'Right-Pa55' } }).lookupGuids([JANE.guid]),
    );
    assert.ok(error instanceof CmError, String(error));
    assert.equal(
      standIn.requests.filter((line) => line.startsWith('bind')).length,
      0,
      'the stand-in does not do StartTLS, so nothing was bound',
    );
  });

  it('a directory gets a password only in the CM host’s own domain, or when the user chose it in their own settings', async () => {
    const address = { kind: 'address', address: { secure: true, host: 'dc01.contoso.test', port: 636 }, discovered: false } as const;
    const elsewhere = { kind: 'address', address: { secure: true, host: 'ldap.evil.example', port: 636 }, discovered: false } as const;
    const workspace = { url: 'ldaps://ldap.evil.example', fromUserSettings: false };
    const user = { url: 'ldaps://ldap.evil.example', fromUserSettings: true };
    assert.ok(mayReceivePassword(address, workspace, 'https://cm.contoso.test'));
    assert.ok(!mayReceivePassword(elsewhere, workspace, 'https://cm.contoso.test'), 'a workspace must not choose where the password goes');
    assert.ok(mayReceivePassword(elsewhere, user, 'https://cm.contoso.test'));
    const discovered = { ...elsewhere, discovered: true } as const;
    assert.ok(!mayReceivePassword(discovered, user, 'https://cm.contoso.test'), 'DNS does not choose either');
  });

  it('finds the domain controller the CM host’s domain advertises, the lowest priority first', async () => {
    const target = await directoryTarget({ url: '', fromUserSettings: false }, 'https://cm.contoso.test', (name) => {
      assert.equal(name, '_ldap._tcp.contoso.test');
      return Promise.resolve([
        { name: 'dc02.contoso.test', port: 389, priority: 10, weight: 100 },
        { name: 'dc01.contoso.test', port: 389, priority: 0, weight: 100 },
      ]);
    });
    assert.deepEqual(target, { kind: 'address', address: { secure: false, host: 'dc01.contoso.test', port: 389 }, discovered: true });
    assert.deepEqual(
      await directoryTarget({ url: '', fromUserSettings: false }, 'http://127.0.0.1:8080', () => Promise.reject(new Error('never asked'))),
      {
        kind: 'unknown',
      },
    );
    assert.deepEqual(await directoryTarget({ url: 'OFF', fromUserSettings: true }, 'https://cm.contoso.test', () => Promise.resolve([])), {
      kind: 'off',
    });
    assert.equal(
      (await directoryTarget({ url: 'https://dc01', fromUserSettings: true }, 'https://cm.contoso.test', () => Promise.resolve([]))).kind,
      'invalid',
    );
  });

  it('looks names up in batches a few at a time, and stops at the first failure with one warning', async () => {
    const states: DirectoryState[] = [];
    const names = new DirectoryNames((state) => states.push(state), logger);
    names.use(session());
    const many = Array.from({ length: 120 }, (_, index) => `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`);
    names.want([JANE.guid, ...many]);
    await names.settled();
    assert.equal(names.lookup(JANE.guid)?.name, 'Jane Doe');
    assert.equal(names.lookup(many[0] ?? ''), null);
    assert.equal(standIn.requests.filter((line) => line.startsWith('search DC=')).length, 3, '121 GUIDs in batches of 50');
    standIn.mode = 'hang';
    names.use(session());
    names.want(['00000000-0000-4000-8000-ffffffffffff', '00000000-0000-4000-8000-fffffffffffe']);
    await names.settled();
    assert.equal(states.filter((state) => state.state === 'failed').length, 1);
    names.want(['00000000-0000-4000-8000-fffffffffffd']);
    await names.settled();
    assert.equal(
      states.filter((state) => state.state === 'failed').length,
      1,
      'nothing more is asked of a failed directory until the next load',
    );
    names.dispose();
  });
});

describe('binding with the Windows logon session (SSPI GSS-SPNEGO, a fake shaped like the binary)', () => {
  const ticket = Buffer.from('YIIC-kerberos-ticket-for-ldap');
  const proof = Buffer.from('oYG-ap-rep-from-the-dc');
  let standIn: DirectoryStandIn;
  let address: { secure: false; host: string; port: number };

  beforeEach(async () => {
    standIn = new DirectoryStandIn({ spnego: { ticket, proof } });
    const url = new URL(await standIn.start());
    address = { secure: false, host: url.hostname, port: Number(url.port) };
  });
  afterEach(() => standIn.stop());

  const open = () =>
    LdapConnection.open({ address, timeoutMs: 2000, maxMessageBytes: 1 << 20, allowPlain: true, signal: new AbortController().signal });

  it('binds with the ticket for ldap/<host>, asks for mutual authentication only, and checks the DC’s proof', async () => {
    const sspi = new FakeSspi({ kind: 'kerberos', ticket, serverProof: proof });
    const connection = await open();
    await bindSpnego(connection, sspiContext('ldap/dc01.contoso.test', sspi, 'ldapOverTls'));
    connection.close();
    assert.deepEqual(sspi.isc[0]?.contextReq, ['ISC_REQ_MUTUAL_AUTH'], 'no signing or sealing inside TLS');
    assert.equal(sspi.isc[0]?.targetName, 'ldap/dc01.contoso.test');
    assert.equal(sspi.isc[1]?.input?.toString(), proof.toString(), "the DC's answer is verified");
    assert.equal(sspi.liveContexts.size + sspi.liveCredentials.size, 0);
  });

  it('refuses a DC whose proof does not verify', async () => {
    const sspi = new FakeSspi({ kind: 'kerberos', ticket, serverProof: Buffer.from('another') });
    const connection = await open();
    const error = await rejection(() => bindSpnego(connection, sspiContext('ldap/dc01.contoso.test', sspi, 'ldapOverTls')));
    connection.close();
    assert.ok(error instanceof CmError && /SEC_E_MESSAGE_ALTERED/.test(error.message), String(error));
  });
});

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CmError } from '../../src/cm/errors';
import { loadKerberos } from '../../src/cm/negotiate/gssapiContext';
import { DirectorySession, type DirectoryAccess } from '../../src/directory/directorySession';
import { bindGssapi } from '../../src/directory/ldap/saslBind';
import { CM_APPROVERS, HELPDESK, JANE, type DirectoryPerson } from '../../tools/cm-simulator/people';
import { RecordingLogger, rejection } from '../unit/helpers';

interface DirectoryLab {
  ldapsUrl: string;
  startTlsUrl: string;
  caFile: string;
  password: string;
  clientEnv: Record<string, string>;
  kinit(sam?: string): void;
  kdestroy(): void;
  badPasswordCount(sam: string): number;
  stop(): Promise<void>;
}

interface DirectoryLabModule {
  labUnavailable(): string | undefined;
  startDirectoryLab(options: { extraPeople?: readonly DirectoryPerson[] }): Promise<DirectoryLab>;
}

const HOSTILE: DirectoryPerson = {
  kind: 'user',
  guid: '0badf00d-0000-4000-8000-000000000002',
  sid: 'S-1-5-21-2127521184-1604012920-1887927527-6667',
  sam: 'mallory',
  displayName: `Mallory \u202egnp.exe \u001b[31mRed${'x'.repeat(200)}`,
};

describe('names from a real Active Directory (Samba AD DC)', function () {
  this.timeout(120_000);
  let lab: DirectoryLab;
  let ca: string[];
  const logger = new RecordingLogger();
  const sessions: DirectorySession[] = [];
  const savedEnv = { ...process.env };

  const session = (access: Partial<DirectoryAccess>): DirectorySession => {
    const made = new DirectorySession(
      {
        settings: { url: lab.ldapsUrl, fromUserSettings: true },
        cmOrigin: 'https://cm.contoso.test',
        kerberos: false,
        ca,
        timeoutMs: 5000,
        ...access,
      },
      { lookupSrv: () => Promise.resolve([]), kerberosBind: (connection, host) => bindGssapi(connection, loadKerberos(), host), logger },
    );
    sessions.push(made);
    return made;
  };

  before(async function () {
    const labs = (await import(
      pathToFileURL(path.join(__dirname, '..', '..', '..', 'scripts', 'lib', 'directoryLab.mjs')).href
    )) as DirectoryLabModule;
    const unavailable = labs.labUnavailable();
    if (unavailable !== undefined) {
      // npm test installs the packages first (and CI runs as root): only a direct mocha run elsewhere gets here.
      console.log(`    (skipped: ${unavailable})`);
      this.skip();
    }
    lab = await labs.startDirectoryLab({ extraPeople: [HOSTILE] });
    ca = [readFileSync(lab.caFile, 'utf8')];
    // GSSAPI reads the realm and the ticket cache from the environment, as it would for a kinit'ed user.
    Object.assign(process.env, lab.clientEnv);
  });
  afterEach(() => sessions.splice(0).forEach((made) => made.close()));
  after(async () => {
    process.env = savedEnv;
    await lab?.stop();
  });

  it('binds over LDAPS with the password the CM server accepted, and names the simulator’s users and groups', async () => {
    const directory = session({ password: { username: 'jdoe@contoso.test', password: lab.password } });
    const users = await directory.lookupGuids([JANE.guid, HELPDESK.guid, '0badf00d-0000-4000-8000-00000000ffff']);
    assert.deepEqual(users.get(JANE.guid), { kind: 'user', name: 'Jane Doe', account: 'CONTOSO\\jdoe', upn: 'jdoe@contoso.test' });
    assert.equal(users.get(HELPDESK.guid)?.name, 'Help Desk');
    assert.equal(users.get('0badf00d-0000-4000-8000-00000000ffff'), null, 'not in the directory');
    const groups = await directory.lookupSids([CM_APPROVERS.sid, `${CM_APPROVERS.sid.split('-').slice(0, -1).join('-')}-513`]);
    assert.equal(groups.get(CM_APPROVERS.sid)?.account, 'CONTOSO\\CM Approvers');
    assert.equal(groups.get(`${CM_APPROVERS.sid.split('-').slice(0, -1).join('-')}-513`)?.name, 'Domain Users');
    assert.ok(logger.lines.some((line) => /bound password/.test(line)));
  });

  it('binds with StartTLS on ldap:// and an NTLM-style DOMAIN\\user name', async () => {
    const directory = session({
      settings: { url: lab.startTlsUrl, fromUserSettings: true },
      password: { username: 'CONTOSO\\helpdesk', password: lab.password },
    });
    assert.equal((await directory.lookupGuids([JANE.guid])).get(JANE.guid)?.account, 'CONTOSO\\jdoe');
  });

  it('binds with SASL GSSAPI and a Kerberos ticket from the DC’s KDC, nothing typed', async () => {
    lab.kinit('jdoe');
    const directory = session({ kerberos: true });
    assert.equal((await directory.lookupGuids([HELPDESK.guid])).get(HELPDESK.guid)?.account, 'CONTOSO\\helpdesk');
    assert.ok(logger.lines.some((line) => /bound kerberos/.test(line)));
  });

  it('without a ticket, explains how to get one', async () => {
    lab.kdestroy();
    const error = await rejection(() => session({ kerberos: true }).lookupGuids([JANE.guid]));
    assert.ok(error instanceof CmError && error.kind === 'auth', String(error));
    assert.match(error.hint, /kinit/);
  });

  it('a refused password costs one failed logon at the DC, however often names are asked, until the user acts', async () => {
    const before = lab.badPasswordCount('carol');
    const directory = session({ password: { username: 'carol@contoso.test', password: 'Not-the-Pa55word' } });
    const first = await rejection(() => directory.lookupGuids([JANE.guid]));
    assert.ok(first instanceof CmError && first.kind === 'auth', String(first));
    assert.match(first.message, /refused your sign-in/);
    for (let tick = 0; tick < 3; tick++) {
      await rejection(() => directory.lookupGuids([JANE.guid]));
    }
    assert.equal(lab.badPasswordCount('carol') - before, 1, 'one failed logon for four lookups');
    directory.userAction();
    await rejection(() => directory.lookupGuids([JANE.guid]));
    assert.equal(lab.badPasswordCount('carol') - before, 2, 'a Refresh or Sign In may try once more');
  });

  it('cleans a hostile display name from the directory', async () => {
    const name = (await session({ password: { username: 'jdoe@contoso.test', password: lab.password } }).lookupGuids([HOSTILE.guid])).get(
      HOSTILE.guid,
    )?.name;
    assert.ok(name?.startsWith('Mallory'), name);
    assert.doesNotMatch(name ?? '', /[\u0000-\u001f\u202e]|\[31m/);
    assert.ok((name ?? '').length <= 120);
  });

  it('does not trust a directory certificate from an unknown CA', async () => {
    const error = await rejection(() =>
      session({ ca: undefined, password: { username: 'jdoe@contoso.test', password: lab.password } }).lookupGuids([JANE.guid]),
    );
    assert.ok(error instanceof CmError && error.kind === 'tls', String(error));
    assert.match(error.hint, /mimcm\.tls\.caFile/);
  });
});

// A real Active Directory domain controller on loopback: Debian's Samba AD DC, provisioned in a temp folder as the
// domain CONTOSO (contoso.test) with the simulator's domain SID, and holding the simulator's people with their very
// objectGUIDs and objectSids (tools/cm-simulator/people.ts), so the simulator's requests name real directory users.
// LDAPS (636) and StartTLS (389) with a certificate from our own CA (Samba's own names no IP), its KDC on 88 for
// Kerberos binds. Needs root (Samba binds the standard ports), samba, samba-ad-provision and ldb-tools
// (.ci/run installs them). Provisioning takes a few seconds; stop() ends Samba and removes everything.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from './codeServer.mjs';
import { stopProcessTree } from './processes.mjs';

export const REALM = 'CONTOSO.TEST';
export const DC_HOST = 'dc01.contoso.test';
/** Every lab user's password (complexity is off in the lab domain). */
export const PASSWORD = 'Lab-Pa55word';

const REQUIRED = [
  ['/usr/sbin/samba', 'samba'],
  ['/usr/bin/samba-tool', 'samba-ad-provision'],
  ['/usr/bin/ldbadd', 'ldb-tools'],
  ['/usr/bin/kinit', 'krb5-user'],
  ['/usr/bin/openssl', 'openssl'],
];

/** Why this machine cannot run the lab, or undefined when it can. */
export function labUnavailable() {
  const missing = REQUIRED.filter(([file]) => !existsSync(file)).map(([, pkg]) => pkg);
  if (missing.length > 0) {
    return `the directory tests need: sudo apt-get install -y ${missing.join(' ')}`;
  }
  if (process.getuid?.() !== 0) {
    return 'Samba AD binds the standard LDAP and Kerberos ports, which needs root';
  }
  return undefined;
}

function run(command, args, { env = process.env, input, allowFailure = false } = {}) {
  const result = spawnSync(command, args, { env, input, encoding: 'utf8' });
  if (result.status !== 0 && !allowFailure) {
    throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

function waitForPort(port, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) {
          reject(new Error(`Samba did not listen on port ${port} within ${timeoutMs / 1000} s`));
        } else {
          setTimeout(attempt, 200);
        }
      });
    };
    attempt();
  });
}

/** An LDIF value: base64 when it is not plain ASCII text. */
function ldifLine(name, value) {
  return /^[\x20-\x7e]*$/.test(value) && !/^[ :<]/.test(value)
    ? `${name}: ${value}`
    : `${name}:: ${Buffer.from(value, 'utf8').toString('base64')}`;
}

/**
 * Waits until no process of Samba's group is left: its forked workers outlive the root process by a moment and
 * keep writing into the lab's folder. After 10 s what remains is killed.
 */
async function groupGone(pgid) {
  const alive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (const deadline = Date.now() + 10_000; alive() && Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (alive()) {
    process.kill(-pgid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Whether something already listens on a loopback port (a Samba left running would answer in the lab's place). */
function listening(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts the lab. `extraPeople` (same shape as PEOPLE) adds entries a test needs, such as a user whose display
 * name is hostile text.
 */
export async function startDirectoryLab({ extraPeople = [] } = {}) {
  const unavailable = labUnavailable();
  if (unavailable !== undefined) {
    throw new Error(unavailable);
  }
  const busy = [];
  for (const port of [88, 389, 636]) {
    if (await listening(port)) {
      busy.push(port);
    }
  }
  if (busy.length > 0) {
    throw new Error(`Port ${busy.join(', ')} is taken (another Samba or LDAP server?): the lab's domain controller needs 88, 389 and 636.`);
  }
  const { PEOPLE, DOMAIN_SID, NETBIOS_DOMAIN } = await import(
    pathToFileURL(path.join(projectRoot, 'out', 'tools', 'cm-simulator', 'people.js')).href
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mimcm-ad-'));
  const file = (name) => path.join(dir, name);
  const target = file('dc');
  let samba;
  try {
    run('samba-tool', [
      'domain',
      'provision',
      `--realm=${REALM}`,
      `--domain=${NETBIOS_DOMAIN}`,
      `--domain-sid=${DOMAIN_SID}`,
      '--server-role=dc',
      '--dns-backend=NONE',
      `--targetdir=${target}`,
      '--host-name=dc01',
      `--adminpass=${PASSWORD}`,
      '--option=interfaces=lo',
      '--option=bind interfaces only=yes',
    ]);

    // Samba's own certificate names only dc01.contoso.test; tests reach 127.0.0.1, so the lab has its own CA.
    run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      file('ca.key'),
      '-out',
      file('ca.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=MIM CM test directory CA',
    ]);
    run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('dc.key'), '-out', file('dc.csr'), '-subj', `/CN=${DC_HOST}`]);
    writeFileSync(file('san.cnf'), `subjectAltName=IP:127.0.0.1,DNS:${DC_HOST},DNS:localhost\n`);
    run('openssl', [
      'x509',
      '-req',
      '-in',
      file('dc.csr'),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-out',
      file('dc.pem'),
      '-days',
      '2',
      '-extfile',
      file('san.cnf'),
    ]);
    chmodSync(file('dc.key'), 0o600);

    const conf = path.join(target, 'etc', 'smb.conf');
    writeFileSync(
      conf,
      readFileSync(conf, 'utf8')
        .replace(/^\s*server services = .*$/m, '\tserver services = ldap, kdc')
        .replace(/^\s*log file = .*$/m, `\tlog file = ${file('samba.log')}`)
        .replace(
          /^\[global\]$/m,
          [
            '[global]',
            `\ttls enabled = yes`,
            `\ttls certfile = ${file('dc.pem')}`,
            `\ttls keyfile = ${file('dc.key')}`,
            `\ttls cafile = ${file('ca.pem')}`,
            `\tpid directory = ${target}`,
            // As Windows AD does (MS-ADTS 5.1.1.1.2), take a SASL bind without signing inside TLS; Samba's
            // default refuses it and wants signing on plain LDAP instead. Simple binds still need TLS.
            '\tldap server require strong auth = allow_sasl_over_tls',
          ].join('\n'),
        ),
    );
    const sam = path.join(target, 'private', 'sam.ldb');
    // Lockout on, as in a real domain: failed logons are counted (badPwdCount), which the tests read.
    run('samba-tool', [
      'domain',
      'passwordsettings',
      'set',
      '--complexity=off',
      '--max-pwd-age=0',
      '--min-pwd-age=0',
      '--history-length=0',
      '--account-lockout-threshold=10',
      '-H',
      sam,
    ]);

    // The simulator's people with their own objectGUIDs and objectSids: only possible offline, with the relax control.
    const people = [...PEOPLE, ...extraPeople];
    const ldif = people
      .map((person) =>
        [
          ldifLine('dn', `CN=${person.displayName.replace(/([,+"\\<>;=])/g, '\\$1')},CN=Users,DC=contoso,DC=test`),
          `objectClass: ${person.kind}`,
          ldifLine('sAMAccountName', person.sam),
          ldifLine('displayName', person.displayName),
          `objectGUID: ${person.guid}`,
          `objectSid: ${person.sid}`,
          ...(person.kind === 'user' ? [ldifLine('userPrincipalName', `${person.sam}@contoso.test`)] : []),
          '',
        ].join('\n'),
      )
      .join('\n');
    writeFileSync(file('people.ldif'), ldif);
    run('ldbadd', ['-H', sam, '--controls=relax:0', file('people.ldif')]);
    for (const person of people.filter((candidate) => candidate.kind === 'user')) {
      run('samba-tool', ['user', 'setpassword', person.sam, `--newpassword=${PASSWORD}`, '-H', sam]);
      run('samba-tool', ['user', 'enable', person.sam, '-H', sam]);
    }
    // Windows registers ldap/<host> for every DC; a provision without DNS does not.
    run('samba-tool', ['spn', 'add', `ldap/${DC_HOST}`, 'DC01$', '-H', sam]);

    samba = spawn('samba', ['-i', '-s', conf, '--no-process-group'], { stdio: 'ignore', detached: true });
    const exited = new Promise((_resolve, reject) =>
      samba.once('exit', (code) => reject(new Error(`samba stopped at start (exit ${code}); see ${file('samba.log')}`))),
    );
    await Promise.race([Promise.all([waitForPort(636), waitForPort(389), waitForPort(88)]), exited]);
  } catch (error) {
    if (samba !== undefined) {
      await stopProcessTree(samba);
    }
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  writeFileSync(
    file('krb5.conf'),
    `[libdefaults]
  default_realm = ${REALM}
  dns_lookup_realm = false
  dns_lookup_kdc = false
  rdns = false
  dns_canonicalize_hostname = false
[realms]
  ${REALM} = {
    kdc = 127.0.0.1
  }
[domain_realm]
  .contoso.test = ${REALM}
  contoso.test = ${REALM}
`,
  );
  const clientEnv = { KRB5_CONFIG: file('krb5.conf'), KRB5CCNAME: `FILE:${file('ccache')}` };
  return {
    ldapsUrl: 'ldaps://127.0.0.1',
    startTlsUrl: 'ldap://127.0.0.1',
    caFile: file('ca.pem'),
    password: PASSWORD,
    clientEnv,
    /** A Kerberos ticket for `sam` from the DC's KDC, as `kinit` gets one. */
    kinit: (sam = 'jdoe') => run('kinit', [`${sam}@${REALM}`], { env: { ...process.env, ...clientEnv }, input: `${PASSWORD}\n` }),
    kdestroy: () => run('kdestroy', [], { env: { ...process.env, ...clientEnv }, allowFailure: true }),
    /** Failed logons the DC counted for a user (badPwdCount). */
    badPasswordCount: (sam) =>
      Number(
        /badPwdCount: (\d+)/.exec(
          run('ldbsearch', ['-H', path.join(target, 'private', 'sam.ldb'), `(sAMAccountName=${sam})`, 'badPwdCount']),
        )?.[1] ?? 0,
      ),
    log: () => (existsSync(file('samba.log')) ? readFileSync(file('samba.log'), 'utf8') : ''),
    stop: async () => {
      await stopProcessTree(samba);
      await groupGone(samba.pid);
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    },
  };
}

// Real authentication counterparts on loopback, in front of the CM simulator: Apache with mod_auth_gssapi
// requiring Negotiate against an MIT KDC with its own realm (startKerberosLab), or NTLM through gss-ntlmssp
// (startNtlmLab), an acceptor we did not write. Everything lives in a temp folder and stops with stop(); ports
// are chosen free. Needs Debian's krb5-kdc, krb5-admin-server, krb5-user, apache2, libapache2-mod-auth-gssapi and
// gss-ntlmssp (.ci/run installs them).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, stopProcessTree, waitForPort } from './processes.mjs';

export const REALM = 'MIMCM.TEST';
export const USER = 'alice';
const USER_PASSWORD = 'alice-Pa55';
export const NTLM_DOMAIN = 'MIMCM';
export const NTLM_USER = 'bob';
export const NTLM_PASSWORD = 'Bob-Pa55word';
export const BASIC_USER = 'carol';
export const BASIC_PASSWORD = 'Carol-Pa55';
const MODULES = '/usr/lib/apache2/modules';

const REQUIRED = [
  ['/usr/sbin/krb5kdc', 'krb5-kdc'],
  ['/usr/sbin/kadmin.local', 'krb5-admin-server'],
  ['/usr/bin/kinit', 'krb5-user'],
  ['/usr/sbin/apache2', 'apache2'],
  [`${MODULES}/mod_auth_gssapi.so`, 'libapache2-mod-auth-gssapi'],
  ['/etc/gss/mech.d/mech.ntlmssp.conf', 'gss-ntlmssp'],
];

export function missingPackages() {
  return REQUIRED.filter(([file]) => !existsSync(file)).map(([, pkg]) => pkg);
}

function run(command, args, env, input) {
  const result = spawnSync(command, args, { env, input, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

function labFolder(prefix) {
  const missing = missingPackages();
  if (missing.length > 0) {
    throw new Error(`The authentication tests need: sudo apt-get install -y ${missing.join(' ')}`);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  // Apache's workers run as www-data and must read the keytab or the user file.
  chmodSync(dir, 0o755);
  return { dir, file: (name) => path.join(dir, name) };
}

/**
 * Apache as a reverse proxy to `backendUrl`, requiring the authentication set by `authDirectives`. Its access
 * log marks each request that carried an NTLM AUTHENTICATE message (the one a wrong password turns into a
 * failed logon) or a Basic header, so tests can count failed logons as a domain controller would.
 */
async function startApache({ dir, file, backendUrl, authDirectives, env }) {
  const port = await freePort();
  writeFileSync(
    file('httpd.conf'),
    `ServerRoot ${dir}
ServerName localhost
Listen 127.0.0.1:${port}
PidFile ${file('httpd.pid')}
DefaultRuntimeDir ${dir}
ErrorLog ${file('apache-error.log')}
LogLevel warn auth_gssapi:info
User www-data
Group www-data
LoadModule mpm_event_module ${MODULES}/mod_mpm_event.so
LoadModule authn_core_module ${MODULES}/mod_authn_core.so
LoadModule authz_core_module ${MODULES}/mod_authz_core.so
LoadModule authz_user_module ${MODULES}/mod_authz_user.so
LoadModule auth_gssapi_module ${MODULES}/mod_auth_gssapi.so
LoadModule auth_basic_module ${MODULES}/mod_auth_basic.so
LoadModule authn_file_module ${MODULES}/mod_authn_file.so
LoadModule setenvif_module ${MODULES}/mod_setenvif.so
LoadModule proxy_module ${MODULES}/mod_proxy.so
LoadModule proxy_http_module ${MODULES}/mod_proxy_http.so
SetEnvIf Authorization "^(NTLM|Negotiate) TlRMTVNTUAAD" ntlm_authenticate
SetEnvIf Authorization "^Basic " basic_attempt
LogFormat "%r %>s ntlm_authenticate=%{ntlm_authenticate}e basic=%{basic_attempt}e" counting
CustomLog ${file('access.log')} counting
<Location />
  AuthName "MIM CM"
${authDirectives.map((line) => `  ${line}`).join('\n')}
  Require valid-user
</Location>
ProxyPass / ${backendUrl}/
ProxyPassReverse / ${backendUrl}/
`,
  );
  const apache = spawn('/usr/sbin/apache2', ['-f', file('httpd.conf'), '-DFOREGROUND'], { env, stdio: 'ignore', detached: true });
  const log = () => (existsSync(file('apache-error.log')) ? readFileSync(file('apache-error.log'), 'utf8') : '');
  const accessLog = () => (existsSync(file('access.log')) ? readFileSync(file('access.log'), 'utf8') : '');
  try {
    await waitForPort(port);
  } catch (error) {
    await stopProcessTree(apache);
    throw new Error(`${String(error)}\nApache log:\n${log()}`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    process: apache,
    log,
    /** How many requests carried an NTLM AUTHENTICATE message, and how many a Basic header. */
    attempts: () => ({
      ntlmAuthenticate: accessLog()
        .split('\n')
        .filter((line) => line.includes('ntlm_authenticate=1')).length,
      basic: accessLog()
        .split('\n')
        .filter((line) => line.includes('basic=1')).length,
    }),
  };
}

/** A KDC for realm MIMCM.TEST with user alice and service HTTP/localhost, and Apache requiring Negotiate. */
export async function startKerberosLab({ backendUrl }) {
  const { dir, file } = labFolder('mimcm-krb-');
  const kdcPort = await freePort();
  writeFileSync(
    file('krb5.conf'),
    `[libdefaults]
  default_realm = ${REALM}
  dns_lookup_realm = false
  dns_lookup_kdc = false
  rdns = false
  dns_canonicalize_hostname = false
  udp_preference_limit = 1
[realms]
  ${REALM} = {
    kdc = 127.0.0.1:${kdcPort}
  }
[domain_realm]
  localhost = ${REALM}
`,
  );
  writeFileSync(
    file('kdc.conf'),
    `[kdcdefaults]
  kdc_ports = ${kdcPort}
  kdc_tcp_ports = ${kdcPort}
[realms]
  ${REALM} = {
    database_name = ${file('principal')}
    key_stash_file = ${file('stash')}
    acl_file = ${file('kadm5.acl')}
    max_life = 1h
  }
[logging]
  kdc = FILE:${file('kdc.log')}
`,
  );
  writeFileSync(file('kadm5.acl'), '');
  const env = { ...process.env, KRB5_CONFIG: file('krb5.conf'), KRB5_KDC_PROFILE: file('kdc.conf') };
  run('kdb5_util', ['-r', REALM, '-P', 'master-Pa55', 'create', '-s'], env);
  run('kadmin.local', ['-r', REALM, '-q', `addprinc -pw ${USER_PASSWORD} ${USER}`], env);
  run('kadmin.local', ['-r', REALM, '-q', 'addprinc -randkey HTTP/localhost'], env);
  run('kadmin.local', ['-r', REALM, '-q', `ktadd -k ${file('http.keytab')} HTTP/localhost`], env);
  chmodSync(file('http.keytab'), 0o644);

  const kdc = spawn('krb5kdc', ['-n'], { env, stdio: 'ignore', detached: true });
  let apache;
  try {
    await waitForPort(kdcPort);
    apache = await startApache({
      dir,
      file,
      backendUrl,
      authDirectives: ['AuthType GSSAPI', 'GssapiBasicAuth Off', `GssapiCredStore keytab:${file('http.keytab')}`, 'GssapiAllowedMech krb5'],
      env: { ...env, KRB5_KTNAME: file('http.keytab') },
    });
  } catch (error) {
    await stopProcessTree(kdc);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  /** What a client process needs to find the realm and its ticket cache. */
  const clientEnv = { KRB5_CONFIG: file('krb5.conf'), KRB5CCNAME: `FILE:${file('ccache')}` };
  return {
    url: apache.url,
    servicePrincipal: 'HTTP@localhost',
    clientEnv,
    /** Gets alice a ticket, as `kinit` does for a user on Linux; `lifetime` (e.g. "3s") makes it expire soon. */
    kinit: (lifetime) =>
      run('kinit', [...(lifetime ? ['-l', lifetime] : []), `${USER}@${REALM}`], { ...env, ...clientEnv }, `${USER_PASSWORD}\n`),
    kdestroy: () => spawnSync('kdestroy', [], { env: { ...env, ...clientEnv } }),
    apacheLog: apache.log,
    stop: async () => {
      await Promise.all([stopProcessTree(apache.process), stopProcessTree(kdc)]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Apache alone in its own folder: `prepare(file)` writes the user file and returns the directives and
 * environment; the lab knows the user it was made for.
 */
async function startPasswordLab(prefix, { username, password, prepare, backendUrl }) {
  const { dir, file } = labFolder(prefix);
  let apache;
  try {
    apache = await startApache({ dir, file, backendUrl, ...prepare(file) });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: apache.url,
    username,
    password,
    apacheLog: apache.log,
    attempts: apache.attempts,
    stop: async () => {
      await stopProcessTree(apache.process);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Apache accepting NTLM through gss-ntlmssp, with users from NTLM_USER_FILE. mod_auth_gssapi must bind the
 * handshake to the connection, and needs no keytab here.
 */
export function startNtlmLab({ backendUrl }) {
  return startPasswordLab('mimcm-ntlm-', {
    username: `${NTLM_DOMAIN}\\${NTLM_USER}`,
    password: NTLM_PASSWORD,
    backendUrl,
    prepare: (file) => {
      writeFileSync(file('ntlm-users'), `${NTLM_DOMAIN}:${NTLM_USER}:${NTLM_PASSWORD}\n`);
      chmodSync(file('ntlm-users'), 0o644);
      return {
        authDirectives: ['AuthType GSSAPI', 'GssapiBasicAuth Off', 'GssapiAllowedMech ntlmssp', 'GssapiConnectionBound On'],
        env: { ...process.env, NTLM_USER_FILE: file('ntlm-users') },
      };
    },
  });
}

/** Apache with plain Basic authentication (mod_auth_basic and a user file), as an IIS site with Basic would be. */
export function startBasicLab({ backendUrl }) {
  return startPasswordLab('mimcm-basic-', {
    username: BASIC_USER,
    password: BASIC_PASSWORD,
    backendUrl,
    prepare: (file) => {
      const hash = createHash('sha1').update(BASIC_PASSWORD).digest('base64');
      writeFileSync(file('htpasswd'), `${BASIC_USER}:{SHA}${hash}\n`);
      chmodSync(file('htpasswd'), 0o644);
      return { authDirectives: ['AuthType Basic', 'AuthBasicProvider file', `AuthUserFile ${file('htpasswd')}`], env: process.env };
    },
  });
}

// The system packages `npm start` and `npm test` need, checked before anything runs. On Debian/Ubuntu as root
// the missing ones are installed (as .ci/run does); otherwise the one command that installs them is printed and
// nothing starts, so a missing package never fails a run halfway through. CONTRIBUTING.md lists them per platform.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { projectRoot } from './codeServer.mjs';

/** Debian package → a file it installs, for systems without dpkg to ask. */
const DEMO = {
  ripgrep: '/usr/bin/rg',
  'libkrb5-dev': '/usr/include/krb5.h',
  chromium: '/usr/bin/chromium',
};
const TEST = {
  ...DEMO,
  openssl: '/usr/bin/openssl',
  'ca-certificates': '/etc/ssl/certs',
  'krb5-kdc': '/usr/sbin/krb5kdc',
  'krb5-admin-server': '/usr/sbin/kadmind',
  'krb5-user': '/usr/bin/kinit',
  apache2: '/usr/sbin/apache2',
  'libapache2-mod-auth-gssapi': '/usr/lib/apache2/modules/mod_auth_gssapi.so',
  'gss-ntlmssp': '/etc/gss/mech.d',
  squid: '/usr/sbin/squid',
  curl: '/usr/bin/curl',
  jq: '/usr/bin/jq',
  wine64: '/usr/lib/wine/wine64',
  samba: '/usr/sbin/samba',
  'samba-ad-provision': '/usr/share/samba/setup/provision.ldif',
  'ldb-tools': '/usr/bin/ldbadd',
};

const succeeds = (command, args) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;

function installed(name, probe) {
  if (succeeds('dpkg-query', ['--version'])) {
    const status = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return status.status === 0 && status.stdout.includes('install ok installed');
  }
  return existsSync(probe);
}

/** `purpose` is 'demo' (npm start) or 'test' (npm test). Exits the process when it cannot continue. */
export function ensureSystemPackages(purpose) {
  const wanted = purpose === 'demo' ? DEMO : TEST;
  const missing = Object.entries(wanted)
    .filter(([name, probe]) => !installed(name, probe))
    .map(([name]) => name);
  if (missing.length === 0) {
    return;
  }
  const debian = succeeds('apt-get', ['--version']);
  if (debian && process.getuid?.() === 0) {
    console.log(`Installing the system packages ${purpose === 'demo' ? 'the demo' : 'the tests'} need: ${missing.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const install = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
    if (update.status !== 0 || install.status !== 0) {
      console.error(`apt-get could not install ${missing.join(' ')}; install them and run again.`);
      process.exit(1);
    }
    if (missing.includes('libkrb5-dev')) {
      // npm ci skipped the Kerberos binding without the headers: build it now that they are here.
      spawnSync('npm', ['rebuild', 'kerberos'], { cwd: projectRoot, stdio: 'inherit' });
    }
    return;
  }
  console.error(
    debian
      ? `Missing system packages. Install them first, then run this again:\n  sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`
      : `Missing system packages (Debian names): ${missing.join(', ')}. CONTRIBUTING.md lists what to install on other platforms.`,
  );
  process.exit(1);
}

// A real forwarding proxy on loopback for the proxy tests: Debian's squid, optionally demanding Basic proxy
// credentials (basic_ncsa_auth). Lives in a temp folder; stop() ends it. Needs the squid package.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, stopProcessTree, waitForPort } from './processes.mjs';

export const PROXY_USER = 'proxyuser';
export const PROXY_PASSWORD = 'Pr0xy-Pa55';

/** Starts squid; with `requireAuth` it answers 407 until the client sends the proxy user's Basic credentials. */
export async function startProxyLab({ requireAuth = false } = {}) {
  if (!existsSync('/usr/sbin/squid')) {
    throw new Error('The proxy tests need: sudo apt-get install -y squid');
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mimcm-squid-'));
  // squid drops to its own user, which must write its logs and pid here.
  chmodSync(dir, 0o777);
  const file = (name) => path.join(dir, name);
  const port = await freePort();
  const access = requireAuth
    ? [
        `auth_param basic program /usr/lib/squid/basic_ncsa_auth ${file('passwd')}`,
        'auth_param basic realm mimcm-test-proxy',
        'acl authenticated proxy_auth REQUIRED',
        'http_access allow authenticated',
      ]
    : ['acl loopback src 127.0.0.1/32', 'http_access allow loopback'];
  if (requireAuth) {
    const hash = spawnSync('openssl', ['passwd', '-apr1', PROXY_PASSWORD], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(file('passwd'), `${PROXY_USER}:${hash}\n`);
    chmodSync(file('passwd'), 0o644);
  }
  writeFileSync(
    file('squid.conf'),
    [
      `http_port 127.0.0.1:${port}`,
      `pid_filename ${file('squid.pid')}`,
      `access_log ${file('access.log')}`,
      `cache_log ${file('cache.log')}`,
      'cache_store_log none',
      `coredump_dir ${dir}`,
      'cache deny all',
      'visible_hostname mimcm-test-proxy',
      'shutdown_lifetime 0 seconds',
      ...access,
      'http_access deny all',
      '',
    ].join('\n'),
  );
  const squid = spawn('/usr/sbin/squid', ['-N', '-f', file('squid.conf')], { stdio: 'ignore', detached: true });
  const log = (name) => (existsSync(file(name)) ? readFileSync(file(name), 'utf8') : '');
  try {
    await waitForPort(port);
  } catch (error) {
    await stopProcessTree(squid);
    throw new Error(`squid: ${String(error)}\n${log('cache.log')}`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    /** Lines of squid's access log: what went through the proxy. */
    accessLog: () => log('access.log'),
    stop: async () => {
      await stopProcessTree(squid);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

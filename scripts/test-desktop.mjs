// The extension-host suite in desktop VS Code via @vscode/test-electron, for machines with internet (it
// downloads VS Code 1.100.3). On Linux without a display it re-runs itself under xvfb-run.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { createProfile, projectRoot } from './lib/codeServer.mjs';
import { startKerberosLab } from './lib/authLab.mjs';
import { startSimulator } from './lib/simulator.mjs';

if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.MIMCM_UNDER_XVFB) {
  const result = spawnSync('xvfb-run', ['-a', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, MIMCM_UNDER_XVFB: '1' },
  });
  if (result.error) {
    console.error('xvfb-run is needed on Linux without a display: sudo apt-get install -y xvfb');
  }
  process.exit(result.status ?? 1);
}

const sim = await startSimulator({ count: 600, seed: 2 });
const lab = await startKerberosLab({ backendUrl: sim.url });
lab.kinit();
const profile = createProfile();
let exitCode = 0;
try {
  await runTests({
    version: '1.100.3',
    extensionDevelopmentPath: projectRoot,
    extensionTestsPath: path.join(projectRoot, 'out/test/integration/index.js'),
    extensionTestsEnv: {
      MIMCM_SIMULATOR_URL: sim.url,
      MIMCM_KERBEROS_URL: lab.url,
      MIMCM_KERBEROS_SPN: lab.servicePrincipal,
      ...lab.clientEnv,
    },
    launchArgs: [
      profile.workspace,
      '--disable-extensions',
      '--user-data-dir',
      profile.userDataDir,
      '--extensions-dir',
      profile.extensionsDir,
    ],
  });
} catch (error) {
  console.error(`Desktop integration tests failed: ${String(error)}`);
  exitCode = 1;
} finally {
  await lab.stop();
  await sim.stop();
  profile.remove();
}
process.exit(exitCode);

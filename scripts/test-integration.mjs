// Runs test/integration inside a real VS Code (code-server 4.100.3): the workbench URL's payload makes the
// remote extension host load the extension under development and call out/test/integration/index.js run().
// Results come back through a file the in-host runner writes. Needs `npm run compile && npm run build`.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { createProfile, ensureCodeServer, projectRoot, startCodeServer } from './lib/codeServer.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { startKerberosLab } from './lib/authLab.mjs';
import { startSimulator } from './lib/simulator.mjs';

const TIMEOUT_MS = 8 * 60_000;

const entry = ensureCodeServer();
// 600 seeded requests put more than 200 in one group, which the paging test needs.
const sim = await startSimulator({ count: 600, seed: 2, directory: true });
// A second CM server, for several servers side by side (one of them failing).
const sim2 = await startSimulator({ count: 80, seed: 8 });
// Negotiate is tested inside VS Code too: a real KDC and Apache in front of the same simulator.
const lab = await startKerberosLab({ backendUrl: sim.url });
lab.kinit();
const profile = createProfile();
const resultsFile = path.join(profile.dir, 'results.json');
const serverLog = [];
const codeServer = await startCodeServer(entry, profile, {
  env: {
    MIMCM_SIMULATOR_URL: sim.url,
    MIMCM_SIMULATOR2_URL: sim2.url,
    MIMCM_DIRECTORY_URL: sim.directoryUrl,
    MIMCM_TEST_RESULTS: resultsFile,
    MIMCM_KERBEROS_URL: lab.url,
    MIMCM_KERBEROS_SPN: lab.servicePrincipal,
    ...lab.clientEnv,
  },
  log: (text) => serverLog.push(text),
});
const remote = (absolutePath) => `vscode-remote://127.0.0.1:${codeServer.port}${absolutePath}`;
const url = codeServer.workbenchUrl([
  ['extensionDevelopmentPath', remote(projectRoot)],
  ['extensionTestsPath', remote(path.join(projectRoot, 'out/test/integration/index.js'))],
]);

const browser = await launchBrowser();
let exitCode = 1;
try {
  const page = await browser.newPage();
  page.on('console', (message) => {
    const text = message.text();
    // The extension host's console (mocha's spec reporter) is mirrored to the page console.
    if (/^\s*(✔|✓|\d+\)|passing|failing|MIM CM|Error)/.test(text) || (message.type() === 'error' && /mimcm|integration/i.test(text))) {
      console.log(`  [vscode] ${text}`);
    }
  });
  await page.goto(url);
  const started = Date.now();
  while (!existsSync(resultsFile) && Date.now() - started < TIMEOUT_MS) {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (!existsSync(resultsFile)) {
    console.error(`Integration suite: no results after ${TIMEOUT_MS / 1000} s.`);
    console.error(serverLog.join('').slice(-4000));
  } else {
    const { results } = JSON.parse(readFileSync(resultsFile, 'utf8'));
    console.log('\nExtension-host integration tests (code-server 4.100.3 / VS Code 1.100.3):');
    for (const result of results) {
      console.log(`  ${result.state === 'passed' ? '✔' : '✖'} ${result.title}${result.durationMs ? ` (${result.durationMs} ms)` : ''}`);
      if (result.error) {
        console.log(
          result.error
            .split('\n')
            .map((line) => `      ${line}`)
            .join('\n'),
        );
      }
    }
    const passed = results.filter((result) => result.state === 'passed').length;
    const failed = results.length - passed;
    console.log(`\n${passed} passed, ${failed} failed`);
    exitCode = failed === 0 && passed > 0 ? 0 : 1;
  }
} finally {
  await browser.close();
  await codeServer.stop();
  await lab.stop();
  await sim.stop();
  await sim2.stop();
  rmSync(resultsFile, { force: true });
  profile.remove();
}
process.exit(exitCode);

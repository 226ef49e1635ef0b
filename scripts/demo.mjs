// `npm start`: the CM simulator plus a real VS Code (code-server) with the packaged extension pointed at it.
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createProfile, ensureCodeServer, installExtension, projectRoot, startCodeServer } from './lib/codeServer.mjs';
import { HOST_VSIX } from './lib/natives.mjs';
import { freePort, stopProcessTree } from './lib/processes.mjs';
import { ensureSystemPackages } from './lib/systemPackages.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    'simulator-port': { type: 'string' },
    requests: { type: 'string', default: '400' },
    seed: { type: 'string', default: '1' },
  },
});

function run(command, args) {
  // npm is a .cmd on Windows, which only a shell runs.
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
  }
}

ensureSystemPackages('demo');
const entry = ensureCodeServer();
run('npm', ['run', '--silent', 'compile']);
run('npm', ['run', '--silent', 'package']);

const simulatorPort = values['simulator-port'] ?? String(await freePort());
const directoryPort = String(await freePort());
const simulator = spawn(
  process.execPath,
  [
    path.join(projectRoot, 'out/tools/cm-simulator/main.js'),
    ...['--port', simulatorPort, '--requests', values.requests, '--seed', values.seed, '--directory-port', directoryPort],
  ],
  {
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  },
);
const simulatorUrl = `http://127.0.0.1:${simulatorPort}`;

const profile = createProfile({ 'mimcm.host': simulatorUrl, 'mimcm.directory.url': `ldap://127.0.0.1:${directoryPort}` });
installExtension(entry, profile, HOST_VSIX);
let codeServer;
let stopping = false;
async function stop() {
  if (stopping) {
    return;
  }
  stopping = true;
  console.log('\nStopping the demo...');
  await Promise.all([codeServer?.stop(), stopProcessTree(simulator)]);
  profile.remove();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

try {
  codeServer = await startCodeServer(entry, profile, { port: Number(values.port) });
} catch (error) {
  console.error(String(error));
  await stop();
}
console.log(`
MIM CM Requests demo is running.
  VS Code:       ${codeServer.workbenchUrl()}
  CM simulator:  ${simulatorUrl}  (stage a failure: curl -X POST ${simulatorUrl}/__simulator/fault -d '{"mode":"403"}')
Open the VS Code address in a browser and click the MIM CM icon in the activity bar. Ctrl-C stops both.`);

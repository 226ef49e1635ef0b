// Starts the compiled CM simulator in this process (run `npm run compile` first).
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { projectRoot } from './codeServer.mjs';

const require = createRequire(import.meta.url);

export async function startSimulator({ count, seed, port = 0 }) {
  const { CmSimulator } = require(path.join(projectRoot, 'out/tools/cm-simulator/server.js'));
  const { generateRequests } = require(path.join(projectRoot, 'out/tools/cm-simulator/data.js'));
  const simulator = new CmSimulator({ requests: generateRequests(count, seed) });
  const url = await simulator.start(port);
  return { simulator, url, stop: () => simulator.stop() };
}

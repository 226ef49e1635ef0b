// Starts the compiled CM simulator in this process (run `npm run compile` first).
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { projectRoot } from './codeServer.mjs';

const require = createRequire(import.meta.url);

export async function startSimulator({ count, seed, port = 0 }) {
  const { CmSimulator } = require(path.join(projectRoot, 'out/tools/cm-simulator/server.js'));
  const { generateRequests } = require(path.join(projectRoot, 'out/tools/cm-simulator/data.js'));
  // Submitted up to today (midnight UTC), as on a server in use: the dashboard's recent ranges have data.
  const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const simulator = new CmSimulator({ requests: generateRequests(count, seed, today) });
  const url = await simulator.start(port);
  return { simulator, url, stop: () => simulator.stop() };
}

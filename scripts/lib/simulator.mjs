// Starts the compiled CM simulator in this process (run `npm run compile` first).
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { projectRoot } from './codeServer.mjs';

const require = createRequire(import.meta.url);

/** `directory`: also the directory stand-in (names for the requests' users), at `directoryUrl`. */
export async function startSimulator({ count, seed, port = 0, directory = false }) {
  const { CmSimulator } = require(path.join(projectRoot, 'out/tools/cm-simulator/server.js'));
  const { generateRequests } = require(path.join(projectRoot, 'out/tools/cm-simulator/data.js'));
  const { DirectoryStandIn } = require(path.join(projectRoot, 'out/tools/cm-simulator/directoryStandIn.js'));
  // Submitted up to today (midnight UTC), as on a server in use: the dashboard's recent ranges have data.
  const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const simulator = new CmSimulator({ requests: generateRequests(count, seed, today) });
  const url = await simulator.start(port);
  const standIn = directory ? new DirectoryStandIn() : undefined;
  const directoryUrl = await standIn?.start();
  return { simulator, url, directoryUrl, stop: () => Promise.all([simulator.stop(), standIn?.stop()]) };
}

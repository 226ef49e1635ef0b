// How a refresh scales with the size of the CM database: loads every status group from the simulator on
// loopback for growing request counts and prints the time per 1,000 requests relative to the smallest run
// (timings on a shared machine are noisy; the ratio is what to compare). Run with `npm run bench`.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { CmSimulator } = require('../out/tools/cm-simulator/server.js');
const { generateRequests } = require('../out/tools/cm-simulator/data.js');
const { CmClient } = require('../out/src/cm/client.js');
const { resolveEndpoint } = require('../out/src/cm/endpoint.js');
const { CodeTableWarnings, loadSnapshot } = require('../out/src/model/requestSnapshot.js');

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
let baseline;
for (const count of [1_000, 10_000, 50_000]) {
  const simulator = new CmSimulator({ requests: generateRequests(count, 1) });
  const url = await simulator.start(0);
  const { endpoint } = resolveEndpoint(url, '/CertificateManagement/api/v1.0');
  const client = new CmClient({ endpoint, targetUser: 'all', timeoutSeconds: 120, logger: quiet });
  const started = performance.now();
  const snapshot = await loadSnapshot(client, new AbortController().signal, new CodeTableWarnings(quiet));
  const ms = performance.now() - started;
  const loaded = snapshot.groups.reduce((sum, group) => sum + group.requests.length, 0);
  const perThousand = ms / (count / 1_000);
  baseline ??= perThousand;
  console.log(`${String(count).padStart(6)} requests: ${Math.round(ms)} ms (${loaded} loaded), ${(perThousand / baseline).toFixed(2)}x the time per 1,000 of the smallest run`);
  await client.close();
  await simulator.stop();
}

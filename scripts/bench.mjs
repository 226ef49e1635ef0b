// `npm run bench`: how the extension fares against a CM database of 10k–200k requests, as ratios measured in
// one run next to the limit (what undici + body.text() + JSON.parse alone cost for the same queries, in a fresh
// worker thread like each engine's). The CM server runs in its own process; this process plays the extension
// host, and the engine runs in its worker as in VS Code. Prints a Markdown table and writes it to docs/benchmark.md (with --write).
//   node --expose-gc scripts/bench.mjs [--sizes 10000,50000,100000,200000] [--reps 3] [--write]
import { execFileSync, fork, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDashboardPage } from './lib/dashboardPage.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { EngineHandle } = require(path.join(root, 'out/src/engine/engineHandle.js'));
const { writeExport } = require(path.join(root, 'out/src/servers/exportWriter.js'));
const WORKER = path.join(root, 'dist/engineWorker.js');
const BUNDLE = path.join(root, 'dist/extension.js');
const API = '/CertificateManagement/api/v1.0';
const STATUSES = ['Pending', 'Approved', 'Executing', 'Completed', 'Failed', 'Denied', 'Canceled', 'None'];

const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
};
const sizes = option('sizes', '10000,50000,100000,200000').split(',').map(Number);
const reps = Number(option('reps', '3'));
const write = process.argv.includes('--write');
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const gc = () => globalThis.gc?.();

/** The longest stretch this thread could not run: monitorEventLoopDelay plus a 1 ms probe, whichever saw more. */
function blockWatch() {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  let last = performance.now();
  let longest = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - 1);
    last = now;
  }, 1);
  return () => {
    clearInterval(probe);
    histogram.disable();
    return Math.max(longest, histogram.max / 1e6);
  };
}

async function timed(work) {
  const stop = blockWatch();
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, blockMs: stop(), value };
}

/**
 * The limit (scripts/lib/benchLimit.mjs) in a fresh worker thread, as the engine runs in one: the same start, the
 * same cold heap. Timed from the moment it is asked, like the engine's load.
 */
async function limit(url, keep = false) {
  const worker = new Worker(path.join(root, 'scripts/lib/benchLimit.mjs'), { workerData: { url, api: API, statuses: STATUSES, keep } });
  try {
    const answer = () => new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
    await answer();
    return await timed(() => {
      const total = answer();
      worker.postMessage('go');
      return total;
    });
  } finally {
    await worker.terminate();
  }
}

/**
 * The engine's heap once indexed, after a full GC, which the product never forces. V8 then sweeps the heap on
 * another thread for a while, and the filter timed next would pay for it (the first filter over 200k requests
 * took twice as long, and no longer with --no-concurrent-sweeping or 200 ms later), so the bench waits that out.
 */
async function indexedHeap(engine) {
  const bytes = await engine.call('heap', {});
  await new Promise((resolve) => setTimeout(resolve, 500));
  return bytes;
}

/** Required before the bundle (see activationMs): VS Code reads the manifest before it activates, too. */
const WARM_MODULE = path.join(root, 'package.json');

function activationMs() {
  // A fresh process each time: what VS Code pays to require the main bundle and run activate().
  const script = `
    const Module = require('module');
    const stub = () => new Proxy(function () {}, { get: (_t, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => '' : stub()), set: () => true, apply: () => stub(), construct: () => stub() });
    // esbuild copies the module's own keys, so the stub lists the ones the extension uses.
    const vscode = Object.fromEntries(['window', 'workspace', 'commands', 'languages', 'env', 'version', 'EventEmitter', 'TreeItem', 'TreeItemCollapsibleState', 'ThemeIcon', 'ThemeColor', 'MarkdownString', 'Uri', 'Range', 'Position', 'CodeLens', 'InlayHint', 'ProgressLocation', 'ConfigurationTarget', 'UIKind', 'InputBoxValidationSeverity', 'Disposable', 'l10n', 'StatusBarAlignment', 'ViewColumn', 'authentication'].map((key) => [key, stub()]));
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
    // As in VS Code in English: no translation bundle.
    vscode.l10n = { bundle: undefined, uri: undefined, t: (message) => message };
    require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };
    // The extension host has required many modules before it activates an extension; Node's first require of a
    // file (setting up its module loader) is not the extension's cost.
    require(${JSON.stringify(WARM_MODULE)});
    const started = performance.now();
    const extension = require(${JSON.stringify(BUNDLE)});
    extension.activate({ subscriptions: [], secrets: stub(), globalState: { get: () => undefined, update: async () => undefined }, extension: { packageJSON: { version: '0' }, id: 'x' } });
    process.stdout.write(String(performance.now() - started));
    process.exit(0);`;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
}

function jqMs(url) {
  const started = performance.now();
  const result = spawnSync('bash', ['-c', `curl -s '${url}${API}/requests' | jq 'group_by(.Status) | map(length)' > /dev/null`]);
  if (result.status !== 0) {
    throw new Error(`curl | jq failed: ${result.stderr}`);
  }
  return performance.now() - started;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const spread = (values) => Math.max(...values) - Math.min(...values);
const fmt = (values, digits = 0, unit = '') =>
  `${median(values).toFixed(digits)}${unit}${values.length > 1 ? ` ±${(spread(values) / 2).toFixed(digits)}` : ''}`;

/** What the dashboard shows after a load: the engine's figures, posted to the webview and drawn there. */
async function dashboardMs(engine, range) {
  const figures = await timed(() => engine.call('dashboard', { range, now: Date.now() }));
  const message = {
    kind: 'figures',
    serverId: 'bench',
    server: 'bench',
    hostLabel: 'bench',
    range,
    now: Date.now(),
    loadedAt: new Date().toISOString(),
    statuses: STATUSES,
    loading: false,
    figures: figures.value,
  };
  return { ms: figures.ms + (await dashboard.render(message)), blockMs: figures.blockMs };
}

/** Every loaded request to a CSV file, as Export Requests... streams it. */
async function exportMs(engine) {
  const folder = mkdtempSync(path.join(tmpdir(), 'mimcm-bench-'));
  try {
    const source = { exportChunk: (format, from, count) => engine.call('exportChunk', { format, from, limit: count }) };
    return await timed(() =>
      writeExport(
        source,
        'csv',
        path.join(folder, 'export.csv'),
        () => undefined,
        () => false,
      ),
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const dashboard = await openDashboardPage(root);
const rows = [];
for (const size of sizes) {
  const server = fork(path.join(root, 'scripts/lib/benchServer.mjs'), [String(size)], { stdio: 'inherit' });
  const { url, payloadBytes, counts } = await new Promise((resolve) => server.once('message', resolve));
  const results = {
    ratio: [],
    keptRatio: [],
    refreshMs: [],
    limitMs: [],
    keptMs: [],
    block: [],
    heapHost: [],
    heapWorker: [],
    heapIndexed: [],
    page: [],
    pageBlock: [],
    filterCold: [],
    filterWarm: [],
    filterBlock: [],
    dashboard: [],
    dashboardAll: [],
    dashboardBlock: [],
    exportMs: [],
    exportBlock: [],
    jq: [],
  };
  for (let rep = 0; rep < reps; rep++) {
    gc();
    const baseline = process.memoryUsage().heapUsed;
    const limitRun = await limit(url);
    const keptRun = await limit(url, true);
    gc();
    const engine = new EngineHandle(WORKER, quiet);
    await engine.call('configure', {
      connection: {
        host: url,
        apiPath: API,
        targetUser: 'all',
        requestTimeoutSeconds: 120,
        maxResponseMegabytes: 1024,
        authentication: 'none',
        kerberosServicePrincipal: '',
        caFile: '',
        clientCertificate: '',
        proxy: { proxy: '', strictSSL: true, noProxy: [], support: 'override' },
      },
      secrets: {},
      userAgent: 'bench',
      locale: 'en-US',
      rereadSecrets: false,
    });
    const refresh = await timed(() => engine.call('load', { statuses: STATUSES }));
    if (refresh.value.kind !== 'loaded' || refresh.value.total !== limitRun.value) {
      throw new Error(`the refresh did not load the ${limitRun.value} requests: ${JSON.stringify(refresh.value).slice(0, 300)}`);
    }
    gc();
    results.heapHost.push((process.memoryUsage().heapUsed - baseline) / payloadBytes);
    // No wait here: the filter typed right after a load is timed after the pages, and a wait would index meanwhile.
    results.heapWorker.push((await engine.call('heap', {})) / payloadBytes);
    const page = await timed(() => engine.call('page', { group: 'Completed', limit: 200 }));
    const more = await timed(() => engine.call('page', { group: 'Completed', limit: 400 }));
    const cold = await timed(() => engine.call('filter', { text: '8f1590dc enroll' }));
    await engine.call('indexed', {});
    results.heapIndexed.push((await indexedHeap(engine)) / payloadBytes);
    const warm = await timed(() => engine.call('filter', { text: `a039b4d0 ${rep}` }));
    await engine.call('filter', { text: '' });
    const shown = await dashboardMs(engine, 30);
    const shownAll = await dashboardMs(engine, 0);
    const exported = await exportMs(engine);
    engine.dispose();
    results.ratio.push(refresh.ms / limitRun.ms);
    results.keptRatio.push(refresh.ms / keptRun.ms);
    results.refreshMs.push(refresh.ms);
    results.limitMs.push(limitRun.ms);
    results.keptMs.push(keptRun.ms);
    results.block.push(refresh.blockMs);
    results.page.push(page.ms);
    results.pageBlock.push(Math.max(page.blockMs, more.blockMs));
    results.filterCold.push(cold.ms);
    results.filterWarm.push(warm.ms);
    results.filterBlock.push(Math.max(cold.blockMs, warm.blockMs));
    results.dashboard.push(shown.ms);
    results.dashboardAll.push(shownAll.ms);
    results.dashboardBlock.push(Math.max(shown.blockMs, shownAll.blockMs));
    results.exportMs.push(exported.ms);
    results.exportBlock.push(exported.blockMs);
    results.jq.push(jqMs(url) / refresh.ms);
  }
  server.send('stop');
  rows.push({ size, payloadMiB: payloadBytes / 1024 / 1024, completed: counts.Completed, ...results });
  console.error(`${size}: done`);
}

await dashboard.close();
const activation = Array.from({ length: 5 }, activationMs);
const bundleKiB = statSync(BUNDLE).size / 1024;
const lines = [
  `Measured ${new Date().toISOString().slice(0, 10)} on this 2-core machine (Node ${process.versions.node}); median ± half the spread of ${reps} run${reps === 1 ? '' : 's'}. Ratios compare with the limit measured in the same run; the limit keeping the lists holds what it parsed until the last list has arrived, as anything that shows the requests must. The filter once indexed is timed 500 ms after the full GC the bench forces to measure the heap, once V8 has swept it; the filter right after a load is timed without a wait.`,
  '',
  '| requests (payload) | refresh vs limit | refresh vs limit keeping the lists | refresh / limit / limit keeping | longest host block (refresh) | host heap kept / payload | engine heap / payload (after load / indexed) | first page (200) | host block (pages) | new filter (right after load / once indexed) | host block (filter) | dashboard shown (30 days / all) | host block (dashboard) | export all to CSV | host block (export) | `curl \\| jq group_by` vs refresh |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map((row) =>
    [
      `${row.size.toLocaleString('en-US')} (${row.payloadMiB.toFixed(0)} MiB)`,
      `${fmt(row.ratio, 2, '×')}`,
      `${fmt(row.keptRatio, 2, '×')}`,
      `${fmt(row.refreshMs, 0, ' ms')} / ${fmt(row.limitMs, 0, ' ms')} / ${fmt(row.keptMs, 0, ' ms')}`,
      fmt(row.block, 0, ' ms'),
      fmt(row.heapHost, 3, '×'),
      `${fmt(row.heapWorker, 2, '×')} / ${fmt(row.heapIndexed, 2, '×')}`,
      fmt(row.page, 1, ' ms'),
      fmt(row.pageBlock, 0, ' ms'),
      `${fmt(row.filterCold, 0, ' ms')} / ${fmt(row.filterWarm, 0, ' ms')}`,
      fmt(row.filterBlock, 0, ' ms'),
      `${fmt(row.dashboard, 0, ' ms')} / ${fmt(row.dashboardAll, 0, ' ms')}`,
      fmt(row.dashboardBlock, 0, ' ms'),
      fmt(row.exportMs, 0, ' ms'),
      fmt(row.exportBlock, 0, ' ms'),
      `${fmt(row.jq, 2, '×')} slower`,
    ]
      .join(' | ')
      .replace(/^/, '| ')
      .replace(/$/, ' |'),
  ),
  '',
  `Activation (require of the main bundle + activate(), fresh process, median of 5): ${median(activation).toFixed(1)} ms. Main bundle (production): ${bundleKiB.toFixed(0)} KiB; undici and zod are only in dist/engineWorker.js. Peak RSS of this process (host + engine worker): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB.`,
];
const table = lines.join('\n');
console.log(table);
if (write) {
  writeFileSync(path.join(root, 'docs/benchmark.md'), `# Benchmark\n\n${table}\n`);
}

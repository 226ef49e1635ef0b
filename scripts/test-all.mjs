// `npm test`: every tier in order, stopping at the first failure, with each stage's time (CI reports them) and
// one closing "N passed, N failed" line over all tiers.
import { spawnSync } from 'node:child_process';
import { projectRoot } from './lib/codeServer.mjs';
import { ensureSystemPackages } from './lib/systemPackages.mjs';

const stages = [
  ['type-check and compile', 'npx', ['tsc', '-p', '.']],
  ['type-check the webview (DOM)', 'npx', ['tsc', '-p', 'src/webview']],
  ['format (Prettier)', 'npx', ['prettier', '--check', '.']],
  ['lint (type-aware)', 'npx', ['eslint', '.', '--max-warnings', '0']],
  ['localization (every user-facing string through l10n, German complete)', 'node', ['scripts/l10n.mjs']],
  ['unit tests (plain Node)', 'npx', ['mocha']],
  [
    'Negotiate, NTLM and proxy against a real KDC, Apache, gss-ntlmssp and squid (plain Node)',
    'npx',
    ['mocha', '--config', '.mocharc.auth.json'],
  ],
  [
    'names from a real Active Directory: LDAPS, StartTLS, SASL GSSAPI and refused binds against a Samba AD DC (plain Node)',
    'npx',
    ['mocha', '--config', '.mocharc.directory.json'],
  ],
  ['bundle (development)', 'node', ['esbuild.mjs']],
  ['integration tests (extension host in VS Code 1.100)', 'node', ['scripts/test-integration.mjs']],
  ['package the VSIXs: linux-x64, win32-x64, universal (production bundle)', 'npm', ['run', '--silent', 'package']],
  [
    "each VSIX's files, and the win32-x64 build's SSPI under Wine with Windows' Node 20",
    'npx',
    ['mocha', '--config', '.mocharc.packaging.json'],
  ],
  // Proves the benchmark runs; a small size, and no timing is judged here.
  ['benchmark (small, no thresholds)', 'node', ['--expose-gc', 'scripts/bench.mjs', '--sizes', '2000', '--reps', '1']],
  ['browser end-to-end tests', 'npx', ['mocha', '--config', '.mocharc.e2e.json']],
];

/** Counts from mocha ("12 passing", "1 failing") or from the integration runner ("12 passed, 0 failed"). */
function countTests(output) {
  const number = (pattern) => Number(pattern.exec(output)?.[1] ?? 0);
  return {
    passed: number(/^\s*(\d+) passing/m) + number(/^(\d+) passed, \d+ failed$/m),
    failed: number(/^\s*(\d+) failing/m) + number(/^\d+ passed, (\d+) failed$/m),
  };
}

// Before any stage: a missing system package is installed (Debian, root) or named now, not met halfway.
ensureSystemPackages('test');

const timings = [];
const total = { passed: 0, failed: 0 };
let failedStage;
for (const [name, command, args] of stages) {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: projectRoot,
    // npx and npm are .cmd files on Windows, which only a shell runs.
    shell: process.platform === 'win32',
    stdio: ['inherit', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(result.stdout ?? '');
  if (result.error !== undefined) {
    console.error(`${command} could not start: ${result.error.message}`);
  }
  timings.push(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const counts = countTests(result.stdout ?? '');
  total.passed += counts.passed;
  total.failed += counts.failed;
  if (result.status !== 0) {
    failedStage = `${name} failed (exit ${result.status ?? result.signal}).`;
    break;
  }
}
console.log(`\n${failedStage ?? 'All stages passed.'}\n${timings.join('\n')}\n`);
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exit(failedStage === undefined ? 0 : 1);

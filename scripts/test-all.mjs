// `npm test`: every tier in order, stopping at the first failure, with each stage's time (CI reports them).
import { spawnSync } from 'node:child_process';
import { projectRoot } from './lib/codeServer.mjs';

const stages = [
  ['type-check and compile', 'npx', ['tsc', '-p', '.']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings', '0']],
  ['unit tests (plain Node)', 'npx', ['mocha']],
  ['Negotiate, NTLM and proxy against a real KDC, Apache, gss-ntlmssp and squid (plain Node)', 'npx', ['mocha', '--config', '.mocharc.auth.json']],
  ['bundle (development)', 'node', ['esbuild.mjs']],
  ['integration tests (extension host in VS Code 1.100)', 'node', ['scripts/test-integration.mjs']],
  ['package VSIX (production bundle)', 'npm', ['run', '--silent', 'package']],
  ['browser end-to-end tests', 'npx', ['mocha', '--config', '.mocharc.e2e.json']],
];

const timings = [];
for (const [name, command, args] of stages) {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: 'inherit' });
  timings.push(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (result.status !== 0) {
    console.error(`\n${name} failed (exit ${result.status ?? result.signal}).`);
    console.log(timings.join('\n'));
    process.exit(1);
  }
}
console.log(`\nAll stages passed.\n${timings.join('\n')}`);

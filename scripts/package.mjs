// `npm run package`: one VSIX per platform, from one machine, in dist/:
//   mimcm-requests-linux-x64.vsix   Negotiate through GSSAPI (the `kerberos` binding npm built here)
//   mimcm-requests-win32-x64.vsix   Negotiate through SSPI (node-expose-sspi's prebuilt binary)
//   mimcm-requests-universal.vsix   no native code: every other platform (Negotiate explains what to use instead)
// Each carries only its own dist/native/<target>/ folder. The linux-x64 binding can only be built on Linux x64;
// elsewhere that VSIX is skipped with a message.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from './lib/codeServer.mjs';
import { stageSspi, VSIX_TARGETS, vsixPath } from './lib/natives.mjs';

/**
 * The README in the VSIX (the Details tab) is for users: the developer parts of README.md are left out. The
 * Details tab shows images only from https: or data: addresses (its page's CSP; a relative path does not resolve
 * against the installed extension), and an offline machine reaches no https address, so the few images it keeps
 * are embedded; the others are left to the README in the repository, to keep the VSIX small.
 */
const USER_README = 'dist/README.md';
const DETAILS_TAB_IMAGES = new Set(['docs/requests-and-json.png', 'docs/dashboard-light.png', 'docs/why-pending.png']);

/** npx is a .cmd on Windows, which only a shell runs; a failure to start at all is printed, not swallowed. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: projectRoot, shell: process.platform === 'win32', ...options });
  if (result.error !== undefined) {
    console.error(`${command} ${args.join(' ')} could not start: ${result.error.message}`);
  }
  return result;
}

function writeUserReadme() {
  const source = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
  // A scripted edit once pasted half the README in twice; the Details tab would have shown every section twice.
  const headings = source.match(/^#{1,4} .+$/gm) ?? [];
  const repeated = headings.filter((heading, index) => headings.indexOf(heading) !== index);
  if (repeated.length > 0) {
    throw new Error(`README.md has these headings more than once: ${[...new Set(repeated)].join(', ')}`);
  }
  const readme = source
    .replace(/<!-- developers -->[\s\S]*?<!-- \/developers -->\n*/g, '')
    .replace(/^!\[[^\]]*\]\((docs\/[\w.-]+\.png)\)\n+/gm, (line, image) => (DETAILS_TAB_IMAGES.has(image) ? line : ''))
    .replace(
      /(!\[[^\]]*\]\()(docs\/[\w.-]+\.png)\)/g,
      (_all, start, image) => `${start}data:image/png;base64,${readFileSync(path.join(projectRoot, image)).toString('base64')})`,
    )
    .replace(/\n{3,}/g, '\n\n');
  mkdirSync(path.join(projectRoot, 'dist'), { recursive: true });
  writeFileSync(path.join(projectRoot, USER_README), readme);
  return readme;
}

/** .vscodeignore lists what ships; each target adds its own native folder. */
function ignoreFileFor(target) {
  const file = path.join(projectRoot, 'dist', `vscodeignore-${target}`);
  const base = readFileSync(path.join(projectRoot, '.vscodeignore'), 'utf8');
  writeFileSync(file, target === 'universal' ? base : `${base.trimEnd()}\n!dist/native/${target}/**\n`);
  return file;
}

function packageTarget(target) {
  const args = ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links'];
  args.push('--readme-path', USER_README, '--ignoreFile', ignoreFileFor(target), '--out', vsixPath(target));
  if (target !== 'universal') {
    args.push('--target', target);
  }
  // vsce runs vscode:prepublish (the production bundle) before it packs; its file listing is shown only on failure.
  const result = run('npx', args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) {
    process.stdout.write(result.stdout ?? '');
    process.stderr.write(result.stderr ?? '');
    process.exit(result.status ?? 1);
  }
  console.log(`${path.relative(projectRoot, vsixPath(target))}: ${(statSync(vsixPath(target)).size / 1024).toFixed(0)} KiB`);
}

/** .vscodeignore lists files one by one, so a new README image or translation is easy to leave out. */
function checkListedFiles(readme) {
  const listing = run('npx', ['vsce', 'ls', '--no-dependencies'], { encoding: 'utf8' });
  const packaged = new Set((listing.stdout ?? '').split('\n').map((line) => line.trim()));
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1]);
  const missing = [
    ...images.filter((image) => !/^(https?|data):/.test(image) && !packaged.has(image)),
    ...['package.nls.json', 'package.nls.de.json', 'l10n/bundle.l10n.de.json'].filter((file) => !packaged.has(file)),
  ];
  if (listing.status !== 0 || missing.length > 0) {
    console.error(listing.status !== 0 ? listing.stderr : `Files missing from the VSIX (add them to .vscodeignore): ${missing.join(', ')}`);
    process.exit(1);
  }
}

const readme = writeUserReadme();
checkListedFiles(readme);
stageSspi(projectRoot);
// The Kerberos binding is built by npm for this machine only: the linux-x64 VSIX needs a Linux x64 build machine.
const kerberos = path.join(projectRoot, 'node_modules', 'kerberos', 'build', 'Release', 'kerberos.node');
for (const target of VSIX_TARGETS) {
  if (target === 'linux-x64' && !(process.platform === 'linux' && process.arch === 'x64' && existsSync(kerberos))) {
    console.warn('Skipping mimcm-requests-linux-x64.vsix: its Kerberos binding is built by npm on Linux x64 only (with libkrb5-dev).');
    continue;
  }
  packageTarget(target);
}

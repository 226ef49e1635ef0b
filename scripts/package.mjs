// `npm run package`: a VSIX for this platform (the Kerberos binding is native code), at dist/mimcm-requests.vsix.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { projectRoot } from './lib/codeServer.mjs';

const VSIX = 'dist/mimcm-requests.vsix';
// The README in the VSIX (the Details tab) is for users: the developer parts of README.md are left out, and its
// images are embedded as data: URIs, because the Details tab does not resolve a relative image against the
// installed extension (they showed broken) and an offline machine cannot fetch a remote one.
const USER_README = 'dist/README.md';
const source = readFileSync(`${projectRoot}/README.md`, 'utf8');
// A scripted edit once pasted half the README in twice; the Details tab would have shown every section twice.
const headings = source.match(/^#{1,4} .+$/gm) ?? [];
const repeated = headings.filter((heading, index) => headings.indexOf(heading) !== index);
if (repeated.length > 0) {
  console.error(`README.md has these headings more than once: ${[...new Set(repeated)].join(', ')}`);
  process.exit(1);
}
const readme = source
  .replace(/<!-- developers -->[\s\S]*?<!-- \/developers -->\n*/g, '')
  .replace(/\n{3,}/g, '\n\n')
  .replace(
    /(!\[[^\]]*\]\()(docs\/[\w.-]+\.png)\)/g,
    (_all, start, image) => `${start}data:image/png;base64,${readFileSync(`${projectRoot}/${image}`).toString('base64')})`,
  );
mkdirSync(`${projectRoot}/dist`, { recursive: true });
writeFileSync(`${projectRoot}/${USER_README}`, readme);
const args = [
  'vsce',
  'package',
  '--no-dependencies',
  '--allow-missing-repository',
  '--no-rewrite-relative-links',
  '--readme-path',
  USER_README,
  '--out',
  VSIX,
];
// vsce runs vscode:prepublish (the production bundle, which copies the binding) before it packs.
if (existsSync(`${projectRoot}/node_modules/kerberos/build/Release/kerberos.node`)) {
  args.push('--target', `${process.platform}-${process.arch}`);
}
const result = spawnSync('npx', args, { cwd: projectRoot, stdio: 'inherit' });
if (result.status !== 0) {
  process.exit(result.status ?? 1);
}

// .vscodeignore lists files one by one, so a new README image is easy to leave out of the package.
const listing = spawnSync('npx', ['vsce', 'ls', '--no-dependencies'], { cwd: projectRoot, encoding: 'utf8' });
const packaged = new Set(listing.stdout.split('\n').map((line) => line.trim()));
const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1]);
const missing = [
  ...images.filter((image) => !/^(https?|data):/.test(image) && !packaged.has(image)),
  // The German translations, which .vscodeignore must let through too.
  ...['package.nls.json', 'package.nls.de.json', 'l10n/bundle.l10n.de.json'].filter((file) => !packaged.has(file)),
];
if (listing.status !== 0 || missing.length > 0) {
  console.error(listing.status !== 0 ? listing.stderr : `Files missing from ${VSIX} (add them to .vscodeignore): ${missing.join(', ')}`);
  process.exit(1);
}

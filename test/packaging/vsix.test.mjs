// What each VSIX of `npm run package` holds: its own native library and no other, everything the extension
// loads, a README for users, within its size budget.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { zipEntries, zipEntry } from '../../scripts/lib/archives.mjs';
import { projectRoot } from '../../scripts/lib/codeServer.mjs';
import { VSIX_TARGETS, vsixPath } from '../../scripts/lib/natives.mjs';

const manifest = JSON.parse(readFileSync(`${projectRoot}/package.json`, 'utf8'));

/** What every VSIX must carry: the bundles, the translations and every image the walkthrough shows. */
const REQUIRED = [
  'extension/package.json',
  'extension/package.nls.json',
  'extension/package.nls.de.json',
  'extension/l10n/bundle.l10n.de.json',
  'extension/dist/extension.js',
  'extension/dist/engineWorker.js',
  'extension/dist/webview/dashboard.js',
  'extension/dist/webview/dashboard.css',
  'extension/media/mimcm.svg',
  'extension/readme.md',
  ...manifest.contributes.walkthroughs.flatMap((walkthrough) => walkthrough.steps.map((step) => `extension/${step.media.image}`)),
];

/** The native files each target carries, and the machine type its binary is built for. */
const NATIVE = {
  'linux-x64': {
    files: ['kerberos/build/Release/kerberos.node', 'kerberos/lib/index.js', 'kerberos/LICENSE'],
    binary: 'kerberos/build/Release/kerberos.node',
  },
  'win32-x64': { files: ['node-expose-sspi.node', 'node-expose-sspi.LICENSE'], binary: 'node-expose-sspi.node' },
  universal: { files: [] },
};

/** The budgets: a VSIX with a native binding within 1.5 MB, the universal one within 1 MB. */
const BUDGET = { 'linux-x64': 1.5e6, 'win32-x64': 1.5e6, universal: 1e6 };

/** ELF x86-64, or a PE image whose COFF machine is AMD64. */
function machineOf(bytes) {
  if (bytes.subarray(0, 4).toString('latin1') === '\x7fELF') {
    return bytes.readUInt16LE(18) === 0x3e ? 'x64' : 'other ELF';
  }
  if (bytes.subarray(0, 2).toString('latin1') === 'MZ') {
    const pe = bytes.readUInt32LE(0x3c);
    return bytes.readUInt16LE(pe + 4) === 0x8664 ? 'x64' : 'other PE';
  }
  return 'unknown';
}

describe('the VSIX of each platform', () => {
  for (const target of VSIX_TARGETS) {
    describe(target, () => {
      const file = vsixPath(target);
      let names;
      before(function () {
        assert.ok(existsSync(file), `${file} is missing: npm run package builds it`);
        names = zipEntries(file).map((entry) => entry.name);
      });

      it('carries everything the extension loads and shows', () => {
        assert.deepEqual(
          REQUIRED.filter((name) => !names.includes(name)),
          [],
        );
      });

      it('carries its own native library and no other platform’s', () => {
        const native = names.filter((name) => name.startsWith('extension/dist/native/'));
        assert.deepEqual(
          native.filter((name) => !name.startsWith(`extension/dist/native/${target}/`)),
          [],
          'no other platform’s files',
        );
        assert.deepEqual(
          NATIVE[target].files.map((name) => `extension/dist/native/${target}/${name}`).filter((name) => !native.includes(name)),
          [],
        );
        const binary = NATIVE[target].binary;
        if (binary !== undefined) {
          assert.equal(machineOf(zipEntry(file, `extension/dist/native/${target}/${binary}`)), 'x64');
        }
        assert.equal(names.filter((name) => name.startsWith('extension/node_modules/')).length, 0, 'no node_modules');
      });

      it('says which platform it is for', () => {
        const identity = /<Identity [^>]*>/.exec(zipEntry(file, 'extension.vsixmanifest').toString('utf8'))?.[0] ?? '';
        assert.match(identity, target === 'universal' ? /^(?!.*TargetPlatform)/ : new RegExp(`TargetPlatform="${target}"`));
      });

      it('has a README for users whose few images are embedded, within its size budget', () => {
        const readme = zipEntry(file, 'extension/readme.md').toString('utf8');
        // Not assert.match: a failure would print the whole README, images and all.
        assert.ok(!/npm ci|Quick start \(from source\)|<!-- developers -->/.test(readme), 'developer material stays out');
        assert.ok(/Which VSIX/.test(readme), 'it says which VSIX is for which platform');
        const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((match) => match[1]);
        assert.ok(images.length >= 1 && images.length <= 3, `${images.length} images`);
        assert.ok(images.every((image) => image.startsWith('data:image/')));
        assert.ok(statSync(file).size <= BUDGET[target], `${statSync(file).size} bytes > ${BUDGET[target]}`);
      });
    });
  }
});

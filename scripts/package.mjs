// `npm run package`: a VSIX for this platform (the Kerberos binding is native code), at dist/mimcm-requests.vsix.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { projectRoot } from './lib/codeServer.mjs';

const args = ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', 'dist/mimcm-requests.vsix'];
// vsce runs vscode:prepublish (the production bundle, which copies the binding) before it packs.
if (existsSync(`${projectRoot}/node_modules/kerberos/build/Release/kerberos.node`)) {
  args.push('--target', `${process.platform}-${process.arch}`);
}
const result = spawnSync('npx', args, { cwd: projectRoot, stdio: 'inherit' });
process.exit(result.status ?? 1);

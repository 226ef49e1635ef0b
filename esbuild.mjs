// Bundles the extension (with undici and zod) into one file; type checking is tsc's job (`npm run typecheck`).
// The native Kerberos binding cannot be bundled: its runtime files are copied next to the bundle, where
// require('kerberos') finds them, and the VSIX is then built per platform (scripts/package.mjs).
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const context = await esbuild.context({
  entryPoints: ['src/extension.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/extension.js',
  external: ['vscode', 'kerberos'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'info',
});

function copyKerberos() {
  const from = 'node_modules/kerberos';
  const to = 'dist/node_modules/kerberos';
  rmSync(to, { recursive: true, force: true });
  if (!existsSync(`${from}/build/Release/kerberos.node`)) {
    console.warn('kerberos native binding not built: Negotiate authentication will be unavailable in this build.');
    return;
  }
  mkdirSync(`${to}/build/Release`, { recursive: true });
  cpSync(`${from}/package.json`, `${to}/package.json`);
  cpSync(`${from}/LICENSE`, `${to}/LICENSE`);
  cpSync(`${from}/lib`, `${to}/lib`, { recursive: true });
  cpSync(`${from}/build/Release/kerberos.node`, `${to}/build/Release/kerberos.node`);
}

copyKerberos();
if (watch) {
  await context.watch();
} else {
  await context.rebuild();
  await context.dispose();
}

// Bundles the extension in two files: dist/extension.js, which VS Code loads on activation (small: no undici, no
// zod), and dist/engineWorker.js, each server's engine in its worker thread (undici, zod, the client); and the
// dashboard webview's page script and style (dist/webview/dashboard.js and .css, with uPlot) for the browser. Type
// checking is tsc's job (`npm run typecheck`). `--metafile` writes what each bundle holds to dist/meta.json.
// Native code cannot be bundled: the Kerberos binding npm built here is copied to dist/native/<platform>-<arch>/
// (src/cm/negotiate/nativeBinding.ts loads it from there), and scripts/package.mjs adds Windows' SSPI binary and
// builds one VSIX per platform with only its own folder.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { stageSspi } from './scripts/lib/natives.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/**
 * Every module imports `vscode` as a namespace. esbuild turns each such import of an external CommonJS module
 * into a copy of all its properties (__toESM), and VS Code's API has a few hundred: once per importing module, at
 * every activation. This routes them all through one module that copies the API once.
 */
const vscodeOnce = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

const context = await esbuild.context({
  entryPoints: { extension: 'src/extension.ts', engineWorker: 'src/engine/worker.ts' },
  plugins: [vscodeOnce],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  metafile: true,
  external: ['vscode', 'kerberos'],
  // @vscode/l10n's Node build requires fs/promises (~2 ms of every activation) only to read a bundle from a file;
  // we always hand it the bundle's contents, which its browser build does alone.
  alias: { '@vscode/l10n': './node_modules/@vscode/l10n/dist/browser.js' },
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'info',
});

const webview = await esbuild.context({
  entryPoints: { dashboard: 'src/webview/dashboard/main.ts' },
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'chrome120',
  outdir: 'dist/webview',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'info',
});

/** GSSAPI's binding, for Linux and macOS; Windows speaks Negotiate through SSPI instead. */
function copyKerberos() {
  const from = 'node_modules/kerberos';
  const to = `dist/native/${process.platform}-${process.arch}/kerberos`;
  rmSync('dist/node_modules', { recursive: true, force: true });
  rmSync(to, { recursive: true, force: true });
  if (process.platform === 'win32') {
    return;
  }
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
if (process.platform === 'win32') {
  stageSspi('.');
}
if (watch) {
  await Promise.all([context.watch(), webview.watch()]);
} else {
  const [result] = await Promise.all([context.rebuild(), webview.rebuild()]);
  await Promise.all([context.dispose(), webview.dispose()]);
  writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
  // Activation loads dist/extension.js: the HTTP client and the schemas belong in the engine's worker only.
  const heavy = Object.keys(result.metafile.outputs['dist/extension.js'].inputs).filter((input) =>
    /node_modules\/(undici|zod)\//.test(input),
  );
  if (heavy.length > 0) {
    console.error(
      `dist/extension.js must not contain undici or zod, but holds ${heavy.slice(0, 3).join(', ')}: something on the extension-host side imports the client or the schemas.`,
    );
    process.exit(1);
  }
}

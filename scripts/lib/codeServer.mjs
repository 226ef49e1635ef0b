// Starts code-server (installed by scripts/vscode-host.sh) with a throw-away profile: the demo, the
// extension-host suite and the browser tests all run the extension inside this real VS Code.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, stopProcessTree } from './processes.mjs';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Quiet defaults so the workbench opens straight to the extension, with nothing asking for attention. */
const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
};

/** Installs code-server if needed (see scripts/vscode-host.sh) and returns the path of its entry script. */
export function ensureCodeServer() {
  const result = spawnSync('bash', [path.join(projectRoot, 'scripts', 'vscode-host.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) {
    throw new Error(`scripts/vscode-host.sh failed (exit ${result.status})`);
  }
  return result.stdout.trim().split('\n').pop();
}

/** A fresh user-data and extensions folder, with user settings; removed by the returned cleanup. */
export function createProfile(settings = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mimcm-vscode-'));
  const userDataDir = path.join(dir, 'user-data');
  const extensionsDir = path.join(dir, 'extensions');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, 2));
  const workspace = path.join(dir, 'workspace');
  mkdirSync(workspace);
  return { dir, userDataDir, extensionsDir, workspace, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function installExtension(entry, profile, vsixPath) {
  const result = spawnSync(
    process.execPath,
    [entry, '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, '--install-extension', vsixPath, '--force'],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new Error(`Installing ${vsixPath} failed:\n${result.stdout}\n${result.stderr}`);
  }
}

/**
 * Starts code-server on a free loopback port and resolves once it listens. Workspace trust is off unless
 * `trustWorkspaces` asks for VS Code's real trust model (the untrusted-workspace test). `env` reaches the extension host
 * (code-server's children inherit it), which is how tests learn the simulator's address. `locale` sets VS Code's
 * display language (e.g. `de`).
 */
export async function startCodeServer(entry, profile, { port, env = {}, log = () => undefined, trustWorkspaces = false, locale } = {}) {
  const chosenPort = port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [
      entry,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${chosenPort}`,
      '--user-data-dir',
      profile.userDataDir,
      '--extensions-dir',
      profile.extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      ...(trustWorkspaces ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      ...(locale === undefined ? [] : ['--locale', locale]),
      profile.workspace,
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' },
  );
  const url = `http://127.0.0.1:${chosenPort}`;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('code-server did not start within 60 s')), 60_000);
    const onData = (data) => {
      const text = data.toString();
      log(text);
      if (/HTTP server listening/.test(text)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (data) => log(data.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited early (code ${code})`));
    });
  });
  return {
    url,
    port: chosenPort,
    /** The workbench URL for the profile's folder, optionally with a test payload. */
    workbenchUrl(payload) {
      const params = new URLSearchParams({ folder: profile.workspace });
      if (payload !== undefined) {
        params.set('payload', JSON.stringify(payload));
      }
      return `${url}/?${params.toString()}`;
    },
    stop: () => stopProcessTree(child),
  };
}

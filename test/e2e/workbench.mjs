// Opens the packaged extension in a real VS Code (code-server) in headless Chromium, for the e2e suites.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { launchBrowser } from '../../scripts/lib/browser.mjs';
import { HOST_VSIX } from '../../scripts/lib/natives.mjs';
import { createProfile, ensureCodeServer, installExtension, projectRoot, startCodeServer } from '../../scripts/lib/codeServer.mjs';

export const VSIX = HOST_VSIX;
// Screenshots go to test-results/; `npm run screenshots` writes them to docs/ for the README instead.
export const SCREENSHOTS = path.join(projectRoot, process.env.MIMCM_UPDATE_SCREENSHOTS ? 'docs' : 'test-results');

/** The MIM CM view as a user finds things in it: rows by text or exact label, the title's Refresh. */
export function viewOf(page) {
  const sidebar = () => page.locator('[id="workbench.parts.sidebar"]');
  return {
    sidebar,
    row: (text) => sidebar().locator('.monaco-list-row', { hasText: text }).first(),
    rowNamed: (label) =>
      sidebar()
        .locator('.monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) })
        .first(),
    refresh: () => sidebar().locator('a.action-label[aria-label="Refresh"]').filter({ visible: true }).first().click(),
    // The item, not its icon: the Pending badge covers the icon once the extension has loaded at startup.
    openView: () => page.locator('.activitybar .action-item', { has: page.locator('a[aria-label^="MIM CM"]') }).click(),
  };
}

/**
 * Runs a command from the palette by its title, as a user types it. On a busy machine the workbench can close
 * the palette just after it opened (a tab or view taking focus as it settles): it is then opened again.
 */
export async function runCommand(page, title, attempts = 3) {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ timeout: attempt === attempts ? 30_000 : 10_000 });
      await input.fill(`>${title}`, { timeout: attempt === attempts ? 30_000 : 5_000 });
      break;
    } catch (error) {
      if (attempt === attempts) {
        throw error;
      }
      await page.keyboard.press('Escape');
    }
  }
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * A throw-away profile with `settings`, the VSIX installed, code-server and a browser page on the workbench.
 * `prepareWorkspace(folder)` may put files in the opened folder first; `extensions` are more VSIX files to install,
 * `prepareProfile(profile)` may change the profile after that, and `locale` is VS Code's display language.
 * close() ends it all.
 */
/** The pages of the workbenches now open, for the screenshot a failed test leaves (see hooks.mjs). */
export const openPages = new Set();

export async function openWorkbench({
  settings,
  trustWorkspaces = false,
  prepareWorkspace = () => undefined,
  prepareProfile = () => undefined,
  locale,
  extensions = [],
}) {
  assert.ok(existsSync(VSIX), `${VSIX} is missing: run npm run package first`);
  const entry = ensureCodeServer();
  const profile = createProfile(settings);
  prepareWorkspace(profile.workspace);
  installExtension(entry, profile, VSIX);
  for (const extension of extensions) {
    installExtension(entry, profile, extension);
  }
  prepareProfile(profile);
  const codeServer = await startCodeServer(entry, profile, { trustWorkspaces, locale });
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(codeServer.workbenchUrl());
  await page.locator('.activitybar').waitFor({ timeout: 60_000 });
  openPages.add(page);
  return {
    page,
    profile,
    close: async () => {
      openPages.delete(page);
      await browser.close();
      await codeServer.stop();
      profile.remove();
    },
  };
}

/**
 * Chooses an entry of the open context menu. On a busy machine the workbench can drop a click that lands while
 * the menu is still settling, leaving it open: the entry is then chosen with the keyboard instead.
 */
export async function chooseMenuEntry(page, label) {
  await chooseMenuItem(page, page.locator('.monaco-menu .action-label', { hasText: label }).first());
}

/** chooseMenuEntry for an entry found another way (e.g. the last of several with the same label, in a submenu). */
export async function chooseMenuItem(page, entry) {
  await entry.waitFor();
  await entry.click();
  const closed = await page
    .locator('.monaco-menu')
    .first()
    .waitFor({ state: 'detached', timeout: 2_000 })
    .then(() => true)
    .catch(() => false);
  if (!closed) {
    await entry.hover();
    await page.keyboard.press('Enter');
  }
}

/**
 * Clicks `target` (with `click` options, e.g. the right button) until `expected` shows: a tree row redrawn under
 * the mouse (a load finishing, a timer), or an editor taking focus as it opens, can swallow a click.
 */
export async function clickUntilShown(target, expected, attempts = 3, click = {}) {
  for (let attempt = 1; ; attempt++) {
    await target.click(click);
    try {
      await expected.waitFor({ timeout: attempt === attempts ? 30_000 : 5_000 });
      return;
    } catch (error) {
      if (attempt === attempts) {
        throw error;
      }
    }
  }
}

// Browser end-to-end: a person using the packaged extension in VS Code (code-server), driven through the UI.
import * as assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startSimulator } from '../../scripts/lib/simulator.mjs';
import { chooseMenuItem, openWorkbench, runCommand as runPaletteCommand, SCREENSHOTS, viewOf, clickUntilShown } from './workbench.mjs';

const API = '/CertificateManagement/api/v1.0';
const STATUSES = ['Pending', 'Approved', 'Executing', 'Completed', 'Failed', 'Denied', 'Canceled', 'None'];

describe('MIM CM Requests, as a user sees it in VS Code', function () {
  this.timeout(120_000);
  let sim;
  let workbench;
  let profile;
  let page;

  const sidebar = () => viewOf(page).sidebar();
  const row = (text) => viewOf(page).row(text);
  const rowNamed = (label) => viewOf(page).rowNamed(label);
  const stageFault = async (mode) => {
    const response = await fetch(`${sim.url}/__simulator/fault`, { method: 'POST', body: JSON.stringify({ mode }) });
    assert.equal(response.status, 200);
  };
  const countOnServer = async (status) => {
    const response = await fetch(`${sim.url}${API}/requests?status=${status}`);
    return response.status === 204 ? 0 : (await response.json()).length;
  };
  const runCommand = (title) => runPaletteCommand(page, title);
  // Monaco renders spaces as no-break spaces.
  const editorText = async () => (await page.locator('.editor-instance .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
  const refreshButton = () => sidebar().locator('a.action-label[aria-label="Refresh"]').filter({ visible: true }).first();
  const activeTabTitle = () => page.locator('.tabs-container .tab.active .label-name').first().innerText();

  before(async function () {
    this.timeout(300_000);
    mkdirSync(SCREENSHOTS, { recursive: true });
    sim = await startSimulator({ count: 300, seed: 1 });
    workbench = await openWorkbench({ settings: { 'mimcm.host': sim.url, 'workbench.colorTheme': 'Default Light Modern' } });
    ({ page, profile } = workbench);
  });

  after(async () => {
    await workbench?.close();
    await sim?.stop();
  });

  it('from startup, before the view is opened, shows the server and its Pending count in the status bar and on the badge', async () => {
    const pending = await countOnServer('Pending');
    const item = page.locator('[id="workbench.parts.statusbar"] .statusbar-item', { hasText: ` · ${pending} pending` }).first();
    await item.waitFor({ timeout: 30_000 });
    assert.equal((await item.innerText()).trim(), `${new URL(sim.url).host} · ${pending} pending`);
    const badge = page.locator('.activitybar .action-item', { has: page.locator('a[aria-label^="MIM CM"]') }).locator('.badge-content');
    assert.equal(Number(await badge.innerText()), pending);
    assert.equal(await sidebar().locator('.monaco-list-row', { hasText: 'Pending' }).count(), 0, 'the view itself was never opened');
    await item.click();
    // The menu draws its rows after the click returns: read them once the last one is there.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Log' }).first().waitFor();
    const choices = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
    assert.deepEqual(
      choices.map((choice) => choice.trim()),
      ['Refresh', 'Open Request by GUID...', 'Open Dashboard', 'Open Settings', 'Show Log'],
      'no Sign In or Sign Out without a sign-in method',
    );
    await page.keyboard.press('Escape');
  });

  it('opens the MIM CM view from the activity bar and shows every status with its count', async () => {
    await page.locator('.activitybar .action-item', { has: page.locator('a[aria-label^="MIM CM"]') }).click();
    await row('Pending').waitFor({ timeout: 30_000 });
    for (const status of STATUSES) {
      const description = await row(status).locator('.label-description').innerText();
      assert.equal(Number(description), await countOnServer(status), status);
    }
    await sidebar()
      .getByText(`${new URL(sim.url).host} · updated`)
      .waitFor();
    const badge = page.locator('.activitybar .action-item', { has: page.locator('a[aria-label^="MIM CM"]') }).locator('.badge-content');
    assert.equal(Number(await badge.innerText()), await countOnServer('Pending'), 'the Pending count on the activity-bar icon');
  });

  it("expands a group and opens a request's JSON by clicking it", async () => {
    await row('Approved').click();
    const request = row('a9b4b42c');
    await request.scrollIntoViewIfNeeded();
    await request.click();
    await page.locator('.tabs-container .tab.active', { hasText: 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099.json' }).waitFor();
    // The tab can show before Monaco has painted the lines.
    await page.locator('.editor-instance .view-lines', { hasText: 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099' }).first().waitFor();
    const text = await editorText();
    assert.match(text, /"Uuid": "a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099"/);
    assert.match(text, /"RequestType": 1/);
    // Wait for JSON colouring, so the screenshot shows what a user sees once the editor settles.
    await page.locator('.editor-instance .view-lines span[class*="mtk"]:not(.mtk1)').first().waitFor();
    // Monaco writes spaces as no-break spaces, which \s matches.
    await page
      .locator('.editor-instance .view-line', { hasText: /"Status":\s3\s*Approved,/ })
      .first()
      .waitFor();
    await page.mouse.move(900, 600);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'requests-and-json.png') });
    await request.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Security descriptor' }).first();
    await hover.waitFor();
    const hoverText = await hover.innerText();
    assert.match(hoverText, /Approved \(3\)/);
    assert.match(hoverText, /not completed/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'request-tooltip.png') });
    await page.mouse.move(900, 600);
  });

  it('does not let the user edit the request JSON', async () => {
    const before = await editorText();
    await page.locator('.editor-instance .view-lines').first().click();
    await page.keyboard.type('x');
    await page.locator('.monaco-editor-overlaymessage', { hasText: 'Cannot edit in read-only editor' }).waitFor();
    assert.equal(await editorText(), before);
  });

  it('opens a request from the palette given a braced, upper-case GUID', async () => {
    await runCommand('MIM CM: Open Request by GUID...');
    const input = page.locator('.quick-input-widget input');
    await input.fill('{0C96D73F-967B-420E-854A-43AD2A1504BC}');
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab.active', { hasText: '0c96d73f-967b-420e-854a-43ad2a1504bc.json' }).waitFor();
    assert.equal(await activeTabTitle(), '0c96d73f-967b-420e-854a-43ad2a1504bc.json');
  });

  it('refuses an invalid GUID in the input box and keeps the box open', async () => {
    await runCommand('MIM CM: Open Request by GUID...');
    const input = page.locator('.quick-input-widget input');
    await input.fill('not-a-guid');
    const message = page.locator('.quick-input-widget .quick-input-message');
    await message.filter({ hasText: 'is not a GUID' }).waitFor();
    await page.keyboard.press('Enter');
    assert.ok(await input.isVisible(), 'the box stays open');
    await page.keyboard.press('Escape');
  });

  it('says so when the server has no such request (204)', async () => {
    await runCommand('MIM CM: Open Request by GUID...');
    await page.locator('.quick-input-widget input').fill('00000000-1111-2222-3333-444444444444');
    await page.keyboard.press('Enter');
    await page.locator('.notification-toast', { hasText: 'No request 00000000-1111-2222-3333-444444444444 on 127.0.0.1' }).waitFor();
  });

  it('filters the requests from the view title and clears the filter again', async () => {
    await runCommand('Notifications: Clear All Notifications');
    await sidebar().locator('a.action-label[aria-label="Filter Requests..."]').filter({ visible: true }).first().click();
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('8f1590dc');
    await page.keyboard.press('Enter');
    const message = sidebar().getByText('Showing requests matching "8f1590dc".');
    await message.waitFor();
    await row('Pending')
      .locator('.label-description', { hasText: /^\d+ of 48$/ })
      .waitFor();
    await row('Pending').click();
    await row('Enroll').waitFor();
    await page.mouse.move(900, 600);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'filter.png') });
    await row('Pending').click();
    await sidebar().locator('a.action-label[aria-label="Clear Filter"]').filter({ visible: true }).first().click();
    await row('Pending').locator('.label-description', { hasText: /^48$/ }).waitFor();
    await message.waitFor({ state: 'detached' });
  });

  it('shows an explained error node on 403, and Refresh recovers', async () => {
    await stageFault('403');
    await refreshButton().click();
    const error = row('Access refused (HTTP 403)');
    await error.waitFor();
    assert.ok(await row('Show Log').isVisible());
    await page.screenshot({ path: path.join(SCREENSHOTS, 'error-403.png') });
    await stageFault('none');
    await refreshButton().click();
    await error.waitFor({ state: 'detached' });
    await row('Pending').waitFor();
  });

  it('signs in with a user name and password kept only in secret storage, and signs out', async () => {
    const password = 'S3cret-e2e-Pa55!';
    const response = await fetch(`${sim.url}/__simulator/auth`, {
      method: 'POST',
      body: JSON.stringify({ basic: { username: 'CONTOSO\\jdoe', password } }),
    });
    assert.equal(response.status, 200);
    await refreshButton().click();
    await row('Sign-in required (HTTP 401)').waitFor();
    const basic = page.locator('.quick-input-list .monaco-list-row', { hasText: 'User name and password (Basic)' });
    await clickUntilShown(rowNamed('Sign In'), basic);
    await basic.click();
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-widget', { hasText: '(1/2)' }).waitFor();
    await input.fill('CONTOSO\\jdoe');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sign-in.png') });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: '(2/2)' }).waitFor();
    assert.equal(await input.getAttribute('type'), 'password');
    await input.fill(password);
    await page.keyboard.press('Enter');
    await row('Pending').waitFor();
    await row('Sign-in required').waitFor({ state: 'detached' });

    // The search must cover where the extension's log lands, or it would prove nothing. VS Code's log
    // writer flushes on its own thread, so wait for the line rather than read the files once.
    await eventually(
      () => findInFiles(profile.dir, 'authentication: basic as CONTOSO').length > 0,
      () => `the MIM CM log is inside the searched profile; log files there: ${findFiles(profile.dir, /\.log$/).join(', ') || 'none'}`,
    );
    const leaks = findInFiles(profile.dir, password);
    assert.deepEqual(leaks, [], 'the password is in no file of the VS Code profile (settings, logs, state)');

    // The sign-in is an account in VS Code's Accounts menu, and signing out there forgets it.
    await page.locator('.activitybar .action-item', { has: page.locator('a[aria-label^="Accounts"]') }).click();
    const account = page.locator('.monaco-menu .action-label', { hasText: `CONTOSO\\jdoe (${new URL(sim.url).host})` });
    await account.waitFor();
    await account.hover();
    await chooseMenuItem(page, page.locator('.monaco-menu .action-label', { hasText: /^Sign Out$/ }).last());
    const confirm = page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Sign Out' });
    await confirm.click({ timeout: 5_000 }).catch(() => undefined);
    await rowNamed('Sign In').waitFor();
  });

  it('when signed out, opening a request offers Sign In rather than a retry', async () => {
    await runCommand('MIM CM: Open Request by GUID...');
    await page.locator('.quick-input-widget input').fill('a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099');
    await page.keyboard.press('Enter');
    const toast = page.locator('.notification-toast', { hasText: 'The CM server asks you to sign in (HTTP 401)' });
    await toast.waitFor();
    assert.ok(await toast.getByRole('button', { name: 'Sign In' }).isVisible());
    await fetch(`${sim.url}/__simulator/auth`, { method: 'POST', body: '{}' });
    await runCommand('Notifications: Clear All Notifications');
  });

  it("shows a README for users with working images in the installed extension's Details tab", async () => {
    await runCommand('View: Show Extensions');
    const entry = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'MIM CM Requests' }).first();
    await entry.waitFor();
    await entry.click();
    const details = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await details.locator('h2', { hasText: 'Install' }).first().waitFor({ timeout: 30_000 });
    const text = await details.locator('body').innerText();
    assert.doesNotMatch(text, /npm ci|npm test|Quick start \(from source\)/, 'developer material stays in CONTRIBUTING.md');
    assert.match(text, /Privacy/);
    const images = details.locator('img');
    assert.ok((await images.count()) >= 3);
    const broken = await images.evaluateAll((all) =>
      all.filter((image) => !image.complete || image.naturalWidth === 0).map((image) => image.getAttribute('src')),
    );
    assert.deepEqual(broken, [], 'every image of the README loads');
  });

  it('offers a Get Started walkthrough whose steps run their commands and show their images', async () => {
    await runCommand('Welcome: Open Walkthrough...');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get Started with MIM CM Requests' }).first().click();
    const walkthrough = page.locator('.gettingStartedContainer');
    for (const title of ['Point it at your CM server', 'Sign in', 'Open a request by its GUID', 'Find requests with the filter']) {
      await walkthrough.locator('.getting-started-step', { hasText: title }).first().waitFor();
    }
    await walkthrough.locator('.getting-started-step', { hasText: 'Open a request by its GUID' }).first().click();
    const image = walkthrough.locator('.getting-started-media img').first();
    await image.waitFor();
    await page.waitForFunction((element) => element.complete && element.naturalWidth > 0, await image.elementHandle());
    await walkthrough.getByRole('button', { name: 'Open Request by GUID' }).click();
    await page.locator('.quick-input-widget', { hasText: 'GUID' }).waitFor();
    await page.keyboard.press('Escape');
  });
});

/** Waits up to 20 s for `condition()` to hold, checking every 250 ms; fails with `describeFailure()` otherwise. */
async function eventually(condition, describeFailure) {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) {
      assert.fail(describeFailure());
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Files under `dir` whose bytes contain `text`. */
function findInFiles(dir, text) {
  return findFiles(dir, /./).filter((file) => readFileSync(file).includes(text));
}

/** Files under `dir` whose path matches `pattern`. */
function findFiles(dir, pattern) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
    .filter((file) => pattern.test(file));
}

// Browser end-to-end: what real networks do to a user, and what the extension must never do back.
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { startNtlmLab } from '../../scripts/lib/authLab.mjs';
import { startSimulator } from '../../scripts/lib/simulator.mjs';
import { SCREENSHOTS, clickUntilShown, openWorkbench, viewOf } from './workbench.mjs';

const API = '/CertificateManagement/api/v1.0';

/** Waits up to `ms` for `condition()` to hold; fails with `describe()` otherwise. */
async function eventually(condition, describe, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      assert.fail(describe());
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('a wrong Windows password never locks the account (NTLM, real gss-ntlmssp behind Apache)', function () {
  this.timeout(180_000);
  let sim;
  let lab;
  let workbench;
  let page;

  before(async function () {
    this.timeout(300_000);
    sim = await startSimulator({ count: 60, seed: 3 });
    lab = await startNtlmLab({ backendUrl: sim.url });
    workbench = await openWorkbench({
      settings: { 'mimcm.host': lab.url, 'mimcm.authentication': 'ntlm', 'mimcm.autoRefreshSeconds': 10 },
    });
    page = workbench.page;
  });
  after(async () => {
    await workbench?.close();
    await lab?.stop();
    await sim?.stop();
  });

  it('sign-in, a Refresh and auto-refresh ticks send the rejected password once per user action', async () => {
    const view = viewOf(page);
    await view.openView();
    const input = page.locator('.quick-input-widget input');
    await clickUntilShown(view.rowNamed('Sign In'), page.locator('.quick-input-widget', { hasText: '(1/2)' }));
    await input.fill('MIMCM\\bob');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: '(2/2)' }).waitFor();
    await input.fill('Not-Bobs-Pa55');
    await page.keyboard.press('Enter');
    await view.row('Sign-in required (HTTP 401)').waitFor({ timeout: 30_000 });
    await eventually(
      () => lab.attempts().ntlmAuthenticate === 1,
      () => `after sign-in: ${lab.attempts().ntlmAuthenticate} NTLM AUTHENTICATE messages, expected 1`,
    );

    await view.refresh();
    await eventually(
      () => lab.attempts().ntlmAuthenticate === 2,
      () => `after one Refresh: ${lab.attempts().ntlmAuthenticate} NTLM AUTHENTICATE messages, expected 2`,
    );
    // Two auto-refresh periods (10 s) with the window focused and the view showing: nothing more is sent.
    await new Promise((resolve) => setTimeout(resolve, 22_000));
    assert.equal(lab.attempts().ntlmAuthenticate, 2, 'auto-refresh sent the rejected password');
    assert.ok(await view.row('Sign-in required (HTTP 401)').isVisible(), 'the sign-in node stays');

    await clickUntilShown(view.rowNamed('Sign In'), page.locator('.quick-input-widget', { hasText: '(1/2)' }));
    await input.fill('MIMCM\\bob');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: '(2/2)' }).waitFor();
    await input.fill(lab.password);
    await page.keyboard.press('Enter');
    await view.row('Pending').waitFor({ timeout: 30_000 });
  });
});

describe('an open request tab when a refresh fails, and a server that needs no sign-in', function () {
  this.timeout(120_000);
  let sim;
  let workbench;
  let page;

  before(async function () {
    this.timeout(300_000);
    sim = await startSimulator({ count: 60, seed: 3 });
    workbench = await openWorkbench({ settings: { 'mimcm.host': sim.url } });
    page = workbench.page;
  });
  after(async () => {
    await workbench?.close();
    await sim?.stop();
  });

  it('keeps the last good JSON and says above it when and why it is not newer, without an extension error', async () => {
    const view = viewOf(page);
    await view.openView();
    await view.row('Approved').click();
    await view.row('a9b4b42c').click();
    await page.locator('.editor-instance .view-lines', { hasText: 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099' }).first().waitFor();
    const response = await fetch(`${sim.url}/__simulator/fault`, { method: 'POST', body: JSON.stringify({ mode: '500' }) });
    assert.equal(response.status, 200);
    await view.refresh();
    const lens = page.locator('.codelens-decoration', { hasText: 'Not updated' });
    await lens.waitFor({ timeout: 30_000 });
    assert.match(await lens.innerText(), /CM server error \(HTTP 500\); showing the copy loaded/);
    assert.ok(
      await page.locator('.editor-instance .view-lines', { hasText: 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099' }).first().isVisible(),
      'the last good JSON stays',
    );
    assert.equal(
      await page.locator('.notification-toast', { hasText: /uncaught|Error running/i }).count(),
      0,
      'no extension error is reported',
    );
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.mouse.move(900, 600);
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'stale-tab.png') });

    await fetch(`${sim.url}/__simulator/fault`, { method: 'POST', body: JSON.stringify({ mode: 'none' }) });
    await page.locator('.codelens-decoration', { hasText: 'Retry' }).locator('a', { hasText: 'Retry' }).click();
    await lens.waitFor({ state: 'detached', timeout: 30_000 });
    assert.equal((await fetch(`${sim.url}${API}/requests/a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099`)).status, 200);
  });

  it('with authentication "none", the view offers no Sign Out', async () => {
    const view = viewOf(page);
    await view.sidebar().locator('a.action-label[aria-label="Views and More Actions..."]').filter({ visible: true }).first().click();
    const menu = page.locator('.monaco-menu');
    await menu.locator('.action-label', { hasText: 'Show Log' }).waitFor();
    assert.equal(await menu.locator('.action-label', { hasText: 'Sign Out' }).count(), 0);
    assert.ok(await menu.locator('.action-label', { hasText: 'Sign In...' }).isVisible(), 'Sign In stays, to set a method up');
    await page.keyboard.press('Escape');
  });
});

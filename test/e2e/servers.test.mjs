// Browser end-to-end: several CM servers side by side, one of them failing, as a user sees them.
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { startSimulator } from '../../scripts/lib/simulator.mjs';
import { openWorkbench, SCREENSHOTS, viewOf } from './workbench.mjs';

const API = '/CertificateManagement/api/v1.0';

describe('several CM servers side by side', function () {
  this.timeout(120_000);
  let production;
  let lab;
  let workbench;
  let page;

  const row = (label) => viewOf(page).rowNamed(label);
  const pendingOn = async (sim) => {
    const response = await fetch(`${sim.url}${API}/requests?status=Pending`);
    return response.status === 204 ? 0 : (await response.json()).length;
  };

  before(async function () {
    this.timeout(300_000);
    mkdirSync(SCREENSHOTS, { recursive: true });
    production = await startSimulator({ count: 300, seed: 1 });
    lab = await startSimulator({ count: 40, seed: 5 });
    await fetch(`${lab.url}/__simulator/fault`, { method: 'POST', body: JSON.stringify({ mode: '500' }) });
    workbench = await openWorkbench({
      settings: {
        'mimcm.servers': [
          { name: 'Production', host: production.url },
          { name: 'Lab', host: lab.url },
        ],
        'workbench.colorTheme': 'Default Light Modern',
      },
    });
    page = workbench.page;
  });
  after(async () => {
    await workbench?.close();
    await production?.stop();
    await lab?.stop();
  });

  it('lists each server with its state; the failing one explains itself and the other loads as usual', async () => {
    await viewOf(page).openView();
    await row('Production')
      .locator('.label-description', { hasText: /^\d+ pending · / })
      .waitFor({ timeout: 30_000 });
    await row('Lab').locator('.label-description', { hasText: 'CM server error (HTTP 500)' }).waitFor({ timeout: 30_000 });
    const expected = await pendingOn(production);
    await row('Pending')
      .locator('.label-description', { hasText: new RegExp(`^${expected}$`) })
      .waitFor();
    assert.ok(await row('Show Log').isVisible(), 'the Lab server offers its way out');
    const badge = page.locator('.activitybar .action-item', { has: page.locator('a[aria-label^="MIM CM"]') }).locator('.badge-content');
    assert.equal(Number(await badge.innerText()), expected, 'the badge counts Pending on the servers that loaded');
    // The activity bar's hover (from the click that opened the view) must be gone before the picture.
    await page.mouse.move(900, 600);
    await page
      .locator('.workbench-hover, .monaco-hover')
      .filter({ visible: true })
      .first()
      .waitFor({ state: 'hidden' })
      .catch(() => undefined);
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'servers.png') });
  });

  it('Open Request by GUID asks which server, and can look on all of them', async () => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.fill('>MIM CM: Open Request by GUID...');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Open Request by GUID' }).first().waitFor();
    await page.keyboard.press('Enter');
    await input.fill('a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'All servers' }).click();
    await page
      .locator('.tabs-container .tab.active', { hasText: 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099.json' })
      .waitFor({ timeout: 30_000 });
  });
});

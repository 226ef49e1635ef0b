// Workspace trust: a cloned folder's .vscode/settings.json must not redirect the extension (and the user's
// credentials) to another server while the folder is untrusted.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import * as path from 'node:path';
import { startSimulator } from '../../scripts/lib/simulator.mjs';
import { openWorkbench } from './workbench.mjs';

describe('MIM CM Requests in an untrusted workspace', function () {
  this.timeout(120_000);
  let sim;
  let trap;
  const trapped = [];
  let workbench;
  let page;

  before(async function () {
    this.timeout(300_000);
    sim = await startSimulator({ count: 40, seed: 4 });
    // The server a malicious repository would like the extension to talk to.
    trap = createServer((req, res) => {
      trapped.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.writeHead(401, { 'www-authenticate': 'Basic realm="trap"' });
      res.end();
    });
    await new Promise((resolve) => trap.listen(0, '127.0.0.1', resolve));
    const trapUrl = `http://127.0.0.1:${trap.address().port}`;
    workbench = await openWorkbench({
      settings: { 'mimcm.host': sim.url, 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' },
      trustWorkspaces: true,
      prepareWorkspace: (folder) => {
        mkdirSync(path.join(folder, '.vscode'));
        writeFileSync(
          path.join(folder, '.vscode', 'settings.json'),
          JSON.stringify({ 'mimcm.host': trapUrl, 'mimcm.apiPath': '/evil', 'mimcm.authentication': 'basic' }),
        );
      },
    });
    page = workbench.page;
  });

  after(async () => {
    await workbench?.close();
    await sim?.stop();
    await new Promise((resolve) => (trap ? trap.close(resolve) : resolve()));
  });

  it("keeps using the user's host and never calls the one the folder names", async () => {
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
    await page.locator('.activitybar .action-item', { has: page.locator('a[aria-label^="MIM CM"]') }).click();
    const sidebar = page.locator('[id="workbench.parts.sidebar"]');
    await sidebar.locator('.monaco-list-row', { hasText: 'Approved' }).first().waitFor({ timeout: 30_000 });
    const approved = await sidebar.locator('.monaco-list-row', { hasText: 'Approved' }).first().locator('.label-description').innerText();
    const served = await (await fetch(`${sim.url}/CertificateManagement/api/v1.0/requests?status=Approved`)).json();
    assert.equal(Number(approved), served.length);
    assert.deepEqual(trapped, []);
  });
});

// Browser end-to-end: the request inspector as an administrator uses it in VS Code (code-server): rows that say
// what and how old, linked objects one click away, why a request is pending, watching one, and a guarded cancel.
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { startSimulator } from '../../scripts/lib/simulator.mjs';
import { chooseMenuEntry, clickUntilShown, openWorkbench, runCommand as runPaletteCommand, SCREENSHOTS, viewOf } from './workbench.mjs';

const API = '/CertificateManagement/api/v1.0';
const TEMPLATE = 'a039b4d0-5ce8-4eff-8651-181c6576fda3';

describe('the request inspector, as an administrator uses it', function () {
  this.timeout(150_000);
  let sim;
  let workbench;
  let page;

  const view = () => viewOf(page);
  const records = async (status) => {
    const response = await fetch(`${sim.url}${API}/requests?status=${status}`);
    return response.status === 204 ? [] : response.json();
  };
  const runCommand = (title) => runPaletteCommand(page, title);
  const contextMenu = async (row, item) => {
    await clickUntilShown(row, page.locator('.monaco-menu .action-label', { hasText: item }), 3, { button: 'right' });
    await chooseMenuEntry(page, item);
  };
  // Monaco writes spaces as no-break spaces and wraps long lines: compare with whitespace collapsed.
  const editorText = async () => (await page.locator('.editor-instance .view-lines').first().innerText()).replace(/\s+/g, ' ');

  before(async function () {
    this.timeout(300_000);
    mkdirSync(SCREENSHOTS, { recursive: true });
    sim = await startSimulator({ count: 300, seed: 1 });
    workbench = await openWorkbench({
      settings: { 'mimcm.host': sim.url, 'mimcm.enableRequestActions': true, 'workbench.colorTheme': 'Default Light Modern' },
    });
    ({ page } = workbench);
    await view().openView();
    await view().row('Pending').waitFor({ timeout: 30_000 });
  });

  after(async () => {
    await workbench?.close();
    await sim?.stop();
  });

  it('labels rows with type and template name, shows their age, and warns on requests waiting too long', async () => {
    await view().row('Pending').click();
    const pending = (await records('Pending')).filter((record) => record.ProfileTemplateUuid === TEMPLATE);
    const row = view().row(pending[0].Uuid.slice(0, 8));
    await row.waitFor();
    assert.match(await row.locator('.label-name').innerText(), /^\w+ · Contoso Virtual Smart Card$/);
    assert.match(await row.locator('.label-description').innerText(), /^waiting \d+ (d|mo) · [0-9a-f]{8}$/);
    assert.equal(await row.locator('.codicon-warning').count(), 1, 'a warning icon on a request waiting past mimcm.agingWarningDays');
    // Widen the sidebar as a user would (dragging its edge), so labels and ages show whole.
    const edge = (await view().sidebar().boundingBox()).x + (await view().sidebar().boundingBox()).width;
    for (const sash of await page.locator('.monaco-sash.vertical').all()) {
      const box = await sash.boundingBox();
      if (box !== null && Math.abs(box.x + box.width / 2 - edge) < 6 && box.height > 200) {
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.mouse.down();
        await page.mouse.move(box.x + 300, box.y + box.height / 2, { steps: 8 });
        await page.mouse.up();
        break;
      }
    }
    await row.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Approvals needed' }).first();
    await hover.waitFor();
    assert.match(await hover.innerText(), /Approvals given/);
    await page.mouse.move(900, 700);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'aging-rows.png') });
  });

  it('explains why a request is pending, from its context menu', async () => {
    const [pending] = (await records('Pending')).filter((record) => record.ProfileTemplateUuid === TEMPLATE);
    await contextMenu(view().row(pending.Uuid.slice(0, 8)), 'Why Is This Pending?');
    await page.locator('.tabs-container .tab.active', { hasText: 'why-pending.md' }).waitFor();
    await page.locator('.editor-instance .view-lines', { hasText: 'Approvals needed' }).first().waitFor();
    const text = await editorText();
    assert.match(text, new RegExp(`# Why is request ${pending.Uuid.slice(0, 8)} pending\\?`));
    assert.match(text, /not available through the CM REST API/);
    await page.mouse.move(900, 700);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'why-pending.png') });
  });

  it("follows the template link in a request's JSON to the template and its workflow policy", async () => {
    await runCommand('MIM CM: Open Request by GUID...');
    await page.locator('.quick-input-widget input').fill('0c96d73f-967b-420e-854a-43ad2a1504bc');
    await page.keyboard.press('Enter');
    const guid = page.locator('.editor-instance .view-line span', { hasText: TEMPLATE }).first();
    await guid.waitFor();
    await page.locator('.editor-instance .view-line', { hasText: 'Contoso Virtual Smart Card' }).first().waitFor();
    await guid.click({ modifiers: ['Control'] });
    await page.locator('.tabs-container .tab.active', { hasText: `${TEMPLATE}.json` }).waitFor();
    await page.locator('.editor-instance .view-lines', { hasText: 'WorkflowPolicy (Unblock)' }).first().waitFor();
    assert.match(await editorText(), /"Name": "Contoso Virtual Smart Card"/);
    await page.mouse.move(900, 700);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'linked-template.png') });
  });

  it('cancels a pending request only after a confirmation that names it, its server and its status', async () => {
    const [pending] = await records('Pending');
    await view().row('Pending').scrollIntoViewIfNeeded();
    await contextMenu(view().row(pending.Uuid.slice(0, 8)), 'Cancel Request...');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    const said = await dialog.innerText();
    assert.match(said, new RegExp(`Cancel Request: ${pending.Uuid}`));
    assert.match(said, /It is Pending on 127\.0\.0\.1:\d+\. It will become Canceled\. This cannot be undone/);
    await dialog.locator('.monaco-button', { hasText: 'Cancel Request' }).click();
    await page.locator('.notification-toast', { hasText: `Request ${pending.Uuid.slice(0, 8)} on 127.0.0.1` }).waitFor();
    const after = await (await fetch(`${sim.url}${API}/requests/${pending.Uuid}`)).json();
    assert.equal(after.Status, 17, 'Canceled on the server');
  });

  it('watches a request: it shows under Watched, and a status change on the server is announced', async function () {
    this.timeout(120_000);
    const [approved] = (await records('Approved')).filter((record) => record.Uuid !== 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099');
    await view().sidebar().locator('a.action-label[aria-label="Collapse All"]').filter({ visible: true }).first().click();
    await view().row('Approved').click();
    await contextMenu(view().row(approved.Uuid.slice(0, 8)), 'Watch Request');
    // The Watched group comes first, above the groups (which may be scrolled past): collapse them to see it.
    await view().sidebar().locator('a.action-label[aria-label="Collapse All"]').filter({ visible: true }).first().click();
    await view().row('Watched').waitFor();
    await fetch(`${sim.url}/__simulator/requests/${approved.Uuid}`, { method: 'PATCH', body: JSON.stringify({ Status: 18 }) });
    // Polled every 30 s while the window has focus.
    await page
      .locator('.notification-toast', { hasText: `Request ${approved.Uuid.slice(0, 8)}` })
      .filter({ hasText: 'Approved → Executing' })
      .waitFor({ timeout: 75_000 });
  });
});

// Browser end-to-end: the dashboard, export and compare as an administrator uses them in VS Code (code-server).
// The figures the webview shows are checked against the simulator's own records, read over HTTP.
import * as assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startSimulator } from '../../scripts/lib/simulator.mjs';
import { chooseMenuEntry, clickUntilShown, openWorkbench, runCommand as runPaletteCommand, SCREENSHOTS, viewOf } from './workbench.mjs';

const API = '/CertificateManagement/api/v1.0';
const TEMPLATE = 'a039b4d0-5ce8-4eff-8651-181c6576fda3';
const STATUSES = { 16: 'Pending', 3: 'Approved', 18: 'Executing', 8: 'Completed', 9: 'Failed', 4: 'Denied', 17: 'Canceled', 0: 'None' };
const DAY = 24 * 60 * 60 * 1000;

describe('the dashboard, export and compare, as an administrator uses them', function () {
  this.timeout(150_000);
  let sim;
  let workbench;
  let page;
  let all;

  const view = () => viewOf(page);
  const runCommand = (title) => runPaletteCommand(page, title);
  // A webview is an iframe holding the page's own iframe.
  const dashboard = () => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  const figure = async (key) => (await dashboard().locator(`[data-figure="${key}"] .value`).innerText()).trim();
  const drawn = async (previous = '0') => {
    await dashboard().locator(`body:not([data-drawn="0"]):not([data-drawn="${previous}"])`).waitFor({ state: 'attached', timeout: 30_000 });
    return dashboard().locator('body').getAttribute('data-drawn');
  };
  const count = (predicate) => all.filter(predicate).length;

  before(async function () {
    this.timeout(300_000);
    mkdirSync(SCREENSHOTS, { recursive: true });
    sim = await startSimulator({ count: 400, seed: 3 });
    all = [];
    for (const status of Object.values(STATUSES)) {
      const response = await fetch(`${sim.url}${API}/requests?status=${status}`);
      all.push(...(response.status === 204 ? [] : await response.json()));
    }
    workbench = await openWorkbench({ settings: { 'mimcm.host': sim.url, 'workbench.colorTheme': 'Default Light Modern' } });
    ({ page } = workbench);
    await view().openView();
    await view().row('Pending').waitFor({ timeout: 30_000 });
  });

  after(async () => {
    await workbench?.close();
    await sim?.stop();
  });

  it('shows the headline figures the simulator holds', async () => {
    await runCommand('MIM CM: Open Dashboard');
    await drawn();
    const open = count((record) => [16, 3, 18].includes(record.Status));
    assert.equal(await figure('open'), open.toLocaleString('en-US'));
    assert.equal(await figure('total'), all.length.toLocaleString('en-US'));
    const completed = count((record) => record.Status === 8);
    const failed = count((record) => record.Status === 9);
    assert.equal(await figure('failureRate'), `${((failed / (completed + failed)) * 100).toFixed(1)} %`);
    const now = Date.now();
    const completedWithin = (days) =>
      count((record) => record.Status === 8 && now - Date.parse(`${record.Completed.replace(/Z?$/, '')}Z`) <= days * DAY);
    assert.equal(await figure('completed30'), completedWithin(30).toLocaleString('en-US'));
    assert.equal(await figure('completed7'), completedWithin(7).toLocaleString('en-US'));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-light.png') });
  });

  it('counts each status, type and template in the pivot, and a click on a count filters the tree to those requests', async () => {
    const expected = count((record) => record.Status === 16 && record.RequestType === 1 && record.ProfileTemplateUuid === TEMPLATE);
    assert.ok(expected > 0, 'the seeded data has pending enrollments for the virtual smart card template');
    const cell = dashboard().locator(`button.cell[data-status="Pending"][data-type="Enroll"][data-template="${TEMPLATE}"]`);
    assert.equal(await cell.innerText(), String(expected));
    const before = await dashboard().locator('body').getAttribute('data-drawn');
    await cell.click();
    await view().row(`Pending`).waitFor();
    const pendingGroup = view().rowNamed('Pending');
    await page.waitForFunction(
      ([label, text]) =>
        [...document.querySelectorAll('[id="workbench.parts.sidebar"] .monaco-list-row')].some(
          (row) => row.querySelector('.label-name')?.textContent === label && row.textContent?.includes(text),
        ),
      ['Pending', `${expected} of`],
    );
    assert.ok(await pendingGroup.isVisible());
    // The dashboard follows the filter: its figures are now those of the cell.
    await drawn(before);
    assert.equal(await figure('total'), String(expected));
    assert.match(await dashboard().locator('[data-figure="filter"]').innerText(), /status:pending type:enroll template:a039b4d0/);
    await dashboard().locator('[data-key="clear-filter"]').click();
    await dashboard().locator('[data-figure="filter"]').waitFor({ state: 'detached' });
    assert.equal(await figure('total'), all.length.toLocaleString('en-US'));
  });

  it('sorts the pivot by a column from the keyboard, and reads each chart as a table', async () => {
    const sortButton = dashboard().locator('[data-key="sort-template"]');
    await sortButton.focus();
    await page.keyboard.press('Enter');
    await dashboard().locator('th[aria-sort="ascending"] [data-key="sort-template"]').waitFor();
    const templates = await dashboard().locator('table.pivot tbody th').allInnerTexts();
    assert.deepEqual(
      templates,
      [...templates].sort((a, b) => a.localeCompare(b)),
    );
    assert.ok(
      await dashboard()
        .locator('[data-key="sort-template"]')
        .evaluate((element) => element === document.activeElement),
    );

    const summary = dashboard().locator('details[data-key="table-aging"] summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    const rows = dashboard().locator('table[data-table="aging"] tbody tr');
    await rows.first().waitFor();
    const totals = await dashboard().locator('table[data-table="aging"] tbody td.total').allInnerTexts();
    assert.equal(
      totals.reduce((sum, total) => sum + Number(total.replace(/\D/g, '')), 0),
      count((record) => [16, 3, 18].includes(record.Status)),
      'the aging table counts every open request once',
    );
  });

  it('keeps its range after the window reloads', async () => {
    const before = await dashboard().locator('body').getAttribute('data-drawn');
    await dashboard().locator('select#range').selectOption('0');
    await drawn(before);
    // The table is built when first opened.
    await dashboard().locator('details[data-key="table-submissions"] summary').click();
    await dashboard().locator('table[data-table="submissions"] tbody tr').first().waitFor();
    const weeks = await dashboard().locator('table[data-table="submissions"] tbody tr').count();
    const oldest = Math.min(...all.map((record) => Date.parse(`${record.Submitted.replace(/Z?$/, '')}Z`)));
    const buckets = Math.ceil((Date.now() - oldest) / DAY);
    assert.ok(weeks >= Math.floor(buckets / 7) && weeks <= buckets + 1, `${weeks} rows cover every request since the oldest`);
    await runCommand('Developer: Reload Window');
    await page.locator('.activitybar').waitFor({ timeout: 60_000 });
    await drawn();
    assert.equal(await dashboard().locator('select#range').inputValue(), '0');
  });

  it('exports the pivot and the shown requests to files that read back', async () => {
    await dashboard().locator('[data-key="export-pivot"]').click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Pivot as CSV' }).first().click();
    // The save dialog offers a file in the workspace folder: accepted as it is.
    await page.waitForFunction(() => document.querySelector('.quick-input-widget input')?.value.endsWith('.csv'));
    await page.keyboard.press('Enter');
    const pivotFile = await waitForFile(workbench.profile.workspace, /^mimcm-pivot-.*\.csv$/);
    const lines = readFileSync(pivotFile, 'utf8').trimEnd().split('\r\n');
    assert.equal(lines[0], 'Status,Type,Template,Template GUID,Requests');
    const sum = lines.slice(1).reduce((total, line) => total + Number(line.split(',').at(-1)), 0);
    assert.equal(sum, all.length, 'the pivot counts every loaded request once');

    await runCommand('MIM CM: Export Requests...');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Export Requests' }).waitFor();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Requests as JSON' }).first().click();
    await page.waitForFunction(() => document.querySelector('.quick-input-widget input')?.value.endsWith('.json'));
    await page.keyboard.press('Enter');
    const requestsFile = await waitForFile(workbench.profile.workspace, /^mimcm-requests-.*\.json$/);
    const exported = JSON.parse(readFileSync(requestsFile, 'utf8'));
    assert.equal(exported.length, all.length);
    assert.deepEqual(new Set(exported.map((row) => row.Request)), new Set(all.map((record) => record.Uuid.toLowerCase())));
  });

  it('compares two selected requests in a diff editor', async () => {
    const [first, second] = all.filter((record) => record.Status === 8).map((record) => record.Uuid.slice(0, 8));
    await runCommand('MIM CM: Filter Requests...');
    await page.locator('.quick-input-widget input').fill(`${first} OR ${second}`);
    await page.keyboard.press('Enter');
    await view().rowNamed('Completed').click();
    await view().row(first).waitFor();
    await view().row(first).click();
    // The click opens that request's tab, which takes focus when it comes: a menu opened before would close.
    await page.locator('.tabs-container .tab.active', { hasText: first }).waitFor();
    await view()
      .row(second)
      .click({ modifiers: ['Control'] });
    // The filter redraws the tree as it applies: right-click once both rows stand selected.
    await page.waitForFunction(() => document.querySelectorAll('[id="workbench.parts.sidebar"] .monaco-list-row.selected').length === 2);
    await clickUntilShown(view().row(second), page.locator('.monaco-menu .action-label', { hasText: 'Compare Requests' }), 3, {
      button: 'right',
    });
    await chooseMenuEntry(page, 'Compare Requests');
    await page.locator('.monaco-diff-editor').first().waitFor();
    const tab = await page.locator('.tabs-container .tab.active').innerText();
    assert.ok(tab.includes(first) && tab.includes(second), `the diff's tab names both requests: ${tab}`);
    await runCommand('MIM CM: Clear Filter');
  });

  it('reads well in a dark theme', async () => {
    await runCommand('View: Close All Editors');
    await runCommand('Notifications: Clear All Notifications');
    await view().sidebar().locator('a.action-label[aria-label="Collapse All"]').filter({ visible: true }).first().click();
    await runCommand('MIM CM: Open Dashboard');
    const before = await dashboard().locator('body').getAttribute('data-drawn');
    await runCommand('Preferences: Toggle between Light/Dark Themes');
    await page.locator('.monaco-workbench.vs-dark').waitFor();
    await drawn(before);
    const background = await dashboard()
      .locator('body')
      .evaluate((body) => getComputedStyle(body).backgroundColor);
    const [red, green, blue] = background.match(/\d+/g).map(Number);
    assert.ok(red + green + blue < 200, `a dark background (${background})`);
    // The lower half: open requests by age and the pivot.
    await dashboard()
      .locator('#aging-title')
      .evaluate((heading) => heading.scrollIntoView());
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-dark.png') });
  });
});

async function waitForFile(folder, pattern) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const name = readdirSync(folder).find((file) => pattern.test(file));
    if (name !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return path.join(folder, name);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no file matching ${pattern} in ${folder}`);
}

// Browser end-to-end: the extension in German, as a user with VS Code's display language set to German sees it.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../../scripts/lib/codeServer.mjs';
import { SCREENSHOTS, openWorkbench, runCommand, viewOf } from './workbench.mjs';

/**
 * A language pack that makes German selectable without translating VS Code itself (there is no network for
 * the Marketplace one): VS Code then reports `de`, and loads the extension's German strings.
 */
function germanLanguagePack() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mimcm-language-pack-'));
  cpSync(path.join(projectRoot, 'test', 'fixtures', 'language-pack-de'), dir, { recursive: true });
  const vsix = path.join(dir, 'language-pack-de.vsix');
  const vsce = path.join(projectRoot, 'node_modules', '.bin', 'vsce');
  const result = spawnSync(vsce, ['package', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: dir, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return { vsix, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('in German (VS Code display language de)', function () {
  this.timeout(180_000);
  let pack;
  let workbench;
  let page;

  before(async function () {
    this.timeout(300_000);
    pack = germanLanguagePack();
    // A host without a scheme: the engine (in its worker) explains it, so its message shows which language it got.
    workbench = await openWorkbench({
      settings: { 'mimcm.host': 'cm.contoso.com' },
      locale: 'de',
      extensions: [pack.vsix],
      // What VS Code writes when a language pack is installed from the UI (the command line skips it).
      prepareProfile: (profile) =>
        writeFileSync(
          path.join(profile.userDataDir, 'languagepacks.json'),
          JSON.stringify({
            de: {
              hash: 'mimcm-tests-de',
              label: 'Deutsch',
              extensions: [{ extensionIdentifier: { id: 'mimcm-tests.test-language-pack-de' }, version: '1.0.0' }],
              translations: {
                vscode: path.join(profile.extensionsDir, 'mimcm-tests.test-language-pack-de-1.0.0', 'translations', 'main.i18n.json'),
              },
            },
          }),
        ),
    });
    page = workbench.page;
  });
  after(async () => {
    await workbench?.close();
    pack?.remove();
  });

  it('names its view and commands in German, and explains failures in German', async () => {
    const view = viewOf(page);
    await view.openView();
    await view
      .sidebar()
      .locator('.title-label', { hasText: /Anforderungen/i })
      .waitFor({ timeout: 30_000 });
    await view.row('mimcm.host "cm.contoso.com" ist keine URL.').waitFor({ timeout: 30_000 });
    assert.ok(await view.rowNamed('Einstellungen öffnen').isVisible(), 'the recovery action is German too');
    // VS Code draws a tree item's tooltip in either hover widget, and only on a fresh mouse-over: the pointer
    // leaves the row before each try.
    const hint = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Verwenden Sie die Adresse des CM-Servers' }).first();
    for (let attempt = 1; ; attempt++) {
      await page.mouse.move(900, 700);
      await view.row('ist keine URL').hover();
      try {
        await hint.waitFor({ timeout: 10_000 });
        break;
      } catch (error) {
        if (attempt === 3) {
          throw error;
        }
      }
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, 'german.png') });
    await runCommand(page, 'MIM CM: Anforderung per GUID öffnen...');
    await page.locator('.quick-input-widget', { hasText: 'CM-Anforderung per GUID öffnen' }).waitFor();
  });
});

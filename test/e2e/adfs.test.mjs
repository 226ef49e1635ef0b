// Browser end-to-end: ADFS sign-in as a user does it, against a real OpenID Connect provider set up like ADFS.
import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { projectRoot } from '../../scripts/lib/codeServer.mjs';
import { freePort } from '../../scripts/lib/processes.mjs';
import { startSimulator } from '../../scripts/lib/simulator.mjs';
import { clickUntilShown, openWorkbench, viewOf } from './workbench.mjs';

const require = createRequire(import.meta.url);

describe('ADFS sign-in in the browser (oidc-provider configured like ADFS)', function () {
  this.timeout(180_000);
  let sim;
  let provider;
  let workbench;
  let page;

  before(async function () {
    this.timeout(300_000);
    const { startAdfsProvider } = require(path.join(projectRoot, 'out/tools/adfs-provider/provider.js'));
    sim = await startSimulator({ count: 40, seed: 8 });
    provider = await startAdfsProvider({ resource: sim.url });
    sim.simulator.setAuth({ jwt: { issuer: provider.issuer, audience: sim.url, jwksUri: provider.jwksUri } });
    const redirectPort = await freePort();
    workbench = await openWorkbench({
      settings: {
        'mimcm.host': sim.url,
        'mimcm.authentication': 'adfs',
        'mimcm.adfs.authority': provider.issuer,
        'mimcm.adfs.clientId': provider.clientId,
        'mimcm.adfs.redirectPort': redirectPort,
      },
    });
    page = workbench.page;
    // A web window reaches the loopback listener through code-server's port forwarding, at an address the admin
    // registers in ADFS for the fixed port (as the setting's description says).
    provider.allowRedirect(`${new URL(page.url()).origin}/proxy/${redirectPort}/`);
  });
  after(async () => {
    await workbench?.close();
    await provider?.stop();
    await sim?.stop();
  });

  it('signs in on the ADFS page that opens, loads the requests, and shows who is signed in', async () => {
    const view = viewOf(page);
    await view.openView();
    const popup = page.context().waitForEvent('page', { timeout: 60_000 });
    await clickUntilShown(view.rowNamed('Sign In'), page.locator('.notification-toast', { hasText: 'with ADFS in your browser' }));
    // VS Code asks before it opens an address outside its trusted domains, as it would for a user.
    const confirm = page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Open' }).first();
    await confirm.waitFor({ timeout: 30_000 });
    await confirm.click();
    const signInPage = await popup;
    await signInPage.locator('input[name="login"]').fill('jdoe');
    await signInPage.locator('input[name="password"]').fill('any password');
    await signInPage.locator('button[type="submit"]').click();
    await signInPage.locator('button[type="submit"]', { hasText: /continue/i }).click();
    await signInPage.getByText('You can close this tab and return to VS Code').waitFor({ timeout: 30_000 });

    await view.row('Pending').waitFor({ timeout: 30_000 });
    await page.locator('.statusbar-item', { hasText: 'jdoe@contoso.com' }).waitFor({ timeout: 30_000 });
    assert.ok(provider.grants.includes('authorization_code'), 'the code was exchanged for tokens');
    assert.ok(
      sim.simulator.calls.some((call) => call.includes('/requests')),
      'the CM API took the ADFS token (it accepts only tokens the provider signed for it)',
    );
  });
});

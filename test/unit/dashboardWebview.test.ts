import * as assert from 'node:assert/strict';
import { dashboardHtml } from '../../src/dashboard/dashboardHtml';
import { readDashboardMessage, readDashboardState } from '../../src/model/dashboardMessages';
import { pivotExport } from '../../src/model/requestExport';
import { numberText, pageLanguage, setPageLanguage } from '../../src/webview/dashboard/pageLanguage';

describe('the dashboard webview', () => {
  it('is served with a strict Content-Security-Policy: only its own script, by nonce, and no remote content', () => {
    const html = dashboardHtml({
      cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
      scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/dashboard.js',
      styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/dashboard.css',
      title: 'CM Dashboard: <cm & co>',
      loadingText: 'Loading…',
      l10nBundle: { 'Open requests': 'Offene "Anforderungen" </main>' },
    });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce !== undefined && nonce.length >= 16);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.equal([...html.matchAll(/<script /g)].length, 1);
    assert.match(html, new RegExp(`<script nonce="${nonce.replace(/[+/]/g, '\\$&')}" src="https://file\\+\\.vscode-resource`));
    assert.match(html, /<title>CM Dashboard: &lt;cm &amp; co&gt;<\/title>/);
    assert.match(
      html,
      /data-l10n="\{&quot;Open requests&quot;:&quot;Offene \\&quot;Anforderungen\\&quot; &lt;\/main&gt;&quot;\}"/,
      'translations travel escaped',
    );
    assert.notEqual(
      /nonce-([^']+)/.exec(dashboardHtml({ cspSource: 'x', scriptUri: 'y', styleUri: 'z', title: 't', loadingText: 'l' }))?.[1],
      nonce,
      'a new nonce per page',
    );
  });

  it("writes the page's numbers in VS Code's display language, whatever the browser's", () => {
    const html = dashboardHtml({ cspSource: 'x', scriptUri: 'y', styleUri: 'z', title: 't', loadingText: 'l', language: 'de' });
    assert.match(html, /<html lang="de">/);
    assert.match(html, /data-language="de"/);
    try {
      setPageLanguage('de');
      assert.equal(numberText(1070), '1.070');
      assert.equal(numberText(16.5, { minimumFractionDigits: 1, maximumFractionDigits: 1 }), '16,5');
      setPageLanguage('not a language!');
      assert.equal(pageLanguage(), undefined, 'a tag Intl refuses leaves the page its own language');
      assert.equal(numberText(7), (7).toLocaleString());
    } finally {
      setPageLanguage(undefined);
    }
  });

  it('acts only on messages it knows, with bounded text', () => {
    assert.deepEqual(readDashboardMessage({ kind: 'range', range: 365 }), { kind: 'range', range: 365 });
    assert.equal(readDashboardMessage({ kind: 'range', range: 12 }), undefined);
    assert.deepEqual(readDashboardMessage({ kind: 'filter', status: 'Pending', type: 'Enroll', template: '', extra: 1 }), {
      kind: 'filter',
      status: 'Pending',
      type: 'Enroll',
      template: '',
    });
    assert.equal(readDashboardMessage({ kind: 'filter', status: 'Pending', type: 'Enroll' }), undefined);
    assert.equal(readDashboardMessage({ kind: 'openRequest', id: 'x'.repeat(5000) }), undefined);
    for (const odd of [undefined, null, 'ready', 42, [], { kind: 'runCommand', command: 'workbench.action.terminal.new' }]) {
      assert.equal(readDashboardMessage(odd), undefined);
    }
    assert.deepEqual(readDashboardState({ serverId: 'cm1', range: 7 }), { serverId: 'cm1', range: 7 });
    assert.deepEqual(readDashboardState({ serverId: 'cm1', range: 'week' }), { serverId: 'cm1', range: 30 }, 'an odd range falls back');
    assert.equal(readDashboardState({ range: 7 }), undefined);
  });

  it('exports the pivot as CSV with formula-like names neutralised and quotes doubled, and as JSON with numbers', () => {
    const pivot = [
      ['Pending', 'Enroll', 'a039b4d0-5ce8-4eff-8651-181c6576fda3', 3],
      ['Completed', 'Enroll', '', 10],
      ['Completed', 'Renew', 'bad00000-0000-0000-0000-000000000001', 2],
    ] as const;
    const templates = {
      'a039b4d0-5ce8-4eff-8651-181c6576fda3': 'Contoso Virtual Smart Card',
      '': 'No template',
      'bad00000-0000-0000-0000-000000000001': '=HYPERLINK("http://evil","x"), "quoted"\nline',
    };
    const csv = pivotExport(pivot, templates, 'csv');
    assert.equal(
      csv,
      [
        'Status,Type,Template,Template GUID,Requests',
        'Completed,Enroll,No template,,10',
        // Template names are one line: a line break the server sent is cleaned to a space.
        `Completed,Renew,"'=HYPERLINK(""http://evil"",""x""), ""quoted"" line",bad00000-0000-0000-0000-000000000001,2`,
        'Pending,Enroll,Contoso Virtual Smart Card,a039b4d0-5ce8-4eff-8651-181c6576fda3,3',
        '',
      ].join('\r\n'),
    );
    const json = JSON.parse(pivotExport(pivot, templates, 'json')) as Record<string, unknown>[];
    assert.deepEqual(json[2], {
      Status: 'Pending',
      Type: 'Enroll',
      Template: 'Contoso Virtual Smart Card',
      'Template GUID': 'a039b4d0-5ce8-4eff-8651-181c6576fda3',
      Requests: 3,
    });
  });
});

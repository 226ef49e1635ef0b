import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as l10n from '@vscode/l10n';
import { resolveEndpoint } from '../../src/cm/endpoint';
import { CmError } from '../../src/cm/errors';
import { EngineHandle } from '../../src/engine/engineHandle';
import { ageBucketLabels, formatDuration as reportDuration, rangeLabel } from '../../src/model/dashboardScales';
import { formatAge, formatDuration } from '../../src/model/requestAge';
import { annotateLinkedJson } from '../../src/model/requestAnnotations';
import { generateRequests, STATUS_CODES } from '../../tools/cm-simulator/data';
import { CmSimulator } from '../../tools/cm-simulator/server';
import { RecordingLogger, testSettings } from './helpers';

const ROOT = path.join(__dirname, '..', '..', '..');
const WORKER = path.join(__dirname, '..', '..', 'src', 'engine', 'worker.js');
const german = JSON.parse(readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.de.json'), 'utf8')) as Record<string, string>;

interface L10nCheck {
  scan(dir: string): { keys: Map<string, string>; bypassing: string[] };
}

describe('localization', () => {
  afterEach(() => l10n.config({ contents: {} }));

  it('explains a failure in German when VS Code hands over the German bundle, values kept', () => {
    l10n.config({ contents: german });
    const resolved = resolveEndpoint('cm.contoso.com', '/CertificateManagement/api/v1.0');
    assert.ok(!resolved.ok);
    assert.equal(resolved.error.message, 'mimcm.host "cm.contoso.com" ist keine URL.');
  });

  it("writes a row's age and a request's duration with German units", () => {
    l10n.config({ contents: german });
    const hour = 3_600_000;
    assert.deepEqual(
      [formatAge(20_000), formatAge(5 * hour), formatAge(3 * 24 * hour), formatAge(900 * 24 * hour)],
      ['jetzt', '5 Std.', '3 T.', '2 J.'],
    );
    assert.deepEqual(
      [formatDuration(45_000), formatDuration(3.5 * hour), formatDuration(50 * hour), formatDuration(-1)],
      ['45 Sek.', '3 Std. 30 Min.', '2 T. 2 Std.', 'unbekannt'],
    );
  });

  it("writes the dashboard's ranges, age buckets and durations in German, with a decimal comma", () => {
    l10n.config({ contents: german });
    assert.deepEqual(ageBucketLabels(), ['< 1 T.', '1–7 T.', '7–30 T.', '30–90 T.', '90–365 T.', '≥ 365 T.']);
    assert.deepEqual([rangeLabel(0), rangeLabel(30)], ['Alle', 'Letzte 30 Tage']);
    assert.deepEqual([reportDuration(3.5 * 3_600_000, 'de'), reportDuration(2.12 * 86_400_000, 'de')], ['3,5 Std.', '2,1 T.']);
  });

  it("marks a linked object's empty GUIDs, and names a canceled call, in German", () => {
    l10n.config({ contents: german });
    const text = JSON.stringify({ Profile: { Uuid: '00000000-0000-0000-0000-000000000000' } }, null, 2);
    assert.deepEqual(
      annotateLinkedJson(text).map((annotation) => annotation.label),
      ['keine'],
    );
    assert.equal(new CmError({ kind: 'canceled', message: 'x', hint: '', action: 'retry' }).summary, 'Abgebrochen');
  });

  it('gives the engine in its worker the same language', async () => {
    const handle = new EngineHandle(WORKER, new RecordingLogger(), german);
    try {
      const info = await handle.call('configure', {
        connection: testSettings({ host: 'ftp://cm.contoso.com' }),
        secrets: {},
        userAgent: 'test',
        locale: 'de',
        rereadSecrets: false,
      });
      assert.equal(info.error?.message, 'mimcm.host verwendet "ftp:", das ist keine Webadresse.');
    } finally {
      handle.dispose();
    }
  });

  it('shows a tooltip all in German, with why a pending request waits right under its status', async () => {
    const requests = generateRequests(60, 11);
    const sim = new CmSimulator({ requests });
    const handle = new EngineHandle(WORKER, new RecordingLogger(), german);
    try {
      await handle.call('configure', {
        connection: testSettings({ host: await sim.start(0) }),
        secrets: {},
        userAgent: 'test',
        locale: 'de',
        rereadSecrets: false,
      });
      await handle.call('load', { statuses: ['Pending'] });
      const pending = requests.find((request) => request.Status === STATUS_CODES.Pending);
      assert.ok(pending !== undefined);
      const rows = (await handle.call('details', { requestId: pending.Uuid, group: 'Pending' })) ?? [];
      const labels = rows.map(([label]) => label);
      assert.deepEqual(labels.slice(0, 4), ['Anforderung', 'Typ', 'Status', german['Approvals needed']]);
      for (const english of ['Request', 'Type', 'Submitted', 'Priority', 'Comment', 'Originator']) {
        assert.ok(!labels.includes(english), `"${english}" is German too: ${labels.join(', ')}`);
      }
      assert.ok(!rows.some(([, text]) => ['none', 'yes', 'no', 'complete'].includes(text)), JSON.stringify(rows));
    } finally {
      handle.dispose();
      await sim.stop();
    }
  });

  it('finds a user-facing string that bypasses l10n, and takes one that goes through it', async () => {
    const check = (await import(pathToFileURL(path.join(ROOT, 'scripts', 'l10n.mjs')).href)) as L10nCheck;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mimcm-l10n-'));
    try {
      writeFileSync(
        path.join(dir, 'sample.ts'),
        [
          "import * as l10n from '@vscode/l10n';",
          "window.showInformationMessage('Signed in to the server.');",
          'const label = `${count} pending`;',
          "window.showInformationMessage(l10n.t('Signed out of {0}.', host));",
          'const title = l10n.t`Sign in to ${host}`;',
          "logger.info('Using the CM API as configured.');",
          "// Not user text: a header.\nheaders['content-type'] = 'application/json; charset=utf-8';",
          "window.showInformationMessage(l10n.t('Exported.'), 'Open');",
          "class WatchedNode extends TreeItem { constructor() { super('Watched'); } }",
          "const state = loading ? 'loading…' : l10n.t('ready');",
          "const kind = 'negotiate';",
          "pick({ label: 'Status', description: on ? 'current' : undefined, placeHolder: 'mimcm.groupBy' });",
          "const rows = [['Request', request.id], ['Canceled', 'close'], ['None', undefined]];",
          "el('th', { scope: 'row' }, 'Total');",
        ].join('\n'),
      );
      const { keys, bypassing } = check.scan(dir);
      assert.deepEqual(
        bypassing.map((line) => line.replace(/^.*sample\.ts:/, '')),
        [
          '2: "Signed in to the server."',
          '3: "{} pending"',
          '9: "Open"',
          '10: "Watched"',
          '11: "loading…"',
          '13: "Status"',
          '13: "current"',
          '14: "Request"',
          '15: "Total"',
        ],
      );
      assert.deepEqual([...keys.keys()].sort(), ['Exported.', 'Sign in to {0}', 'Signed out of {0}.', 'ready']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

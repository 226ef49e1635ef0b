import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import type { EngineHandle } from '../../src/engine/engineHandle';
import { csvCell, csvLine } from '../../src/model/csv';
import { EXPORT_COLUMNS } from '../../src/model/requestExport';
import { writeExport } from '../../src/servers/exportWriter';
import { generateRequests, STATUS_CODES } from '../../tools/cm-simulator/data';
import { startLoadedEngine } from './helpers';

/** An RFC 4180 reader, to read back what the writer wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') {
        quoted = false;
      } else {
        cell += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      index++;
    } else {
      cell += char;
    }
  }
  return rows;
}

describe('exporting requests', function () {
  this.timeout(20_000);

  it('writes RFC 4180 cells and neutralises what a spreadsheet would run as a formula', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\r\nlines'), '"two\r\nlines"');
    assert.equal(csvCell('=HYPERLINK("http://evil")'), '"\'=HYPERLINK(""http://evil"")"');
    for (const start of ['+', '-', '@', '\t', '\r']) {
      assert.ok(csvCell(`${start}1`).replace(/^"/, '').startsWith("'"), JSON.stringify(start));
    }
    assert.equal(csvLine(['a', 'b']), 'a,b\r\n');
  });

  it('reads back every cell as written, whatever the text (formula-like ones with their apostrophe)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { minLength: 1, maxLength: 6 }), (cells) => {
        const [read] = parseCsv(csvLine(cells));
        assert.deepEqual(
          read,
          cells.map((cell) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell)),
        );
      }),
    );
  });

  describe('from a loaded server', () => {
    let engine: Awaited<ReturnType<typeof startLoadedEngine>>;
    let handle: EngineHandle;
    let folder: string;
    const requests = generateRequests(400, 21);

    before(async () => {
      engine = await startLoadedEngine(requests, ['Pending', 'Approved', 'Completed']);
      handle = engine.handle;
      folder = mkdtempSync(path.join(tmpdir(), 'mimcm-export-'));
    });
    after(async () => {
      await engine.stop();
      rmSync(folder, { recursive: true, force: true });
    });
    const source = {
      exportChunk: (format: 'csv' | 'json', from: number, limit: number) =>
        handle.call('exportChunk', { format, from, limit: Math.min(limit, 37) }),
    };

    it('writes what the view shows, filtered, in chunks, as CSV a spreadsheet reads back', async () => {
      await handle.call('filter', { text: 'Contoso Virtual Smart Card' });
      const file = path.join(folder, 'filtered.csv');
      const seen: number[] = [];
      const outcome = await writeExport(
        source,
        'csv',
        file,
        (written) => seen.push(written),
        () => false,
      );
      const rows = parseCsv(readFileSync(file, 'utf8'));
      const expected = requests.filter(
        (request) =>
          request.ProfileTemplateUuid === 'a039b4d0-5ce8-4eff-8651-181c6576fda3' &&
          [STATUS_CODES.Pending, STATUS_CODES.Approved, STATUS_CODES.Completed].includes(request.Status),
      );
      assert.deepEqual(rows[0], [...EXPORT_COLUMNS]);
      assert.equal(rows.length - 1, expected.length);
      assert.deepEqual(outcome, { kind: 'written', rows: expected.length });
      assert.ok(seen.length > 1, 'written chunk by chunk');
      assert.deepEqual(new Set(rows.slice(1).map((row) => row[1])), new Set(expected.map((request) => request.Uuid)));
      assert.ok(rows.slice(1).every((row) => row[4] === 'Contoso Virtual Smart Card'));
      await handle.call('filter', { text: '' });
    });

    it('writes JSON that parses to the same rows, and leaves no file behind when canceled', async () => {
      const file = path.join(folder, 'all.json');
      await writeExport(
        source,
        'json',
        file,
        () => undefined,
        () => false,
      );
      const records = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>[];
      assert.equal(
        records.length,
        requests.filter((request) => [STATUS_CODES.Pending, STATUS_CODES.Approved, STATUS_CODES.Completed].includes(request.Status)).length,
      );
      assert.deepEqual(Object.keys(records[0] ?? {}), [...EXPORT_COLUMNS]);
      const canceledFile = path.join(folder, 'canceled.csv');
      const outcome = await writeExport(
        source,
        'csv',
        canceledFile,
        () => undefined,
        () => true,
      );
      assert.deepEqual(outcome, { kind: 'canceled' });
      assert.equal(existsSync(canceledFile), false);
    });
  });
});

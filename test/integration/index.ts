// Entry point VS Code calls (extensionTestsPath) inside the extension host, in code-server or in desktop VS Code.
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

interface TestResult {
  title: string;
  state: 'passed' | 'failed';
  durationMs?: number;
  error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  for (const file of readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  const results: TestResult[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const resultsFile = process.env.MIMCM_TEST_RESULTS;
      if (resultsFile) {
        writeFileSync(resultsFile, JSON.stringify({ results }, null, 2));
      }
      if (failures > 0) {
        reject(new Error(`${failures} integration test(s) failed`));
      } else if (results.length === 0) {
        reject(new Error('no integration test ran'));
      } else {
        resolve();
      }
    });
    runner.on('pass', (test) => results.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration }));
    runner.on('fail', (test, error: Error) =>
      results.push({ title: test.fullTitle(), state: 'failed', error: error.stack ?? String(error) }),
    );
  });
}

// Mocha root hooks for the browser suites: a failed test leaves a screenshot of each open workbench in
// test-results/, so a failure on a CI machine can be seen, not guessed.
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../scripts/lib/codeServer.mjs';
import { openPages } from './workbench.mjs';

export const mochaHooks = {
  async afterEach() {
    if (this.currentTest?.state !== 'failed') {
      return;
    }
    const folder = path.join(projectRoot, 'test-results');
    mkdirSync(folder, { recursive: true });
    const name = this.currentTest
      .fullTitle()
      .replace(/[^\w-]+/g, '-')
      .slice(0, 80);
    let index = 0;
    for (const page of openPages) {
      await page.screenshot({ path: path.join(folder, `failed-${name}-${index++}.png`) }).catch(() => undefined);
    }
  },
};

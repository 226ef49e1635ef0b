// For `npm run bench`: the dashboard webview's own script and style (dist/webview) in headless Chromium, handed
// the figures message the extension would post, to time how long it takes to draw them.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { launchBrowser } from './browser.mjs';

export async function openDashboardPage(root) {
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const asset = (name) => readFileSync(path.join(root, 'dist/webview', name), 'utf8');
  await page.setContent(`<!DOCTYPE html><html><head><style>${asset('dashboard.css')}</style></head>
<body class="vscode-dark"><main id="dashboard"></main>
<script>window.acquireVsCodeApi = () => ({ postMessage() {}, getState() { return undefined; }, setState() {} });</script>
</body></html>`);
  await page.addScriptTag({ content: asset('dashboard.js') });
  return {
    /** Milliseconds from posting the message to the next frame after the figures are drawn. */
    render: (message) =>
      page.evaluate(
        (posted) =>
          new Promise((resolve) => {
            const started = performance.now();
            // Runs after the dashboard's own listener, which draws synchronously.
            window.addEventListener('message', () => requestAnimationFrame(() => resolve(performance.now() - started)), { once: true });
            window.postMessage(posted, '*');
          }),
        message,
      ),
    close: () => browser.close(),
  };
}

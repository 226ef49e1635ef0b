// The dashboard webview's page: no remote content, and a Content-Security-Policy that lets in only the bundled
// script and style (by nonce or from the extension's own files). Everything the server sent arrives later as a
// message and is written with textContent, never as HTML.

export interface DashboardPageAssets {
  /** The webview's `cspSource`. */
  readonly cspSource: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly title: string;
  readonly loadingText: string;
  /** VS Code's translations for this extension (vscode.l10n.bundle), for the webview's own l10n.t calls. */
  readonly l10nBundle?: Readonly<Record<string, string>>;
  /** VS Code's display language (vscode.env.language), for the page's numbers and dates. */
  readonly language?: string;
}

export function dashboardHtml(assets: DashboardPageAssets): string {
  // globalThis.crypto is loaded on first use; importing node:crypto would cost every activation ~5 ms.
  const nonce = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  // Not user text: the policy.
  const csp = [
    "default-src 'none'",
    `img-src ${assets.cspSource} data:`,
    `style-src ${assets.cspSource} 'nonce-${nonce}'`,
    `font-src ${assets.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  // Not user text: the page's markup; its words arrive translated.
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(assets.language ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${escapeAttribute(assets.styleUri)}">
<title>${escapeText(assets.title)}</title>
</head>
<body>
<main id="dashboard" aria-busy="true" data-language="${escapeAttribute(assets.language ?? '')}" data-l10n="${escapeAttribute(JSON.stringify(assets.l10nBundle ?? {}))}"><p class="note">${escapeText(assets.loadingText)}</p></main>
<script nonce="${nonce}" src="${escapeAttribute(assets.scriptUri)}"></script>
</body>
</html>
`;
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;');
}

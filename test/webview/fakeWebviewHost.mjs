// Test double of the VS Code webview host: serves the panel page with the real host's CSP and a fake acquireVsCodeApi.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** The only files the double serves, so a test cannot accidentally depend on anything else in the tree. */
const ASSETS = new Map([
  ['/dist/webview.js', { file: 'dist/webview.js', type: 'text/javascript' }],
  ['/media/webview.css', { file: 'media/webview.css', type: 'text/css' }],
  ['/media/panels.css', { file: 'media/panels.css', type: 'text/css' }],
  ['/test/webview/fakeVscodeTheme.css', { file: 'test/webview/fakeVscodeTheme.css', type: 'text/css' }],
]);

/**
 * Emulates what VS Code injects into a webview: acquireVsCodeApi (callable once), state kept across reloads
 * (sessionStorage stands in for the host's memory), posted messages recorded for the test, and a log of CSP
 * violations registered before any panel code runs.
 */
const FAKE_VSCODE_API = `
(() => {
  const STATE_KEY = 'fakeWebviewHost.state';
  const fake = { posted: [], cspViolations: [], apiAcquired: 0 };
  window.__fakeWebviewHost = fake;
  document.addEventListener('securitypolicyviolation', (e) => {
    fake.cspViolations.push({ directive: e.violatedDirective, blockedURI: e.blockedURI, sample: e.sample, source: e.sourceFile + ':' + e.lineNumber });
  });
  window.acquireVsCodeApi = () => {
    fake.apiAcquired++;
    if (fake.apiAcquired > 1) throw new Error('An instance of the VS Code API has already been acquired');
    return Object.freeze({
      postMessage: (message) => { fake.posted.push(JSON.parse(JSON.stringify(message))); },
      getState: () => { const s = sessionStorage.getItem(STATE_KEY); return s === null ? undefined : JSON.parse(s); },
      setState: (state) => { sessionStorage.setItem(STATE_KEY, JSON.stringify(state)); return state; },
    });
  };
})();
`;

function panelHtml(origin, view, theme) {
  const nonce = crypto.randomBytes(16).toString('base64');
  // Same policy as the extension's panel: no 'unsafe-inline'; scripts only by nonce; styles from the extension's
  // files, plus <style> elements carrying the nonce, which FAST (under the toolkit) reads from the csp-nonce meta
  // for the one <style> it creates, its :focus-visible support probe.
  const csp = [
    "default-src 'none'",
    `style-src ${origin} 'nonce-${nonce}'`,
    `font-src ${origin}`,
    `img-src ${origin} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta property="csp-nonce" content="${nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${origin}/test/webview/fakeVscodeTheme.css">
<link rel="stylesheet" href="${origin}/media/webview.css">
<link rel="stylesheet" href="${origin}/media/panels.css">
<title>Backfill Details</title>
</head>
<body class="vscode-${theme}" data-vscode-theme-kind="vscode-${theme}" data-view="${view}">
<script nonce="${nonce}">${FAKE_VSCODE_API}</script>
<script nonce="${nonce}" src="${origin}/dist/webview.js"></script>
</body>
</html>`;
}

/** Starts the double on a loopback port. `panelUrl(view, theme)` gives the page for a view name in a dark, light or high-contrast theme. */
export async function startFakeWebviewHost() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = `http://${req.headers.host}`;
    if (url.pathname === '/panel') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(panelHtml(origin, url.searchParams.get('view') ?? '', ['light', 'high-contrast'].includes(url.searchParams.get('theme')) ? url.searchParams.get('theme') : 'dark'));
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    const asset = ASSETS.get(url.pathname);
    if (!asset) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`fakeWebviewHost does not serve ${url.pathname}`);
      return;
    }
    fs.readFile(path.join(repoRoot, asset.file), (error, body) => {
      if (error) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fakeWebviewHost could not read ${asset.file}: ${error.message}`);
        return;
      }
      res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-store' });
      res.end(body);
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    panelUrl: (view = 'backfillDetails', theme = 'dark') => `http://127.0.0.1:${port}/panel?view=${encodeURIComponent(view)}&theme=${theme}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// The HTML shell of every panel: strict CSP with a fresh nonce, the webview bundle and stylesheet.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { PanelIdentity } from '../../shared/panelIdentity';

/** `identity` goes into <body data-panel>: the page saves it with its state, for the panel serializer after a reload. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, view: string, title: string, identity?: PanelIdentity): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.css'));
  const panelsStyle = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panels.css'));
  const csp = [
    "default-src 'none'",
    // The toolkit's FAST runtime adds one <style> for a feature test; it takes the nonce from the csp-nonce meta tag.
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const escapedTitle = escape(title);
  const panel = identity ? ` data-panel="${escape(JSON.stringify(identity))}"` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta property="csp-nonce" content="${nonce}">
<link rel="stylesheet" href="${style}">
<link rel="stylesheet" href="${panelsStyle}">
<title>${escapedTitle}</title>
</head>
<body data-view="${view}"${panel}>
<main id="root" aria-live="polite"></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

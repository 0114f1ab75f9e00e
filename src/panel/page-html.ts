/**
 * The panel page's HTML shell and its Content Security Policy (after vscode-hexeditor's
 * hexEditorProvider.ts): nothing but our own bundle may run (a fresh nonce per page, no
 * inline script, no eval), styles and fonts only from the extension, no network at all.
 * The shell holds no data: the model arrives by message and is rendered as text.
 */
import { randomBytes } from 'node:crypto';

/** 128 random bits, base64: unguessable by anything the page shows. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * `cspSource` is `webview.cspSource` (the origin of `asWebviewUri` resources). No
 * `connect-src`, `frame-src`, `form-action` or `media-src`: `default-src 'none'` denies them.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export interface PageResources {
  readonly cspSource: string;
  readonly nonce: string;
  /** `asWebviewUri` strings of dist/webview.js, media/webview.css and the codicon stylesheet. */
  readonly script: string;
  readonly stylesheet: string;
  readonly codicons: string;
}

const ATTRIBUTE_UNSAFE = /["<>]/;

/** The whole page. Every interpolated value is ours (URIs, nonce); they are checked anyway. */
export function pageHtml(r: PageResources): string {
  for (const v of [r.cspSource, r.nonce, r.script, r.stylesheet, r.codicons]) {
    if (ATTRIBUTE_UNSAFE.test(v)) throw new Error(`refusing to write ${JSON.stringify(v)} into the page`);
  }
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(r.cspSource, r.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${r.codicons}" nonce="${r.nonce}">
<link rel="stylesheet" href="${r.stylesheet}" nonce="${r.nonce}">
<title>Image</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="status">Loading…</p></main>
<script nonce="${r.nonce}" src="${r.script}"></script>
</body>
</html>`;
}

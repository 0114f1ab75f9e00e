import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkExternalLink, logSearchUrl } from '../../src/panel/links';
import { MAX_COPY_CHARS, parsePageMessage, parsePanelState } from '../../src/panel/message-guard';
import { contentSecurityPolicy, makeNonce, pageHtml } from '../../src/panel/page-html';

describe('links the panel may open', () => {
  test('plain https URLs pass, as written', () => {
    for (const url of [
      'https://github.com/rancher/fleet',
      'https://github.com/rancher/fleet/commit/4f9c2e1d0b8a7c6e5d4f3a2b1c0d9e8f7a6b5c4d',
      'https://search.sigstore.dev/?logIndex=153046374',
      'https://example.com:8443/a%20b?q=1#frag',
      'HTTPS://EXAMPLE.COM/',
    ])
      assert.deepEqual(checkExternalLink(url), { ok: true, url });
  });

  test('every other scheme is refused, with the scheme named', () => {
    for (const url of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'command:workbench.action.terminal.new',
      'command:provenanceLens.showVersion?%5B%5D',
      'vscode://file/etc/passwd',
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'http://github.com/rancher/fleet',
      'vbscript:msgbox',
      '//evil.example/',
      '/relative',
    ]) {
      const r = checkExternalLink(url);
      assert.equal(r.ok, false, url);
      assert.match((r as { reason: string }).reason, /scheme is not https/, url);
    }
  });

  test('tricks inside https URLs are refused', () => {
    const cases: Array<[string, RegExp]> = [
      ['https://user:pass@github.com/', /credentials/],
      ['https://token@github.com/', /credentials/],
      [' https://github.com/', /whitespace|control/],
      ['https://github.com/\u202Etxt.exe', /invisible/],
      ['https://github.com/\u200Bx', /invisible/],
      ['https://github.com/a\nb', /control/],
      ['java\tscript:alert(1)', /control/],
      ['https:\\\\evil.example', /scheme is not https|not a valid URL/],
      [`https://github.com/${'a'.repeat(5000)}`, /longer than/],
      ['https://', /not a valid URL|no host/],
      ['', /empty/],
    ];
    for (const [url, reason] of cases) {
      const r = checkExternalLink(url);
      assert.equal(r.ok, false, JSON.stringify(url.slice(0, 40)));
      assert.match((r as { reason: string }).reason, reason, JSON.stringify(url.slice(0, 40)));
    }
    assert.equal(checkExternalLink(42).ok, false);
    assert.equal(checkExternalLink({ toString: () => 'https://x.example' }).ok, false);
  });

  test('log search links only for public-good Rekor entries', () => {
    assert.equal(logSearchUrl('153046374', 'https://rekor.sigstore.dev', 'sigstore-public-good'), 'https://search.sigstore.dev/?logIndex=153046374');
    assert.equal(logSearchUrl('1', 'https://rekor.sigstore.dev', 'github'), undefined);
    assert.equal(logSearchUrl('1', 'https://rekor.example.com', 'sigstore-public-good'), undefined);
    assert.equal(logSearchUrl('1', 'https://log2025-1.rekor.sigstore.dev', 'sigstore-public-good'), undefined);
    assert.equal(logSearchUrl('1&x=<script>', 'https://rekor.sigstore.dev', 'sigstore-public-good'), undefined);
    assert.equal(logSearchUrl('1', undefined, 'sigstore-public-good'), undefined);
    assert.equal(logSearchUrl('1', 'http://rekor.sigstore.dev', 'sigstore-public-good'), undefined);
  });
});

describe('page messages are checked before the host acts', () => {
  test('each message of the protocol passes', () => {
    assert.deepEqual(parsePageMessage({ type: 'ready', version: 1 }), { type: 'ready', version: 1 });
    assert.deepEqual(parsePageMessage({ type: 'openLink', url: 'javascript:x' }), { type: 'openLink', url: 'javascript:x' });
    assert.deepEqual(parsePageMessage({ type: 'copy', text: 'sha256:abc', label: 'digest' }), { type: 'copy', text: 'sha256:abc', label: 'digest' });
    assert.deepEqual(parsePageMessage({ type: 'selectPlatform', digest: 'sha256:abc' }), { type: 'selectPlatform', digest: 'sha256:abc' });
    assert.deepEqual(parsePageMessage({ type: 'refresh' }), { type: 'refresh' });
  });

  test('anything else is refused: unknown types, extra fields, wrong types, oversize', () => {
    for (const m of [
      null,
      'ready',
      [],
      {},
      { type: 'eval', code: '1' },
      { type: 'ready' },
      { type: 'ready', version: '1' },
      { type: 'ready', version: 1, extra: true },
      { type: 'openLink', url: 1 },
      { type: 'openLink', url: 'https://x', command: 'workbench.action.terminal.new' },
      { type: 'copy', text: 'x' },
      { type: 'copy', text: 'x', label: '$(alert) copied' },
      { type: 'copy', text: 1, label: 'digest' },
      { type: 'selectPlatform', digest: 'x'.repeat(5000) },
      { type: 'refresh', force: true },
      { __proto__: { type: 'refresh' } },
    ])
      assert.equal(parsePageMessage(m), undefined, JSON.stringify(m));
    assert.equal(parsePageMessage({ type: 'copy', text: 'x'.repeat(MAX_COPY_CHARS + 1), label: 'raw JSON' }), undefined);
  });

  test('restored state: the reference and platform, nothing else', () => {
    assert.deepEqual(parsePanelState({ reference: 'a/b:c', platform: 'sha256:1' }), { reference: 'a/b:c', platform: 'sha256:1' });
    assert.deepEqual(parsePanelState({ reference: 'a/b:c', platform: 3, x: 1 }), { reference: 'a/b:c' });
    assert.equal(parsePanelState({ reference: '' }), undefined);
    assert.equal(parsePanelState(undefined), undefined);
    assert.equal(parsePanelState({ reference: 'x'.repeat(2000) }), undefined);
  });

  test("a diff view's restored state: the two images compared, both or neither", () => {
    const compare = { old: 'r.test/app:v1.0.0', new: 'r.test/app:v1.1.0' };
    assert.deepEqual(parsePanelState({ reference: 'app:v1.0.0 ↔ app:v1.1.0', compare }), { reference: 'app:v1.0.0 ↔ app:v1.1.0', compare });
    assert.deepEqual(parsePanelState({ reference: 't', compare: { old: 'r.test/app:v1.0.0' } }), { reference: 't' });
    assert.deepEqual(parsePanelState({ reference: 't', compare: { old: 'a', new: 'x'.repeat(2000) } }), { reference: 't' });
    assert.deepEqual(parsePanelState({ reference: 't', compare: ['a', 'b'] }), { reference: 't' });
  });
});

describe('the page shell', () => {
  const resources = {
    cspSource: 'https://abc.vscode-cdn.net',
    nonce: makeNonce(),
    script: 'https://abc.vscode-cdn.net/ext/dist/webview.js',
    stylesheet: 'https://abc.vscode-cdn.net/ext/media/webview.css',
    codicons: 'https://abc.vscode-cdn.net/ext/dist/codicons/codicon.css',
  };

  test('a strict CSP: nothing runs but the nonce-carrying bundle, no network', () => {
    const csp = contentSecurityPolicy(resources.cspSource, 'N0nce');
    assert.equal(
      csp,
      "default-src 'none'; script-src 'nonce-N0nce'; style-src https://abc.vscode-cdn.net 'nonce-N0nce'; font-src https://abc.vscode-cdn.net; img-src https://abc.vscode-cdn.net; base-uri 'none'; form-action 'none'",
    );
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  });

  test('one script, external, with the nonce; no inline script or handler; no data', () => {
    const html = pageHtml(resources);
    const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0]![1], '');
    assert.match(scripts[0]![0], new RegExp(`nonce="${resources.nonce.replace(/[+/]/g, '\\$&')}" src="${resources.script}"`));
    assert.doesNotMatch(html, /\son[a-z]+=/i);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  });

  test('nonces are fresh and unguessable', () => {
    const nonces = new Set(Array.from({ length: 100 }, makeNonce));
    assert.equal(nonces.size, 100);
    assert.ok([...nonces].every((n) => Buffer.from(n, 'base64').length === 16));
  });

  test('refuses to write a value that would break out of an attribute', () => {
    assert.throws(() => pageHtml({ ...resources, script: 'https://x/"><script>alert(1)</script>' }), /refusing/);
  });
});

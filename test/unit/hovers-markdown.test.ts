// Hover markdown escapes everything that comes from a goreleaser file or a registry:
// rendered by a real CommonMark parser with raw HTML and linkify ON (stricter than VS Code's
// hovers), hostile text comes out as the same text, with no element, no link and no direction
// override; the only links are the command links we make, naming our command ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { codeSpan, commandLink, escapeMarkdown, imageHoverMarkdown, visibleText } from '../../src/goreleaser/hover-markdown';

// markdown-it (installed with @vscode/vsce): CommonMark, the renderer family VS Code's hovers follow.
interface MarkdownIt {
  render(src: string): string;
}
const MarkdownItCtor = createRequire(__filename)('markdown-it') as new (options: Record<string, unknown>) => MarkdownIt;
const md = new MarkdownItCtor({ html: true, linkify: true });

const HOSTILE = [
  '*bold* _it_ **strong** ~~gone~~',
  '[click](command:workbench.action.terminal.new) [x][1]\n\n[1]: https://evil.example',
  '<img src=x onerror="alert(1)"><script>alert(1)</script>',
  'https://evil.example/ and www.evil.example and evil@example.com',
  '![pixel](https://evil.example/p.png)',
  '# heading\n> quote\n- item\n1. item\n---',
  '`code` ``more`` \\` \\\\',
  '&lt;not an entity&gt; &amp; &#x41;',
  '| a | b |\n|---|---|',
  'javascript:alert(1)',
  '<https://evil.example>',
  '{{ .Env.X }}:v1.0.0-rc.1+build',
];

const decode = (html: string): string =>
  html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

function onlyText(rendered: string): string {
  const m = /^<p>([\s\S]*)<\/p>\n$/.exec(rendered);
  assert.ok(m, `one paragraph expected, got ${rendered}`);
  assert.doesNotMatch(m[1]!, /<[a-z/]/i, `an element in ${rendered}`);
  return decode(m[1]!);
}

test('escaped text renders as itself: no emphasis, link, autolink, image, HTML, heading, list or entity', () => {
  for (const input of HOSTILE) {
    assert.equal(onlyText(md.render(escapeMarkdown(input))), visibleText(input), input);
  }
});

test('every ASCII punctuation character survives escaping, alone and in runs', () => {
  let all = '';
  for (let c = 0x21; c < 0x7f; c++) if (!/[A-Za-z0-9]/.test(String.fromCharCode(c))) all += String.fromCharCode(c);
  assert.equal(onlyText(md.render(escapeMarkdown(all))), all);
  assert.equal(onlyText(md.render(escapeMarkdown(all.repeat(3)))), all.repeat(3));
});

test('bidi overrides, isolates, zero-width and control characters become visible U+FFFD; line breaks become spaces', () => {
  const spoofed = 'ghcr.io/org/app\u202e3.1v:\u202c\u2066x\u2069\u200b\u0000\u001b[31m\ufeff';
  const shown = visibleText(spoofed);
  assert.equal(shown, 'ghcr.io/org/app\ufffd3.1v:\ufffd\ufffdx\ufffd\ufffd\ufffd\ufffd[31m\ufffd');
  assert.equal(visibleText('a\nb\r\nc\td'), 'a b c d');
  assert.doesNotMatch(escapeMarkdown(spoofed), /[\u202a-\u202e\u2066-\u2069\u200b-\u200f]/);
});

test('a megabyte from a registry is cut, with an ellipsis', () => {
  const huge = 'a'.repeat(1 << 20);
  assert.equal(visibleText(huge).length, 400);
  assert.ok(visibleText(huge).endsWith('…'));
  assert.equal(escapeMarkdown(huge, 50).length, 50);
});

test('a code span holds any text literally, backticks included', () => {
  for (const input of ['docker.io/rancher/fleet:{{ .Tag }}', 'a`b', '``x``', '`', ' lead and trail ', '<b>[x](command:y)</b>', '']) {
    const html = md.render(codeSpan(input));
    const m = /^<p><code>([\s\S]*)<\/code><\/p>\n$/.exec(html);
    assert.ok(m, `${JSON.stringify(input)} -> ${html}`);
    assert.equal(decode(m[1]!), input === '' ? ' ' : input);
  }
});

test('a command link names our command with URI-encoded JSON arguments; the title is escaped', () => {
  const reference = `127.0.0.1:5000/rancher/fleet:v1.0.0"]) [x](https://evil.example) !'*~`;
  const html = md.render(commandLink('Verify *now*', 'provenanceLens.verifyImage', [reference]));
  const m = /^<p><a href="command:provenanceLens\.verifyImage\?([^"]+)">Verify \*now\*<\/a><\/p>\n$/.exec(html);
  assert.ok(m, html);
  assert.deepEqual(JSON.parse(decodeURIComponent(decode(m[1]!))), [reference]);
  assert.throws(() => commandLink('x', 'command:evil'), /not a command id/);
  assert.throws(() => commandLink('x', 'a b'), /not a command id/);
});

test('a whole hover over hostile registry values: every link is one of ours, every value is text', () => {
  const evil = '<script>alert(1)</script>[pwn](command:workbench.action.terminal.new)\u202e';
  const markdown = imageHoverMarkdown({
    origin: 'dockers_v2[0]',
    id: evil,
    role: 'pushed image',
    template: `{{ .Env.X }}/${evil}`,
    reference: `r.test/${evil}`,
    unresolved: [['.Env.X', evil]],
    platforms: [evil, 'linux/amd64'],
    digest: `sha256:${evil}`,
    verdict: evil,
    reasons: [evil, evil],
    links: [commandLink('Verify', 'provenanceLens.verifyImage', [`r.test/${evil}`]), commandLink('Reveal', 'provenanceLens.goreleaser.revealImage', [evil])],
  });
  const html = md.render(markdown);
  const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
  assert.deepEqual(
    hrefs.map((h) => h.split('?')[0]),
    ['command:provenanceLens.verifyImage', 'command:provenanceLens.goreleaser.revealImage'],
  );
  assert.doesNotMatch(html, /<script|<img|\u202e/);
  assert.equal((html.match(/<a /g) ?? []).length, 2);
  assert.match(decode(html), /\[pwn\]\(command:workbench\.action\.terminal\.new\)/, 'shown as text');
});

// What `npm run package` puts in the .vsix, asked of vsce itself (`vsce ls` reads .vscodeignore the
// way `vsce package` does): the Marketplace README with its screenshots inlined, the documents it
// names, the licence, the changelog and the icon, and nothing of the sources or tests. The bundles
// in dist/ are left out of the assertions: they exist only after a build.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/repo-root';

/** The source of the README scripts/package.mjs hands vsce (inlined by scripts/marketplace-readme.mjs). */
const MARKETPLACE_README = 'MARKETPLACE.md';
type WriteReadme = (root: string) => string;
type InlineImages = (markdown: string, root: string) => string;
const marketplaceReadme = async (): Promise<{ writeMarketplaceReadme: WriteReadme; inlineImages: InlineImages }> =>
  (await import(pathToFileURL(join(repoRoot, 'scripts', 'marketplace-readme.mjs')).href)) as {
    writeMarketplaceReadme: WriteReadme;
    inlineImages: InlineImages;
  };
/** VS Code's extension manifest reference, "categories": the values the Marketplace accepts. */
const CATEGORIES = [
  'Programming Languages',
  'Snippets',
  'Linters',
  'Themes',
  'Debuggers',
  'Formatters',
  'Keymaps',
  'SCM Providers',
  'Other',
  'Extension Packs',
  'Language Packs',
  'Data Science',
  'Machine Learning',
  'Visualization',
  'Notebooks',
  'Education',
  'Testing',
];

interface Manifest {
  icon?: string;
  categories?: string[];
  keywords?: string[];
  galleryBanner?: { color?: string; theme?: string };
  enabledApiProposals?: unknown;
  repository?: unknown;
}
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;

function packaged(readmePath: string): string[] {
  const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const out = execFileSync(process.execPath, [vsce, 'ls', '--readme-path', readmePath, '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** Targets of the Markdown's images and links. */
function targets(markdown: string): string[] {
  return [...markdown.matchAll(/!?\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)].map((m) => m[1]!);
}
const isRelative = (t: string) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#');

/** Width and height from a PNG's IHDR chunk (https://www.w3.org/TR/png/#11IHDR). */
function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${path} is not a PNG`);
  assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('the .vsix: what users get', () => {
  let readmePath: string;
  let files: string[];
  before(async () => {
    readmePath = (await marketplaceReadme()).writeMarketplaceReadme(repoRoot);
    files = packaged(readmePath);
  });

  test('the Marketplace README, the licence, the changelog and the icon are in it', () => {
    for (const f of [readmePath, 'LICENSE', 'CHANGELOG.md', 'package.json', manifest.icon!]) assert.ok(files.includes(f), `${f} is not packaged`);
    assert.ok(!files.includes('README.md'), "the repository's README (set-up commands, benchmarks) is not the package's");
  });

  test('the README carries its screenshots inline (VS Code shows a README with img-src https: data: only), byte for byte', () => {
    const source = readFileSync(join(repoRoot, MARKETPLACE_README), 'utf8');
    const shots = targets(source).filter((t) => isRelative(t) && t.endsWith('.png'));
    assert.ok(shots.length >= 4, `the README shows its screenshots: ${shots.join(', ')}`);
    const inlined = targets(readFileSync(join(repoRoot, readmePath), 'utf8'));
    assert.deepEqual(inlined.filter(isRelative), [], 'no image or link left that only resolves in a folder');
    const data = inlined.filter((t) => t.startsWith('data:'));
    assert.equal(data.length, shots.length);
    shots.forEach((shot, i) => {
      assert.ok(data[i]!.startsWith('data:image/png;base64,'), shot);
      assert.ok(
        Buffer.from(data[i]!.slice('data:image/png;base64,'.length), 'base64').equals(readFileSync(join(repoRoot, shot))),
        `${shot} inlined byte for byte`,
      );
    });
  });

  test('an image the README names but the repository lacks stops the packaging, naming it', async () => {
    const { inlineImages } = await marketplaceReadme();
    assert.throws(
      () => inlineImages('![x](media/screenshots/nothing-here.png)', repoRoot),
      /MARKETPLACE\.md: image media\/screenshots\/nothing-here\.png cannot be read \(ENOENT\)/,
    );
    assert.throws(() => inlineImages('![x](media/provenance-lens.svg)', repoRoot), /is not PNG, JPEG, GIF or WebP/);
    assert.throws(() => inlineImages('![x](../outside.png)', repoRoot), /is outside the repository/);
  });

  test('the documents the README names are packaged', () => {
    const readme = readFileSync(join(repoRoot, MARKETPLACE_README), 'utf8');
    // Named in the text, opened from the extension's folder.
    for (const named of ['docs/policy.md', 'schemas/provenance-lens.schema.json']) {
      assert.ok(readme.includes(named), named);
      assert.ok(files.includes(named), `${named} is not packaged`);
    }
  });

  test('nothing of the sources, tests, fixtures, tools or build caches', () => {
    const strays = files.filter(
      (f) => /^(src|test|tools|bench|scripts|webview|out[^/]*|node_modules|\.cache|\.git)\//.test(f) || /\.(ts|map|tgz|vsix)$/.test(f),
    );
    assert.deepEqual(strays, []);
  });

  test('the icon is a 128x128 PNG; the banner, categories and keywords are what the Marketplace accepts', () => {
    assert.deepEqual(pngSize(join(repoRoot, manifest.icon!)), { width: 128, height: 128 });
    assert.match(manifest.galleryBanner?.color ?? '', /^#[0-9a-f]{6}$/i);
    assert.ok(['dark', 'light'].includes(manifest.galleryBanner?.theme ?? ''), 'galleryBanner.theme');
    assert.ok((manifest.categories ?? []).length > 0);
    for (const c of manifest.categories ?? []) assert.ok(CATEGORIES.includes(c), `category ${c} is not one the Marketplace allows`);
    assert.ok((manifest.keywords ?? []).length > 0 && (manifest.keywords ?? []).length <= 30, 'vsce allows at most 30 keywords');
  });

  test('no proposed API, so any extension registry can install it', () => {
    assert.equal(manifest.enabledApiProposals, undefined);
  });
});

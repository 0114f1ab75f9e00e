// The README the .vsix carries: MARKETPLACE.md with its images inlined as data: URIs, written to
// dist/marketplace/README.md for `vsce package --readme-path` (scripts/package.mjs).
//
// Why inline: VS Code shows an installed extension's README in a webview whose Content Security
// Policy is `img-src https: data:`, so an image referenced by a path inside the package never
// loads there, and the project has no public home whose https URLs vsce could rewrite the paths
// to. A data: URI is inside the package and allowed by that policy. Once the project has a public
// repository, vsce's own link rewriting (without --no-rewrite-relative-links) can replace this.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

/**
 * Replaces every Markdown image `![alt](path)` whose path is relative with a data: URI of the file
 * under `root`. A path that leaves `root`, names a type VS Code cannot show (SVG is refused in a
 * README by vsce) or a missing file is an error naming it.
 */
export function inlineImages(markdown, root) {
  return markdown.replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (whole, alt, target) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return whole;
    const path = normalize(target);
    if (relative(root, join(root, path)).startsWith('..')) throw new Error(`MARKETPLACE.md: image ${target} is outside the repository.`);
    const type = TYPES[path.slice(path.lastIndexOf('.')).toLowerCase()];
    if (type === undefined) throw new Error(`MARKETPLACE.md: image ${target} is not PNG, JPEG, GIF or WebP.`);
    let bytes;
    try {
      bytes = readFileSync(join(root, path));
    } catch (e) {
      throw new Error(`MARKETPLACE.md: image ${target} cannot be read (${e.code ?? e.message}).`);
    }
    return `![${alt}](data:${type};base64,${bytes.toString('base64')})`;
  });
}

/** Writes dist/marketplace/README.md under `root` and returns its path relative to `root`. */
export function writeMarketplaceReadme(root) {
  const out = join('dist', 'marketplace', 'README.md');
  mkdirSync(join(root, dirname(out)), { recursive: true });
  // Written aside and renamed: a test packaging at the same time never reads half a file.
  const aside = join(root, `${out}.${process.pid}`);
  writeFileSync(aside, inlineImages(readFileSync(join(root, 'MARKETPLACE.md'), 'utf8'), root));
  renameSync(aside, join(root, out));
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(writeMarketplaceReadme(join(dirname(fileURLToPath(import.meta.url)), '..')));
}

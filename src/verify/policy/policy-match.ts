import { DOCKER_HUB } from '../../registry/reference';
import type { RegistryReference } from '../../registry/reference';
import { escapeRegExp } from './policy-regexp';
import type { PolicyEntry } from './policy-types';

/**
 * Image patterns of `.provenance-lens.yaml`: globs over the normalised `registry/repository`
 * of an image, the way `docker` names it (distribution/reference): `rancher/fleet-agent` is
 * `docker.io/rancher/fleet-agent`, `nginx` is `docker.io/library/nginx`. Tags and digests are
 * not part of the name and a pattern may not contain them.
 *
 *   `*`   any characters within one path component (not "/")
 *   `?`   one character within a component
 *   `**`  any characters, "/" included (`ghcr.io/rancher/**`, or `**` alone for everything)
 *
 * Same semantics as sigstore policy-controller's image globs, so policies read the same.
 */

const ALLOWED = /[^A-Za-z0-9._/:*?-]/;
const WILDCARD = /[*?]/;

export type PatternResult = { pattern: string } | { offset: number; message: string };

function isRegistry(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost' || component === '*' || component === '**';
}

/** The normalised pattern, or what is wrong with it (with the offset in what was written). */
export function normaliseImagePattern(written: string): PatternResult {
  const bad = ALLOWED.exec(written);
  if (bad !== null) {
    const why =
      bad[0] === '@'
        ? 'patterns match repository names; the digest is ignored when matching, remove it'
        : /\s/.test(bad[0])
          ? 'spaces are not allowed'
          : `"${bad[0]}" cannot appear in an image name`;
    return { offset: bad.index, message: why };
  }
  if (written === '**') return { pattern: written };
  const parts = written.split('/');
  let offset = 0;
  for (const [i, part] of parts.entries()) {
    if (part === '') return { offset, message: 'an empty path component ("//" or a leading or trailing "/")' };
    const colon = part.indexOf(':');
    const hostLike = i === 0 && parts.length > 1 && isRegistry(part);
    if (colon >= 0 && !hostLike) {
      return { offset: offset + colon, message: `"${part.slice(colon)}" looks like a tag; patterns match repository names and ignore tags, remove it` };
    }
    if (!hostLike && part !== part.toLowerCase()) return { offset, message: `"${part}" has uppercase letters; repository names are lowercase` };
    offset += part.length + 1;
  }
  let registry = DOCKER_HUB;
  if (parts.length > 1 && isRegistry(parts[0]!)) registry = parts.shift()!.toLowerCase();
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && parts.length === 1 && !WILDCARD.test(parts[0]!)) parts.unshift('library');
  return { pattern: `${registry}/${parts.join('/')}` };
}

const compiled = new Map<string, RegExp>();

function globRegExp(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (re === undefined) {
    const body = pattern
      .split(/(\*\*|\*|\?)/)
      .map((piece) => {
        if (piece === '**') return '.*';
        if (piece === '*') return '[^/]*';
        if (piece === '?') return '[^/]';
        return escapeRegExp(piece);
      })
      .join('');
    re = new RegExp(`^${body}$`);
    compiled.set(pattern, re);
  }
  return re;
}

/** `registry/repository` of a reference, host in lower case: what patterns are matched against. */
export function imageName(ref: RegistryReference): string {
  return `${ref.registry.toLowerCase()}/${ref.repository}`;
}

export function patternMatches(pattern: string, name: string): boolean {
  return globRegExp(pattern).test(name);
}

/**
 * Specificity, most specific first: a pattern without wildcards beats any glob; then the
 * glob with more literal characters (`docker.io/rancher/fleet-*` over `docker.io/rancher/*`);
 * then the entry written first. Order in the file only breaks ties, so adding a broad
 * pattern at the top never silently takes over an image that has its own entry.
 */
function compareSpecificity(a: PolicyEntry, b: PolicyEntry): number {
  const wa = WILDCARD.test(a.pattern) ? 1 : 0;
  const wb = WILDCARD.test(b.pattern) ? 1 : 0;
  if (wa !== wb) return wa - wb;
  const la = a.pattern.replace(/[*?]/g, '').length;
  const lb = b.pattern.replace(/[*?]/g, '').length;
  if (la !== lb) return lb - la;
  return a.index - b.index;
}

/** Every entry whose pattern matches the image, the one that applies first. */
export function matchingEntries(entries: readonly PolicyEntry[], ref: RegistryReference): PolicyEntry[] {
  const name = imageName(ref);
  return entries.filter((e) => patternMatches(e.pattern, name)).sort(compareSpecificity);
}

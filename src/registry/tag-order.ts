/**
 * Release tags in the order a maintainer reads them: semantic versions newest first
 * (https://semver.org/#spec-item-11, with an optional leading "v"), prereleases below their
 * release, then every other tag alphabetically. cosign and referrers tags (`sha256-…`) are
 * not releases and are left out by `releaseTags`.
 */
import { compareSemver, parseSemver } from '../core/semver';

/** Ascending semver comparison; `undefined` when either is not a version. */
export function compareVersions(a: string, b: string): number | undefined {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  return pa && pb ? compareSemver(pa, pb) : undefined;
}

export function isVersionTag(tag: string): boolean {
  return parseSemver(tag) !== undefined;
}

/** Newest versions first, then the other tags alphabetically. */
export function sortTags(tags: readonly string[]): string[] {
  const versions = tags.filter(isVersionTag).sort((a, b) => compareVersions(b, a)! || a.localeCompare(b));
  const others = tags.filter((t) => !isVersionTag(t)).sort();
  return [...versions, ...others];
}

const ARTIFACT_TAG = /^sha(256|512)-[0-9a-f]+(\.[a-z]+)?$/;

/** Tags a user would pick a release from: no cosign or referrers-schema tags. */
export function releaseTags(tags: readonly string[]): string[] {
  return sortTags(tags.filter((t) => !ARTIFACT_TAG.test(t)));
}

/**
 * Release tags in the order a maintainer reads them: semantic versions newest first
 * (https://semver.org/#spec-item-11, with an optional leading "v"), prereleases below their
 * release, then every other tag alphabetically. cosign and referrers tags (`sha256-…`) are
 * not releases and are left out by `releaseTags`.
 */
const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

interface Parsed {
  nums: [number, number, number];
  pre: string[] | undefined;
}

function parse(tag: string): Parsed | undefined {
  const m = SEMVER.exec(tag);
  if (!m) return undefined;
  return { nums: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4]?.split('.') };
}

function comparePre(a: string[] | undefined, b: string[] | undefined): number {
  if (!a && !b) return 0;
  if (!a) return 1; // a release ranks above its prereleases
  if (!b) return -1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny && Number(x) !== Number(y)) return Number(x) - Number(y);
    if (nx !== ny) return nx ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Ascending semver comparison; `undefined` when either is not a version. */
export function compareVersions(a: string, b: string): number | undefined {
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return undefined;
  for (let i = 0; i < 3; i++) if (pa.nums[i] !== pb.nums[i]) return pa.nums[i]! - pb.nums[i]!;
  return comparePre(pa.pre, pb.pre);
}

export function isVersionTag(tag: string): boolean {
  return SEMVER.test(tag);
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

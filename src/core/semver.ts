/**
 * Semantic versions (https://semver.org), read once for release tags (newest first, the previous
 * release) and for GoReleaser's version fields and `incpatch`-style functions. Both accept a
 * leading `v`. GoReleaser reads tags with github.com/Masterminds/semver/v3 `NewVersion`, which
 * also accepts a missing minor or patch (`v1.2` is 1.2.0): that is `{ partial: true }`; ordering
 * release tags takes only complete versions, so `v1` or `v1.2` are not taken for releases.
 */
export interface Semver {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Dot-separated identifiers after `-`, '' for a release. */
  readonly prerelease: string;
  /** Build metadata after `+`, ''; it never orders versions (https://semver.org/#spec-item-10). */
  readonly metadata: string;
}

const IDENT = String.raw`(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)`;
const TAIL = String.raw`(?:-(${IDENT}(?:\.${IDENT})*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`;
const NUM = String.raw`(0|[1-9]\d*)`;
const COMPLETE = new RegExp(String.raw`^v?${NUM}\.${NUM}\.${NUM}${TAIL}`);
const PARTIAL = new RegExp(String.raw`^v?${NUM}(?:\.${NUM})?(?:\.${NUM})?${TAIL}`);

export function parseSemver(text: string, o: { partial?: boolean } = {}): Semver | undefined {
  const m = (o.partial ? PARTIAL : COMPLETE).exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), prerelease: m[4] ?? '', metadata: m[5] ?? '' };
}

/** Precedence (https://semver.org/#spec-item-11): negative when `a` is older than `b`. */
export function compareSemver(a: Semver, b: Semver): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === '') return 1; // a release ranks above its pre-releases
  if (b.prerelease === '') return -1;
  const x = a.prerelease.split('.');
  const y = b.prerelease.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i];
    const q = y[i];
    if (p === undefined) return -1; // fewer identifiers, all equal so far: lower
    if (q === undefined) return 1;
    const np = /^\d+$/.test(p);
    const nq = /^\d+$/.test(q);
    if (np && nq && Number(p) !== Number(q)) return Number(p) - Number(q);
    if (np !== nq) return np ? -1 : 1; // numeric identifiers rank below alphanumeric ones
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

/**
 * Semantic versions as GoReleaser reads them: github.com/Masterminds/semver/v3 `NewVersion`, which
 * accepts a leading `v` and missing minor/patch (`v1.2` is 1.2.0). GoReleaser fills `.Major`,
 * `.Minor`, `.Patch`, `.Prerelease` from the tag this way (internal/pipe/semver) and `incpatch`,
 * `incminor`, `incmajor` use the same type (internal/tmpl). The reader is src/core/semver.ts.
 */
import { parseSemver } from '../core/semver';
import type { Semver } from '../core/semver';

export type { Semver };

/** A version as Masterminds' `NewVersion` reads it (a missing minor or patch is 0), unlike `StrictNewVersion`. */
export function parseLooseSemver(text: string): Semver | undefined {
  return parseSemver(text, { partial: true });
}

export function formatSemver(v: Semver): string {
  return `${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}${v.metadata ? `+${v.metadata}` : ''}`;
}

/**
 * Masterminds' IncPatch/IncMinor/IncMajor: pre-release and metadata are dropped; IncPatch of a
 * pre-release only drops them (1.2.3-rc1 -> 1.2.3), per https://semver.org/#spec-item-9.
 * GoReleaser keeps a leading `v` (tmpl.prefix).
 */
export function incrementVersion(text: string, part: 'major' | 'minor' | 'patch'): string | undefined {
  const v = parseLooseSemver(text);
  if (!v) return undefined;
  const prefix = text.startsWith('v') ? 'v' : '';
  let next: Semver;
  if (part === 'major') next = { major: v.major + 1, minor: 0, patch: 0, prerelease: '', metadata: '' };
  else if (part === 'minor') next = { major: v.major, minor: v.minor + 1, patch: 0, prerelease: '', metadata: '' };
  else next = { ...v, patch: v.prerelease ? v.patch : v.patch + 1, prerelease: '', metadata: '' };
  return prefix + formatSemver(next);
}

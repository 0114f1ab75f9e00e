import type { ImageState } from '../model/verdict';
import type { DigestVerdict, ImageVerdict } from '../verify/image';

/**
 * One release, one table: a row per image and platform, as `provenance-lens verify --release`
 * prints it and a release job reads it (docs/verify-json.md, "verify --release"). Pure: the
 * verdicts come from `verifyImage`, the images from the goreleaser engine.
 */
export interface PlatformRow {
  /** `linux/arm64`, or `-` when the image lists no platform. */
  platform: string;
  digest: string;
  /** The platform's coverage, made `failed` when a required attestation does not cover it; `excepted` with the image. */
  state: ImageState;
  /** Who covers it: its own signers, or the index's (`(index)`), or attesters under signatures-or-attestations. */
  signedBy: string[];
  /** Verified attestations covering it (its own and the index's), by predicate type. */
  attestations: string[];
  /** Required attestations that do not cover it. */
  missing: string[];
}

/** One image of the release: what was rendered, read and verified, and its rows. */
export interface ReleaseImageResult {
  section: string;
  index: number;
  template: string;
  reference: string | null;
  /** When unresolved: the reference with `<.Env.X>` holes, as `release` shows it. */
  preview?: string;
  /** The rendered image's digest, when it was read. */
  digest?: string;
  verdict?: ImageVerdict;
  error?: { code: string; message: string; unresolved?: string[] };
  platforms: PlatformRow[];
  /**
   * When the policy pins no signer and the repository has an earlier release (previous tag by
   * semver): whether that release's signers differ from this image's (src/diff/previous.ts).
   */
  signerChanged?: boolean;
  /** The release `signerChanged` compares with. */
  previousRelease?: string;
}

/** The rows of one verified image: its platforms with who and what covers each. */
export function platformRows(verdict: ImageVerdict): PlatformRow[] {
  const index = verdict.digests.find((d) => d.target === 'index');
  const platforms = verdict.digests.filter((d) => d.target !== 'index');
  const missingFor = (target: string): string[] =>
    verdict.checks
      .filter((c) => c.code === 'REQUIRED_ATTESTATION' && c.status === 'fail' && (c.evidence?.platforms ?? []).includes(target))
      .map((c) => c.evidence?.predicateType ?? 'a required attestation');
  if (platforms.length === 0) {
    return [{ platform: '-', digest: index?.digest ?? '-', state: verdict.state, signedBy: [], attestations: [], missing: [] }];
  }
  return platforms.map((p) => {
    const missing = missingFor(p.target);
    let state: ImageState = p.state;
    if (verdict.state === 'excepted') state = 'excepted';
    else if (state === 'verified' && missing.length > 0) state = 'failed';
    return {
      platform: p.target,
      digest: p.digest,
      state,
      signedBy: coveredBy(p, index),
      attestations: [...new Set([...p.attestations, ...(index?.attestations ?? [])])],
      missing,
    };
  });
}

function coveredBy(p: DigestVerdict, index: DigestVerdict | undefined): string[] {
  if (p.ownState === 'verified') return p.coveredBy === 'attestation' ? (p.attestedBy ?? []).map((s) => `${s} (attestation)`) : p.signedBy;
  if (p.throughIndex && index !== undefined) {
    return index.coveredBy === 'attestation' ? (index.attestedBy ?? []).map((s) => `${s} (index attestation)`) : index.signedBy.map((s) => `${s} (index)`);
  }
  const unpinned = [...p.unpinnedBy, ...(index?.unpinnedBy ?? [])];
  return [...new Set(unpinned)].map((s) => `${s} (unpinned)`);
}

/** How a release job reads a set of image results. */
export interface ReleaseOutcome {
  images: number;
  verified: number;
  excepted: number;
  failed: number;
  unsigned: number;
  unpinned: number;
  /** Unresolved references, images that could not be read, verdicts `not-checked`. */
  notChecked: number;
  exitCode: 0 | 1 | 2;
}

/**
 * Exit 0 only when every image is verified or excepted; 1 when any verdict is something else
 * (failed, unsigned, unpinned, or not-checked: what could not be examined could be unsigned);
 * else 2 when an image reached no verdict at all (`undefined`: unresolved reference, unreadable
 * image), or when there was nothing to check (a release check that checks nothing must not pass).
 */
export function summarizeRelease(states: ReadonlyArray<ImageState | undefined>): ReleaseOutcome {
  const count = (s: ImageState) => states.filter((x) => x === s).length;
  const summary: ReleaseOutcome = {
    images: states.length,
    verified: count('verified'),
    excepted: count('excepted'),
    failed: count('failed'),
    unsigned: count('unsigned'),
    unpinned: count('unpinned'),
    notChecked: count('not-checked') + states.filter((x) => x === undefined).length,
    exitCode: 0,
  };
  if (summary.failed + summary.unsigned + summary.unpinned + count('not-checked') > 0) summary.exitCode = 1;
  else if (summary.notChecked > 0 || states.length === 0) summary.exitCode = 2;
  return summary;
}

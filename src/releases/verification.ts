/**
 * The port through which the release service asks the verification engine (src/verify) about
 * an image it has inspected, and lookups into the engine's result for the views. The engine's
 * own result type is kept whole: the image panel shows every check and its evidence.
 */
import type { Cause } from '../model/cause';
import { causePlatforms } from './cause-words';
import type { Artifact, ImageGraph } from '../model/image-graph';
import type { DigestState } from '../model/verdict';
import type { ArtifactVerification, ImageVerification } from '../verify/image';
export type { ArtifactVerification, ImageVerification } from '../verify/image';

/** `priority`: the image's turn for the registry's requests, as given to ReleaseServiceOptions.inspect. */
export type VerifyImage = (graph: ImageGraph, signal: AbortSignal, priority: number) => Promise<ImageVerification>;

/** The state of one digest (index or platform), with the index's signature counted for platforms. */
export function digestState(v: ImageVerification, digest: string): DigestState | undefined {
  return v.verdict.digests.find((d) => d.digest === digest)?.state;
}

/** Whether a platform's verified state comes from the index's signature (and not from its own). */
export function throughIndex(v: ImageVerification, digest: string): boolean {
  const d = v.verdict.digests.find((x) => x.digest === digest);
  return d !== undefined && d.throughIndex && d.ownState !== 'verified';
}

/** The engine's result for one artifact of the graph (results are in `graph.artifacts` order). */
export function artifactResult(graph: ImageGraph, v: ImageVerification, a: Artifact): ArtifactVerification | undefined {
  const i = graph.artifacts.indexOf(a);
  if (i >= 0 && v.artifacts[i]?.digest === a.digest) return v.artifacts[i];
  return v.artifacts.find((r) => r.digest === a.digest && r.coversDigest === a.coversDigest);
}

/** The sentences worth showing first: failing, then warning image-level checks, then the coverage. */
export function verificationReasons(v: ImageVerification): string[] {
  const failing = v.verdict.checks.filter((c) => c.status === 'fail').map((c) => c.message);
  const warning = v.verdict.checks.filter((c) => c.status === 'warn').map((c) => c.message);
  return [v.verdict.coverage, ...failing, ...warning].filter((s) => s !== '');
}

/**
 * Why the image is not verified, as the engine says it (`verdict.causes`, most important first);
 * empty for a verified or excepted image. The views only pick from these, never make their own.
 */
export function causesOf(v: ImageVerification): readonly Cause[] {
  return v.verdict.causes;
}

/** Whether a cause is about `digest` (by digest, or by the platforms or `index` it names). */
function isAbout(c: Cause, digest: string, target: string | undefined): boolean {
  if (c.digest !== undefined) return c.digest === digest;
  return target !== undefined && causePlatforms(c).includes(target);
}

/**
 * The causes about one digest. A platform that is not verified only because of the index (a
 * signature on the index by the wrong signer covers every platform, and fails each) has the
 * index's causes: they are its reason too.
 */
export function causesAbout(v: ImageVerification, digest: string): readonly Cause[] {
  const d = v.verdict.digests.find((x) => x.digest === digest);
  if (d?.state === 'verified') return [];
  const all = causesOf(v);
  const own = all.filter((c) => isAbout(c, digest, d?.target));
  if (own.length > 0 || d === undefined || d.target === 'index') return own;
  const index = v.verdict.digests.find((x) => x.target === 'index');
  return index ? all.filter((c) => isAbout(c, index.digest, 'index')) : [];
}

/**
 * The cause an artifact's own failure stands for: one about the digest it covers that names its
 * signer (a wrong identity), else one about that digest that names no signer (a signature that
 * does not verify). Undefined when the artifact passed, or the engine named none.
 */
export function artifactCause(v: ImageVerification, r: ArtifactVerification): Cause | undefined {
  if (r.state === 'verified' || r.state === 'unsigned') return undefined;
  const target = v.verdict.digests.find((d) => d.digest === r.coversDigest)?.target;
  const about = causesOf(v).filter((c) => isAbout(c, r.coversDigest, target));
  const named = about.find((c) => c.seen?.some((s) => ('identity' in s ? s.identity === r.identity : s.keyId === r.keyFingerprint)));
  if (named) return named;
  if (r.state === 'failed') return about.find((c) => c.code === 'INVALID_SIGNATURE');
  if (r.state === 'not-checked') return about.find((c) => c.code === 'NOT_CHECKED');
  return undefined;
}

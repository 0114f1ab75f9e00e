/**
 * The port through which the release service asks the verification engine (src/verify) about
 * an image it has inspected, and lookups into the engine's result for the views. The engine's
 * own result type is kept whole: the image panel shows every check and its evidence.
 */
import type { Artifact, ImageGraph } from '../model/image-graph';
import type { DigestState } from '../model/verdict';
import type { ArtifactVerification, ImageVerification } from '../verify/image';
export type { ArtifactVerification, ImageVerification } from '../verify/image';


export type VerifyImage = (graph: ImageGraph, signal: AbortSignal) => Promise<ImageVerification>;

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

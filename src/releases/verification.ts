/**
 * The port through which the release service asks the verification engine (src/verify) about
 * an image it has inspected. The host adapts the engine's result to this shape, so the views do
 * not depend on how the engine words its checks. Until an engine is plugged in, views show the
 * inspect-level states of verdict.ts, labelled "not verified".
 */
import type { ImageGraph } from '../registry/graph-types';

export type VerifiedState = 'verified' | 'unpinned' | 'failed' | 'unsigned' | 'not-checked';

/** What the engine said about one artifact (a signature, an attestation). */
export interface ArtifactVerdict {
  readonly state: 'pass' | 'fail' | 'warn' | 'unsigned' | 'not-checked';
  readonly identity?: string;
  readonly issuer?: string;
  /** The first failing check's sentence, when it failed. */
  readonly reason?: string;
}

export interface ImageVerification {
  readonly state: VerifiedState;
  /** By covered digest: the index and each platform. */
  readonly digests: Readonly<Record<string, VerifiedState>>;
  /** By artifact digest. */
  readonly artifacts: Readonly<Record<string, ArtifactVerdict>>;
  /** The engine's sentences for what failed or needs a look, most important first. */
  readonly reasons: readonly string[];
}

export type VerifyImage = (graph: ImageGraph, signal: AbortSignal) => Promise<ImageVerification>;

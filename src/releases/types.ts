/**
 * The model the release views show: releases (a goreleaser config, the images a user added,
 * the images checked this session), their images, and the state of each image as it loads.
 * Pure data: labels, icons and sentences are made at the edge (src/views).
 */
import type { VerdictState } from '../model/verdict';
import type { ImageGraph } from '../model/image-graph';
import type { ImageVerification } from './verification';

/** `workspace`: the images the workspace's Dockerfiles, compose files, manifests, charts and workflows name. */
export type ReleaseOrigin = 'goreleaser' | 'user' | 'session' | 'workspace';

/** One image a release publishes. */
export interface ReleaseImageSpec {
  /** The reference to inspect (rendered for goreleaser), normalised; null when it cannot be rendered. */
  readonly reference: string | null;
  /** As written in the config (goreleaser), for tooltips. */
  readonly template?: string;
  /** Variables a goreleaser template waits for (`.Env.REGISTRY`); set when `reference` is null. */
  readonly unresolved?: readonly string[];
  /** What the reference looks like with holes, when it cannot be rendered. */
  readonly preview?: string;
  /** Where it comes from, for people: `dockers_v2[0]`. */
  readonly origin?: string;
  /** 1-based position in the file (goreleaser, workspace). */
  readonly line?: number;
  readonly column?: number;
  /** Absolute path of the file that names it (workspace: the tree groups images by file). */
  readonly file?: string;
}

export interface Release {
  /** Stable: `user`, `session`, `workspace`, or `goreleaser:<file>`. */
  readonly id: string;
  readonly origin: ReleaseOrigin;
  /** The project name (goreleaser) or empty (user/session: the edge names them). */
  readonly name: string;
  /** Absolute path of the goreleaser file. */
  readonly file?: string;
  /** The tag the images were rendered for (goreleaser), or the tag picked by the user. */
  readonly tag?: string;
  readonly images: readonly ReleaseImageSpec[];
  /** Why the release could not be read at all (bad YAML): shown as a node. */
  readonly problem?: string;
}

/** Why an image could not be inspected: the facts of a LensError, safe to show. */
export interface LoadFailure {
  readonly code: string;
  readonly message: string;
  readonly registry?: string;
  /** RATE_LIMITED: when the registry said to come back (ISO 8601). */
  readonly retryAt?: string;
}

export type ImageLoad =
  | { readonly status: 'idle' }
  /** `queued`: waiting for its turn among the images read at once (nothing asked of the registry yet). */
  | { readonly status: 'loading'; readonly queued?: true }
  | {
      readonly status: 'loaded';
      readonly graph: ImageGraph;
      readonly verification?: ImageVerification;
      readonly verificationFailure?: LoadFailure;
      readonly verifying?: boolean;
      readonly ms: number;
    }
  | { readonly status: 'failed'; readonly failure: LoadFailure };

/** Failed, or read and verified (or not verifiable): nothing more will come of this load. */
export function loadSettled(load: ImageLoad): boolean {
  return load.status === 'failed' || (load.status === 'loaded' && !load.verifying);
}

/** Being read, or read and being verified: neither idle nor settled. */
export function loadUnderWay(load: ImageLoad): boolean {
  return load.status !== 'idle' && !loadSettled(load);
}

/**
 * What we can say about an image or a digest: the verification engine's state
 * (src/model/verdict.ts, EngineState), or what inspection alone shows (InspectState), which the
 * edge always labels "not verified".
 */
export interface Verdict {
  readonly state: Exclude<VerdictState, 'not-verified'>;
  /** True when the verification engine produced it; false for inspect-level states. */
  readonly verified: boolean;
  /** Inspect level: the signature that covers a platform is on the index, not on the platform. */
  readonly viaIndex?: boolean;
}

// The shapes of a trusted root and of the facts reported about it. Types only: the
// modules that load (trust-root), parse (trust-parse), cache (trust-cache) and refresh
// (trust-refresh) a root share them without importing each other's code.
import type { TrustedRoot } from '@sigstore/protobuf-specs';

export type TrustRootSource =
  | { kind: 'embedded'; package: string; version: string; tufRepository: string }
  | { kind: 'file'; path: string }
  /**
   * Downloaded from a TUF repository and verified by the TUF client workflow
   * (https://theupdateframework.github.io/specification/latest/#detailed-client-workflow),
   * then kept in the cache: this run or an earlier one.
   */
  | { kind: 'tuf'; tufRepository: string; refreshedAt: string; refreshAgeDays: number };

/**
 * What became of the TUF refresh of this load. Absent when none was attempted (offline,
 * a `trusted_root.json` file given, or no cache directory).
 * - `refreshed`: it finished within the wait and its root is the one in use.
 * - `failed`: refused (bad signature, expired or rolled-back metadata) or unreachable; the
 *   previous root is in use. A refusal never replaces the cache.
 * - `pending`: no answer within the wait; the previous root is in use, the refresh goes on
 *   and, if it succeeds, its root is cached for the next load.
 */
export interface TrustRefreshReport {
  tufRepository: string;
  status: 'refreshed' | 'failed' | 'pending';
  /** refreshed: whether its root differs from the one the load would otherwise have used. */
  changed?: boolean;
  /** failed: TIMEOUT, NETWORK (unreachable, TLS, HTTP error), PROTOCOL (TUF refused the metadata) or USAGE (the cache cannot be written). */
  code?: 'TIMEOUT' | 'NETWORK' | 'PROTOCOL' | 'USAGE';
  /** failed / pending: why, as the TUF client said it. */
  reason?: string;
  /** How long the load waited for the refresh, in ms. */
  waitedMs: number;
}

export interface TrustRootInfo {
  /** Which Sigstore instance this root belongs to, recognised from its service URLs. */
  instance: 'sigstore-public-good' | 'sigstore-staging' | 'github' | 'custom';
  source: TrustRootSource;
  mediaType: string;
  /** sha256 of the trusted_root.json bytes: names exactly which root was used. */
  sha256: string;
  /** Newest `validFor.start` among all keys and CAs: when this root last gained a key. */
  newestKeyStart?: string;
  /** Whole days from `newestKeyStart` to the time of loading. */
  ageDays?: number;
  /** Whether the root in use was downloaded through TUF during this load. */
  refreshed: boolean;
  refresh?: TrustRefreshReport;
  /** Other facts about the choice, e.g. a cached refresh that was ignored and why. */
  notes?: string[];
  counts: { certificateAuthorities: number; tlogs: number; ctlogs: number; timestampAuthorities: number };
}

/** The outcome of a refresh, for callers that watch one finish (never rejects). */
export type TrustRefreshOutcome =
  | { ok: true; tufRepository: string; root: TrustRoot; changed: boolean }
  | { ok: false; tufRepository: string; code: 'TIMEOUT' | 'NETWORK' | 'PROTOCOL' | 'USAGE'; reason: string };

export interface TrustRoot {
  readonly info: TrustRootInfo;
  readonly root: TrustedRoot;
  /**
   * Online loads only: the refresh this load started. Already settled unless the report
   * says `pending`; the VS Code side may reload the root when it brings a changed one.
   */
  readonly refreshing?: Promise<TrustRefreshOutcome>;
  /**
   * Default loads only (no trusted_root.json file, no private PKI): the roots of the other
   * instances whose seeds ship with Provenance Lens (GitHub's, beside public-good), loaded and
   * refreshed with this one. A bundle is verified against the one its certificate's issuer and
   * its timestamps fit (trust-choose.ts); this root stays the one reported for the run.
   */
  readonly siblings?: readonly TrustRoot[];
}

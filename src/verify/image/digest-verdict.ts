import { keyName } from '../../model/cause';
import type { GraphProblem, ImageGraph } from '../../model/image-graph';
import { digestTag } from '../../registry/digest';
import type { CoverageRule } from '../policy';
import type { ArtifactState, DigestState } from '../../model/verdict';
import { isSignerMismatch } from './cause-classify';
import type { ArtifactVerification } from './verify-artifact';

/**
 * The verdict on one digest of an image (the index, or one platform manifest): which
 * signatures cover it directly, and for platforms whether the index's signature covers
 * them. A signature on an index covers every platform it lists: the index names each
 * platform manifest by digest, so signing the index signs them all
 * (https://github.com/opencontainers/image-spec/blob/main/image-index.md; README.md,
 * "What \"verified\" means").
 *
 * Under `coverage: signatures-or-attestations` (image-policy.ts) a verified attestation on a
 * digest covers it like a signature (slsa-verifier's rule); `coveredBy` says which did.
 */
export interface DigestVerdict {
  digest: string;
  /** `index`, or the platform (`linux/arm64`). */
  target: string;
  /**
   * This digest's own signatures' state (before coverage through the index); under
   * `coverage: signatures-or-attestations`, its signatures' and attestations'.
   */
  ownState: DigestState;
  /** When `ownState` is verified: by a signature, or (signatures-or-attestations only) by an attestation alone. */
  coveredBy?: 'signature' | 'attestation';
  /** Platforms: the state with the index's signature counted. The index: its own state. */
  state: DigestState;
  /** Platforms: covered by a verified signature on the index, or on a nested index that lists it. */
  throughIndex: boolean;
  /** Platforms covered through a nested index: which one (the image's own index when absent). */
  throughDigest?: string;
  /**
   * Platforms: why the entry could not be examined as an image manifest (PlatformEntry.problem).
   * Such a platform is not-checked whatever signs it: a runtime could still pull it.
   */
  unexamined?: { code: string; message: string };
  /** Who made the verified signatures directly on this digest (identity, or key fingerprint). */
  signedBy: string[];
  /** Valid signatures whose identity nothing pinned. */
  unpinnedBy: string[];
  /**
   * Who made the signatures on this digest that verify in every respect but their signer (identity,
   * issuer, pinned GitHub claims): "signed by someone else", never "does not verify". Only when any.
   */
  mismatchedBy?: string[];
  /** Predicate types of verified attestations directly on this digest. */
  attestations: string[];
  /** Who made the verified attestations directly on this digest (identity, or key fingerprint). */
  attestedBy?: string[];
  /** Parts of the graph about this digest that could not be read. */
  problems: GraphProblem[];
}

export function signerLabel(a: ArtifactVerification): string {
  if (a.identity !== undefined) return a.identity;
  return a.keyFingerprint ? keyName(a.keyFingerprint) : 'an unknown signer';
}

/** Problems the graph recorded about this digest: its manifest, its cosign tags, its referrers. */
export function problemsFor(graph: ImageGraph, digest: string): GraphProblem[] {
  const tag = digestTag(digest);
  return graph.problems.filter((p) => p.at === digest || p.at.startsWith(`${tag}.`) || p.at === tag || p.at === `referrers of ${digest}`);
}

export function digestVerdicts(graph: ImageGraph, results: readonly ArtifactVerification[], rule: CoverageRule = 'signatures'): DigestVerdict[] {
  return coverageOf(graph, results, rule).digests;
}

/** The verdicts of the index and platforms (`digests`), and of the nested indexes between them. */
export interface Coverage {
  digests: DigestVerdict[];
  nested: Map<string, DigestVerdict>;
}

/**
 * Which signatures cover which digest. A platform is covered by its own verified signature, or by
 * one on any index above it (the image's index, or a nested index listing it): each index names
 * its entries by digest. A platform that could not be examined is never covered.
 */
export function coverageOf(graph: ImageGraph, results: readonly ArtifactVerification[], rule: CoverageRule = 'signatures'): Coverage {
  // A walk that left signatures unread (its artifact cap) leaves every digest it did not cover unknown.
  const unreadEverywhere = graph.problems.some((p) => p.cut?.cap === 'artifacts');
  const direct = (digest: string): ArtifactVerification[] => results.filter((r, i) => r.coversDigest === digest && !graph.artifacts[i]?.depth);
  const one = (digest: string, target: string): DigestVerdict => {
    const mine = direct(digest);
    const signatures = mine.filter((r) => r.kind === 'signature' && r.format !== 'buildkit-index');
    // BuildKit's statements are never verified, so they never cover anything.
    const attestations = mine.filter((r) => r.kind !== 'signature' && r.format !== 'buildkit-index');
    const candidates = rule === 'signatures-or-attestations' ? [...signatures, ...attestations] : signatures;
    const problems = problemsFor(graph, digest);
    // What could not be read might have covered the digest; BuildKit's statements never could.
    const ownState = combine(
      candidates.map((r) => r.state),
      unreadEverywhere || problems.length > 0 || mine.some((r) => r.state === 'not-checked' && r.format !== 'buildkit-index'),
    );
    const verdict: DigestVerdict = {
      digest,
      target,
      ownState,
      state: ownState,
      throughIndex: false,
      signedBy: unique(signatures.filter((r) => r.state === 'verified').map(signerLabel)),
      unpinnedBy: unique(candidates.filter((r) => r.state === 'unpinned').map(signerLabel)),
      attestations: unique(attestations.filter((r) => r.state === 'verified' && r.predicateType !== undefined).map((r) => r.predicateType!)),
      attestedBy: unique(attestations.filter((r) => r.state === 'verified').map(signerLabel)),
      problems,
    };
    const mismatched = unique(candidates.filter(isSignerMismatch).map(signerLabel));
    if (mismatched.length > 0) verdict.mismatchedBy = mismatched;
    if (ownState === 'verified') verdict.coveredBy = verdict.signedBy.length > 0 ? 'signature' : 'attestation';
    return verdict;
  };
  const digests: DigestVerdict[] = [];
  const index = graph.kind === 'index' ? one(graph.digest, 'index') : undefined;
  if (index !== undefined) digests.push(index);
  const nested = new Map((graph.indexes ?? []).map((n) => [n.digest, one(n.digest, `index ${n.digest}`)]));
  for (const p of graph.platforms) {
    const v = one(p.digest, p.platform);
    const above = [index, ...(p.via ?? []).map((d) => nested.get(d))].filter((x): x is DigestVerdict => x !== undefined);
    const covering = above.find((i) => i.ownState === 'verified');
    if (above.length > 0) {
      v.throughIndex = covering !== undefined;
      if (covering !== undefined && covering !== index) v.throughDigest = covering.digest;
      v.state = v.throughIndex || v.ownState === 'verified' ? 'verified' : above.reduce<DigestState>((s, i) => combineStates(s, i.ownState), v.ownState);
    }
    if (p.problem !== undefined) {
      v.unexamined = p.problem;
      v.state = 'not-checked';
    }
    digests.push(v);
  }
  return { digests, nested };
}

/**
 * A digest's state from its signatures: verified if any verifies (cosign accepts an image
 * when one signature verifies; others are shown), else the most telling of the rest.
 * Unreadable parts make an otherwise unsigned digest "not checked", never "unsigned".
 */
function combine(states: readonly ArtifactState[], unread: boolean): DigestState {
  if (states.includes('verified')) return 'verified';
  if (states.includes('unpinned')) return 'unpinned';
  if (states.includes('failed')) return 'failed';
  if (unread) return 'not-checked';
  return 'unsigned';
}

/** A platform with no verified signature of its own or on its index. */
function combineStates(own: DigestState, index: DigestState): DigestState {
  for (const s of ['unpinned', 'failed', 'not-checked'] as const) if (own === s || index === s) return s;
  return 'unsigned';
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}

import type { Cut, ImageGraph } from '../../model/image-graph';
import type { DigestState } from '../../model/verdict';
import type { DigestVerdict } from './digest-verdict';
import type { CoverageRule } from '../policy';

/**
 * The coverage of an image in one plain sentence, e.g. "index signed by X; linux/amd64 and
 * linux/arm64 covered through the index; no platform-level signature". It names which
 * digest each signature covers rather than calling a platform "unsigned" when the index
 * that lists it is signed (README.md, "What \"verified\" means"). Where the coverage rule
 * decides something (an attestation covers a digest, or would under the other rule), the rule
 * is named.
 */
const WHY: Record<Exclude<DigestState, 'verified'>, string> = {
  unsigned: 'no signature',
  failed: 'signature does not verify',
  unpinned: 'valid signature, but no identity pinned',
  'not-checked': 'could not be read',
};

const WHY_EITHER: Record<Exclude<DigestState, 'verified'>, string> = {
  unsigned: 'no signature or attestation',
  failed: 'no signature or attestation verifies',
  unpinned: 'valid signature or attestation, but no identity pinned',
  'not-checked': 'could not be read',
};

const SLSA_PROVENANCE = /^https:\/\/slsa\.dev\/provenance\//;

/** "SLSA provenance attestation", or the predicate type, for sentences about what covered a digest. */
export function attestationNoun(predicateTypes: readonly string[]): string {
  if (predicateTypes.length > 0 && predicateTypes.every((t) => SLSA_PROVENANCE.test(t))) return 'SLSA provenance attestation';
  return predicateTypes.length === 1 ? `attestation (${predicateTypes[0]})` : 'attestation';
}

/** What the sentence is made of: the verdict per digest, the rule that applied, an exception. */
export interface CoverageFacts {
  readonly coverageRule?: CoverageRule;
  readonly digests: readonly DigestVerdict[];
  readonly exception?: { readonly reason: string };
}

export function coverageSentence(graph: ImageGraph, verdict: CoverageFacts): string {
  const rule: CoverageRule = verdict.coverageRule ?? 'signatures';
  const index = verdict.digests.find((d) => d.target === 'index');
  const platforms = verdict.digests.filter((d) => d.target !== 'index');
  const byAttestation = (d: DigestVerdict) => d.ownState === 'verified' && d.coveredBy === 'attestation';
  const parts: string[] = [];
  if (verdict.exception !== undefined) parts.push(`not signed, excepted by the policy: ${verdict.exception.reason}`);

  if (index !== undefined) parts.push(indexPart(index, rule));
  for (const [signer, list] of group(
    platforms.filter((p) => p.ownState === 'verified' && !byAttestation(p)),
    (p) => p.signedBy.join(', '),
  )) {
    parts.push(`${names(list)} signed by ${signer}`);
  }
  for (const [noun, list] of group(platforms.filter(byAttestation), (p) => `${attestationNoun(p.attestations)} by ${(p.attestedBy ?? []).join(', ')}`)) {
    parts.push(`${names(list)} covered by a verified ${noun} (coverage: ${rule})`);
  }
  const through = platforms.filter((p) => p.throughIndex && p.ownState !== 'verified');
  if (through.length > 0) {
    parts.push(
      index !== undefined && byAttestation(index)
        ? `${names(through)} covered by a verified ${attestationNoun(index.attestations)} on the index (coverage: ${rule})`
        : `${names(through)} covered through the index`,
    );
  }
  const why = rule === 'signatures' ? WHY : WHY_EITHER;
  // A platform whose failing signatures (its own, the index's) all verify but for their signer was signed by someone else.
  const mismatched = (p: DigestVerdict): string => {
    const sources = [p, index].filter((d): d is DigestVerdict => d !== undefined && d.ownState === 'failed');
    return p.state === 'failed' && sources.length > 0 && sources.every((d) => (d.mismatchedBy?.length ?? 0) > 0)
      ? unique(sources.flatMap((d) => d.mismatchedBy!)).join(', ')
      : '';
  };
  for (const [key, list] of group(
    platforms.filter((p) => p.state !== 'verified'),
    (p) => `${p.state}\0${mismatched(p)}`,
  )) {
    const [state, by] = key.split('\0') as [Exclude<DigestState, 'verified'>, string];
    const reason = by !== '' ? `signed by ${by}, not the signer the policy expects` : why[state];
    parts.push(
      `${names(list)} not covered (${reason}${list.some((p) => p.unpinnedBy.length > 0) && state === 'unpinned' ? `: ${unique(list.flatMap((p) => p.unpinnedBy)).join(', ')}` : ''})`,
    );
  }
  if (index?.state === 'verified' && !byAttestation(index) && platforms.length > 0 && !platforms.some((p) => p.ownState === 'verified' && !byAttestation(p)))
    parts.push('no platform-level signature');

  const attested: string[] = [];
  for (const [type, list] of group(
    verdict.digests.filter((d) => d.attestations.length > 0).flatMap((d) => d.attestations.map((t) => ({ t, d }))),
    (x) => x.t,
  )) {
    attested.push(`${type} on ${names(list.map((x) => x.d))}`);
  }
  if (attested.length > 0) parts.push(`verified attestations: ${attested.join(', ')}`);
  // Say why a verified attestation did not save an uncovered platform: the rule.
  if (rule === 'signatures' && platforms.some((p) => p.state !== 'verified') && verdict.digests.some((d) => (d.attestedBy?.length ?? 0) > 0)) {
    parts.push('attestations do not count as signatures (coverage: signatures)');
  }
  // What the walk's caps left unread is said, whether or not it changed the verdict.
  const cuts = graph.problems.flatMap((p) => (p.cut ? [p.cut] : []));
  if (cuts.length > 0) parts.push(`not examined: ${unique(cuts.map(cutPhrase)).join(', ')}`);
  if (graph.kind === 'manifest' && platforms.length === 1 && parts.length === 0) parts.push('nothing covers this image');
  return parts.join('; ');
}

function cutPhrase(c: Cut): string {
  switch (c.cap) {
    case 'platforms':
      return `${c.unread} index entries (at most ${c.limit} platforms are examined)`;
    case 'nesting':
      return `${c.unread} entries of an index nested more than ${c.limit} levels deep`;
    case 'attestation-manifests':
      return `${c.unread} BuildKit attestation manifests (unsigned; they never change the verdict)`;
    case 'layers':
      return `${c.unread} layers of a signature or attestation manifest (at most ${c.limit})`;
    case 'artifacts':
      return `${c.unread} signatures, attestations and SBOMs (at most ${c.limit} per image)`;
    case 'statements':
      return `${c.unread} unsigned BuildKit statements (at most ${c.limit} per image)`;
    case 'referrers':
      return c.unread > 0 ? `${c.unread} referrers (at most ${c.limit} per digest)` : 'referrers on pages the registry kept sending';
    case 'nested-referrers':
      return `the referrers of ${c.unread} artifacts (at most ${c.limit} lookups)`;
  }
}

function indexPart(index: DigestVerdict, rule: CoverageRule): string {
  if (index.signedBy.length > 0) return `index signed by ${index.signedBy.join(', ')}`;
  if (index.ownState === 'verified' && index.coveredBy === 'attestation') return `index not signed, attested by ${(index.attestedBy ?? []).join(', ')}`;
  if (index.unpinnedBy.length > 0)
    return `index has a valid ${rule === 'signatures' ? 'signature' : 'signature or attestation'} by ${index.unpinnedBy.join(', ')}, but no identity was pinned`;
  if (index.ownState === 'failed' && (index.mismatchedBy?.length ?? 0) > 0)
    return `index signed by ${index.mismatchedBy!.join(', ')}, not the signer the policy expects`;
  if (index.ownState === 'failed') return 'the index signature does not verify';
  if (index.ownState === 'not-checked') return 'the index signatures could not be read';
  return 'index not signed';
}

function names(list: ReadonlyArray<{ target: string }>): string {
  return targetNames(list.map((d) => d.target));
}

/** `the index, linux/amd64 and linux/arm64`: targets as a sentence names them. */
export function targetNames(targets: readonly string[]): string {
  const n = targets.map((t) => (t === 'index' ? 'the index' : t));
  if (n.length <= 1) return n.join('');
  return `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}`;
}

function group<T>(list: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of list) {
    const k = key(x);
    out.set(k, [...(out.get(k) ?? []), x]);
  }
  return out;
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}

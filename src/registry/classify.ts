import type { ArtifactKind } from '../model/image-graph';
import type { Descriptor } from '../model/oci';
import { Annotation, MediaType } from './media-types';

/** Predicate types that are SBOMs rather than provenance or other claims. */
const SBOM_PREDICATES = [/^https:\/\/spdx\.dev\/Document/, /^https:\/\/cyclonedx\.org\/bom/];
const SBOM_TYPES = new Set([
  'application/spdx+json',
  'text/spdx',
  'application/vnd.cyclonedx+json',
  'application/vnd.cyclonedx+xml',
  'application/vnd.syft+json',
]);
/**
 * cosign v3 signs with an in-toto statement of this predicate type, in a bundle referrer
 * (https://github.com/sigstore/cosign/blob/main/specs/BUNDLE_SPEC.md).
 */
export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';

export function kindForPredicate(predicateType: string | undefined): ArtifactKind {
  if (predicateType && SBOM_PREDICATES.some((r) => r.test(predicateType))) return 'sbom';
  if (predicateType === COSIGN_SIGN_PREDICATE) return 'signature';
  return 'attestation';
}

export function predicateOf(d: Descriptor): string | undefined {
  const a = d.annotations ?? {};
  return a[Annotation.bundlePredicateType] ?? a[Annotation.inTotoPredicateType] ?? a[Annotation.cosignPredicateType];
}

/** What a referrer is, from its descriptor alone (no extra request). */
export function classifyReferrer(d: Descriptor): ArtifactKind {
  const type = d.artifactType ?? '';
  const predicate = predicateOf(d);
  if (type.startsWith(MediaType.sigstoreBundlePrefix)) {
    const content = d.annotations?.[Annotation.bundleContent];
    if (content === 'message-signature') return 'signature';
    if (content === 'dsse-envelope' || predicate) return kindForPredicate(predicate);
    return 'other';
  }
  if (type === 'application/vnd.dev.cosign.artifact.sig.v1+json') return 'signature';
  if (SBOM_TYPES.has(type)) return 'sbom';
  if (type === MediaType.inTotoStatement || type === MediaType.dsseEnvelope || type === MediaType.buildkitAttestationManifest)
    return kindForPredicate(predicate);
  if (type === 'application/vnd.dev.cosign.artifact.sbom.v1+json') return 'sbom';
  return 'other';
}

/** cosign tag suffixes (https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md). */
export const COSIGN_SUFFIXES: Array<{ suffix: 'sig' | 'att' | 'sbom'; kind: ArtifactKind }> = [
  { suffix: 'sig', kind: 'signature' },
  { suffix: 'att', kind: 'attestation' },
  { suffix: 'sbom', kind: 'sbom' },
];

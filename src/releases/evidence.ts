/**
 * What covers a digest, as the tree shows it under an image or a platform: every signature,
 * attestation and SBOM attached to it (cosign tags, OCI referrers, BuildKit's in-index
 * statements), artifacts about artifacts nested below, and who signed as far as inspection
 * alone can tell. Nothing here is verified. Where each lives:
 * https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md,
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers,
 * https://github.com/moby/buildkit/blob/master/docs/attestations/attestation-storage.md.
 */
import type { Artifact, ImageGraph, PlatformEntry } from '../model/image-graph';
import { Annotation } from '../registry/media-types';
import { certificateSigner } from '../claims/certificate-fields';

export type SignedBy =
  /** A Fulcio (keyless) certificate in the cosign annotations: its SAN and OIDC issuer. */
  | { readonly kind: 'certificate'; readonly identity?: string; readonly issuer?: string }
  /** A signature without a certificate: made with a key the policy must name. */
  | { readonly kind: 'key' }
  /** A Sigstore bundle referrer: the signer is inside the bundle. */
  | { readonly kind: 'bundle' }
  /** BuildKit's in-index statements and cosign `.sbom` attachments carry no signature. */
  | { readonly kind: 'unsigned'; readonly why: 'buildkit' | 'attachment' }
  | { readonly kind: 'unknown' };

export interface ArtifactEntry {
  readonly artifact: Artifact;
  readonly signedBy: SignedBy;
  /** Artifacts about this one (a signature on an SBOM). */
  readonly children: readonly ArtifactEntry[];
}

function fromCertificate(pem: string): SignedBy {
  return { kind: 'certificate', ...certificateSigner(pem) };
}

/** Per artifact of a loaded graph (immutable once walked): the tree asks again at every redraw, and reading a certificate is an X.509 parse. */
const signers = new WeakMap<Artifact, SignedBy>();

/** Who signed an artifact, from its descriptor's annotations alone. */
export function signedBy(a: Artifact): SignedBy {
  let known = signers.get(a);
  if (!known) signers.set(a, (known = readSignedBy(a)));
  return known;
}

function readSignedBy(a: Artifact): SignedBy {
  if (a.format === 'buildkit-index') return { kind: 'unsigned', why: 'buildkit' };
  const annotations = a.annotations ?? {};
  if (a.format === 'cosign-tag') {
    const cert = annotations[Annotation.cosignCertificate];
    if (cert) return fromCertificate(cert);
    if (a.tag?.endsWith('.sbom')) return { kind: 'unsigned', why: 'attachment' };
    // `.att` layers keep the signature inside the DSSE envelope; `.sig` layers in the annotation.
    if (annotations[Annotation.cosignSignature] !== undefined) return { kind: 'key' };
    return { kind: 'unknown' };
  }
  if (a.artifactType?.startsWith('application/vnd.dev.sigstore.bundle')) return { kind: 'bundle' };
  return { kind: 'unknown' };
}

function entry(graph: ImageGraph, a: Artifact, seen: Set<string>): ArtifactEntry {
  seen.add(a.digest);
  const children = graph.artifacts.filter((x) => x.depth && x.coversDigest === a.digest && !seen.has(x.digest)).map((x) => entry(graph, x, seen));
  return { artifact: a, signedBy: signedBy(a), children };
}

/** The artifacts attached to `digest` (depth 0), each with what is attached to it. */
export function artifactsCovering(graph: ImageGraph, digest: string): ArtifactEntry[] {
  const seen = new Set<string>();
  return graph.artifacts.filter((a) => !a.depth && a.coversDigest === digest).map((a) => entry(graph, a, seen));
}

/** A platform by its manifest digest. */
export function platformOf(graph: ImageGraph, digest: string): PlatformEntry | undefined {
  return graph.platforms.find((p) => p.digest === digest);
}

/** Problems the graph recorded about this digest (or its cosign tags and referrers). */
export function problemsAbout(graph: ImageGraph, digest: string): ImageGraph['problems'] {
  const hex = digest.replace(/^sha256:/, '');
  return graph.problems.filter((p) => p.at === digest || p.at.includes(hex));
}

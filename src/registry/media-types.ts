/**
 * Media types we meet, from the OCI image spec
 * (https://github.com/opencontainers/image-spec/blob/main/media-types.md),
 * Docker's image manifest v2 schema 2, cosign and Sigstore.
 */
export const MediaType = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  cosignSimpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
  dsseEnvelope: 'application/vnd.dsse.envelope.v1+json',
  inTotoStatement: 'application/vnd.in-toto+json',
  sigstoreBundlePrefix: 'application/vnd.dev.sigstore.bundle',
  sigstoreBundleV03: 'application/vnd.dev.sigstore.bundle.v0.3+json',
  buildkitAttestationManifest: 'application/vnd.docker.attestation.manifest.v1+json',
} as const;

/**
 * Every manifest type we read, in preference order. Sending the full list matters:
 * distribution answers 404 for an OCI manifest without it, and converts a Docker
 * manifest list to schema 1 (another digest) when it is missing.
 */
export const MANIFEST_ACCEPT = [MediaType.ociIndex, MediaType.ociManifest, MediaType.dockerManifestList, MediaType.dockerManifest].join(', ');

export function isIndexMediaType(mt: string | undefined): boolean {
  return mt === MediaType.ociIndex || mt === MediaType.dockerManifestList;
}

export function isManifestMediaType(mt: string | undefined): boolean {
  return mt === MediaType.ociManifest || mt === MediaType.dockerManifest;
}

/**
 * BuildKit and cosign annotation keys:
 * https://github.com/moby/buildkit/blob/master/docs/attestations/attestation-storage.md,
 * https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md.
 */
export const Annotation = {
  referenceType: 'vnd.docker.reference.type',
  referenceDigest: 'vnd.docker.reference.digest',
  inTotoPredicateType: 'in-toto.io/predicate-type',
  cosignPredicateType: 'predicateType',
  cosignSignature: 'dev.cosignproject.cosign/signature',
  cosignCertificate: 'dev.sigstore.cosign/certificate',
  cosignChain: 'dev.sigstore.cosign/chain',
  cosignBundle: 'dev.sigstore.cosign/bundle',
  cosignRfc3161: 'dev.sigstore.cosign/rfc3161timestamp',
  bundleContent: 'dev.sigstore.bundle.content',
  bundlePredicateType: 'dev.sigstore.bundle.predicateType',
  created: 'org.opencontainers.image.created',
} as const;

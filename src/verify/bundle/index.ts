// The bundle room: one Sigstore bundle verified against a trusted root and an identity policy
// (verify-blob), as sigstore-js packages/verify does: bundle parsing, cosign's annotations
// converted to a bundle, @sigstore/verify with its trust material prepared once (chain-cache),
// transparency-log and checkpoint checks, certificates and their extended key usage. Pure: no
// files, no network; the bytes are fetched beforehand. Outside this folder, import from here.
export { artifactFromDigest } from './artifact';
export type { BlobArtifact } from './artifact';
export { parseBundle } from './bundle-input';
export { leafCertificate, parseCertificate } from './certificate';
export { bundleFromCosignAttestation, bundleFromCosignSignature } from './cosign-bundle';
export type { Conversion } from './cosign-bundle';
export { verifyBlob } from './verify-blob';
export type { BlobVerification } from './verify-blob';

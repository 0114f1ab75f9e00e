// The image room: verdicts over an image's graph. Each artifact (cosign tag, referrer, BuildKit
// statement) checked against the digest it covers, under the image policy (bundle-run,
// verify-artifact), then a verdict per digest and per image with its coverage sentence. Pure:
// the content is fetched beforehand (src/verify/verify-image.ts). Outside this folder, import
// from here. This door exports types and light helpers only: the panel and the views load it
// when the extension starts, so the verification itself (verify-graph, which loads
// @sigstore/verify) is reached through src/verify, loaded on first use.
export { imageCauses } from './causes';
export type { CauseFacts } from './causes';
export { signerOf } from './cause-classify';
export { expectedSide } from './cause-message';
export type { DigestVerdict } from './digest-verdict';
export type { ImageCheck, ImageEvidence } from './image-checks';
export type { ImageVerdict } from './image-verdict';
export { unpinnedSigners } from './unpinned-signers';
export type { GithubCertificateClaims } from '../../claims/certificate-fields';
export type { ArtifactVerification, TrustRootUsed } from './verify-artifact';
export type { ImageVerification } from './verify-graph';

// The verifier, in four rooms, each importing only those before it: trust (what may be relied
// on) < policy (what is required) < bundle (one Sigstore bundle) < image (verdicts over a
// graph). Outside src/verify, import a room's index, or this one for verifyImage (the edge that
// reads each artifact's content, then verifies without I/O), the verification session (the policy
// and trust roots every image of a run shares) and the check vocabulary.
export { verifyImage } from './verify-image';
export type { VerifyImageOptions } from './verify-image';
export { VerificationSession } from './session';
export type { TrustLoad, VerificationSessionOptions } from './session';
export type { CheckCode, CheckStatus, Evidence, SignatureCheck } from './checks';

import type { CheckCode, CheckStatus, Evidence, SignatureCheck } from '../checks';
import type { CoverageRule } from '../policy';

/**
 * Checks that exist only when verifying an image's artifacts, beside the bundle checks of
 * `checks.ts` (same shape, same statuses, so views render them alike).
 */
export type ImageCheckCode =
  | CheckCode
  /** cosign simple-signing claims: docker-manifest-digest and type (and docker-reference, shown). */
  | 'CLAIMS'
  /** A referrer manifest's `subject`, or a BuildKit statement's subject, is the covered digest. */
  | 'SUBJECT'
  /** Present but not signed (BuildKit in-index attestations, cosign `.sbom` attachments). */
  | 'UNSIGNED'
  /** The artifact's content could not be read: nothing about it was checked. */
  | 'READ'
  /** GitHub Actions certificate claims (source repository, ref, workflow, trigger, ...). */
  | 'GITHUB_CLAIMS'
  /** Image level: is every platform covered by a verified signature? */
  | 'COVERAGE'
  /** Image level: a predicate type the policy requires as a verified attestation. */
  | 'REQUIRED_ATTESTATION'
  /** Image level: a stated exception from the policy. */
  | 'EXCEPTION';

export interface ImageCheck extends Omit<SignatureCheck, 'code' | 'evidence'> {
  code: ImageCheckCode;
  evidence?: ImageEvidence;
}

export interface ImageEvidence extends Evidence {
  /** The digest a subject or claim was compared with. */
  expected?: string;
  dockerReference?: string;
  platforms?: string[];
  /** COVERAGE: the rule that applied, and what covered the platform. */
  coverageRule?: CoverageRule;
  coveredBy?: 'signature' | 'attestation';
  /** REQUIRED_ATTESTATION: the requirement as the policy names it (`slsa-provenance`, or the predicate type). */
  requirement?: string;
  /** READ: the code of what kept the content unread (a registry error code, e.g. `BLOB_UNKNOWN`). */
  problem?: string;
}

export function imageCheck(code: ImageCheckCode, status: CheckStatus, message: string, evidence?: ImageEvidence): ImageCheck {
  return evidence === undefined ? { code, status, message } : { code, status, message, evidence };
}

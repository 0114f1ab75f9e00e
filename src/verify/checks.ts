/**
 * The vocabulary of a verification result: one `SignatureCheck` per question a
 * maintainer asks ("does this chain to a CA I trust?", "who signed it?"), each with
 * a stable code, a status, one plain sentence and the evidence behind it.
 * UI text beyond the sentence is made at the edge (CLI, VS Code).
 */

/** What each check answers. Stable: tests, JSON output and views key on these. */
export type CheckCode =
  /** The bundle parses and follows the Sigstore bundle spec for its version. */
  | 'BUNDLE_FORMAT'
  /** Which trusted root was used, where it came from, how old it is. */
  | 'TRUST_ROOT'
  /** The signed content is this artifact (message digest / in-toto subject). */
  | 'ARTIFACT'
  /** The signing certificate chains to a trusted CA and carries a trusted SCT. */
  | 'CERTIFICATE_CHAIN'
  /** Extra certificates the bundle carries besides the leaf. */
  | 'BUNDLE_CHAIN'
  /** Key-based signing: the signature was made with the given public key. */
  | 'PUBLIC_KEY'
  /** Signed times (Rekor integrated time, RFC 3161) verified and inside validity windows. */
  | 'TIMESTAMP'
  /** Transparency-log entry: inclusion (SET or proof + checkpoint) and body match. */
  | 'TLOG'
  /** The key or certificate recorded in the log entry is the one that signed. */
  | 'TLOG_SIGNER'
  /** The signature over the artifact / DSSE envelope verifies. */
  | 'SIGNATURE'
  /** Certificate identity (SAN) matches the policy. */
  | 'IDENTITY'
  /** Certificate OIDC issuer matches the policy. */
  | 'ISSUER'
  /** A statement is SLSA provenance (v0.2 or v1) with fields of the expected types. */
  | 'SLSA_FORMAT'
  /** The provenance's builder id is one the policy allows. */
  | 'SLSA_BUILDER'
  /** The provenance's build type is one we know how to read. */
  | 'SLSA_BUILD_TYPE'
  /** The source repository named by the provenance is the expected one. */
  | 'SLSA_SOURCE_REPOSITORY'
  /** The source ref (tag or branch) named by the provenance is the expected one. */
  | 'SLSA_SOURCE_REF'
  /** The source commit named by the provenance is the expected one. */
  | 'SLSA_SOURCE_COMMIT';

/**
 * pass: the property holds. fail: it does not (never verified).
 * warn: advisory, something a maintainer should look at (not a failure by itself,
 * but a required check in `warn` is not a pass either). info: context only.
 */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'info';

/** Facts behind a check. Only plain values: safe for JSON, logs and webviews. */
export interface Evidence {
  identity?: string;
  issuer?: string;
  logIndex?: string;
  integratedTime?: string;
  logUrl?: string;
  entryKind?: string;
  timestamps?: string[];
  keyFingerprint?: string;
  certificateFingerprint?: string;
  certificateValidity?: { notBefore: string; notAfter: string };
  certificateAuthority?: string;
  digest?: string;
  bundleVersion?: string;
  content?: 'message-signature' | 'dsse-envelope';
  predicateType?: string;
  trustRoot?: string;
  /** The library's own error code and message, when a check failed inside @sigstore/verify. */
  cause?: string;
}

export interface SignatureCheck {
  code: CheckCode;
  status: CheckStatus;
  /** One sentence a maintainer can read without knowing the spec. */
  message: string;
  evidence?: Evidence;
}

export function check(code: CheckCode, status: CheckStatus, message: string, evidence?: Evidence): SignatureCheck {
  return evidence === undefined ? { code, status, message } : { code, status, message, evidence };
}

/**
 * "Verified" means: no check failed, and every required check is present with at
 * least one `pass` and no `warn` (an `info` note beside it, such as "proof set aside,
 * SET verified instead", does not weaken it). Requiring presence matters: a check that
 * never ran (because an earlier step threw) must not count as passed. The one rule for bundle
 * checks and for the image checks beside them (verify-artifact.ts).
 */
export function allRequiredPass<C extends string>(checks: ReadonlyArray<{ readonly code: C; readonly status: CheckStatus }>, required: readonly C[]): boolean {
  if (checks.some((c) => c.status === 'fail')) return false;
  return required.every((code) => {
    const mine = checks.filter((c) => c.code === code);
    return mine.some((c) => c.status === 'pass') && !mine.some((c) => c.status === 'warn');
  });
}

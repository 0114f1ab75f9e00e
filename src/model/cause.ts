// Why an image is not verified, in the words every surface uses: the CLI's verdict line and
// `verdict.causes` in `verify --json` (docs/verify-json.md), the tree's tooltips, hovers,
// CodeLens, the Problems entry and the image panel's header. Most important first; the codes are
// stable and listed in docs/codes.md.

export type CauseCode =
  /** A signature verified cryptographically, but by another identity than the policy expects. */
  | 'IDENTITY_MISMATCH'
  /** A signature verified cryptographically, but its OIDC issuer is not the one the policy expects. */
  | 'ISSUER_MISMATCH'
  /** Nothing signs a digest that must be covered. */
  | 'NO_SIGNATURE'
  /** A signature's bytes, certificate or log entry do not verify ("does not verify" means this only). */
  | 'INVALID_SIGNATURE'
  /** An attestation the policy requires is missing (or present only unsigned or failing). */
  | 'MISSING_ATTESTATION'
  /** Something could not be read or examined; `problem` keeps the underlying code. */
  | 'NOT_CHECKED'
  /** Valid signatures, but the policy pins no identity, issuer or key. */
  | 'UNPINNED';

/** A signer met: a certificate identity and issuer, or a key. */
export type Signer = { identity: string; issuer?: string } | { keyId: string };

/**
 * A public key as every short surface names it (a tree row, a CodeLens, a summary line):
 * `key sha256:0123456789ab…`, its SPKI SHA-256 fingerprint (src/verify/trust/public-key.ts) cut
 * to 12 hex digits, as container tools cut image ids. Where there is room (the engine's
 * messages, a terminal line) the whole fingerprint is written instead.
 */
export function keyName(fingerprint: string): string {
  const i = fingerprint.indexOf(':');
  return fingerprint.length > i + 13 ? `key ${fingerprint.slice(0, i + 13)}…` : `key ${fingerprint}`;
}

/** A signer in a short place: its certificate identity as it is, a key by `keyName`. */
export function signerName(s: Signer): string {
  return 'keyId' in s ? keyName(s.keyId) : s.identity;
}

/** A policy value as written: an exact string, or a pattern. */
export type Expected = string | { regexp: string };

/** What the policy requires of the signer, as written. */
export type ExpectedSigner = { identity?: Expected; issuer?: Expected } | { keys: string[] };

export interface Cause {
  code: CauseCode;
  /** One plain sentence, both sides named where there are two. */
  message: string;
  /** The digest it is about, when it is about one. */
  digest?: string;
  /** `linux/s390x`, or `index`: the one target a cause is about (with its `digest`). */
  platform?: string;
  /** The targets (`index` first, then platforms) a cause is about when it is about several. */
  platforms?: string[];
  /**
   * The signers met: always for IDENTITY_MISMATCH, ISSUER_MISMATCH and UNPINNED (every signer seen,
   * the data of the CLI's pin hint); for MISSING_ATTESTATION when the attestation there has another
   * signer; for INVALID_SIGNATURE when its certificate names one.
   */
  seen?: Signer[];
  /** The policy's requirement as written (IDENTITY_MISMATCH, ISSUER_MISMATCH, UNPINNED, a MISSING_ATTESTATION by another signer). */
  expected?: ExpectedSigner;
  /** NOT_CHECKED: the underlying problem code (AMBIGUOUS_JSON, TRUNCATED, a read error's code). */
  problem?: string;
}

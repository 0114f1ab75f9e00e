import type { CauseCode, Expected, ExpectedSigner, Signer } from '../../model/cause';
import type { ImagePolicy, Matcher } from '../policy';
import type { ImageCheck, ImageCheckCode } from './image-checks';
import type { ArtifactVerification } from './verify-artifact';

/**
 * Why one signature or attestation did not verify, read from its checks: the signer is not the
 * one the policy expects (every check of the bytes, certificate and log passed: only IDENTITY,
 * ISSUER or the pinned GitHub claims failed), or the signature itself fails (only then "does not
 * verify"), or its provenance does not meet the policy's SLSA expectations, or it could not be
 * read, or nothing pinned its signer.
 */
export type ArtifactWhy =
  | { code: 'IDENTITY_MISMATCH' | 'ISSUER_MISMATCH'; seen: Signer; expected: ExpectedSigner; check?: ImageCheck }
  | { code: 'INVALID_SIGNATURE'; check: ImageCheck; seen?: Signer }
  | { code: 'UNPINNED'; seen: Signer; expected: ExpectedSigner }
  /** `clause` continues "the signature on linux/amd64 …": why it was not checked. */
  | { code: 'NOT_CHECKED'; problem: string; clause: string }
  | { code: 'MISSING_ATTESTATION'; check: ImageCheck; seen?: Signer };

/** Checks about who signed: their failure alone means "signed, by someone else". */
const SIGNER_CHECKS: ReadonlySet<ImageCheckCode> = new Set<ImageCheckCode>(['IDENTITY', 'ISSUER', 'GITHUB_CLAIMS']);
const isSlsa = (c: ImageCheck): boolean => c.code.startsWith('SLSA_');

/** A failed signature or attestation whose bytes, certificate and log verify: only its signer is not the policy's. */
export function isSignerMismatch(a: ArtifactVerification): boolean {
  if (a.state !== 'failed' || a.identity === undefined) return false;
  const fails = a.checks.filter((c) => c.status === 'fail');
  return fails.length > 0 && fails.every((c) => SIGNER_CHECKS.has(c.code));
}

/** The policy's requirement of the signer as written: `{identity, issuer}` (string or `{regexp}`), or `{keys}`. */
export function expectedSigner(policy: ImagePolicy): ExpectedSigner {
  if ((policy.keys?.length ?? 0) > 0 && policy.identity === undefined) return { keys: policy.keys!.map((k) => k.fingerprint) };
  return { ...(policy.identity ? { identity: asWritten(policy.identity) } : {}), ...(policy.issuer ? { issuer: asWritten(policy.issuer) } : {}) };
}

function asWritten(m: Matcher): Expected {
  return 'exact' in m ? m.exact : { regexp: m.regexp };
}

/** Who made it: the certificate's identity and issuer, or the key; undefined when nothing says. */
export function signerOf(a: ArtifactVerification): Signer | undefined {
  if (a.identity !== undefined) return { identity: a.identity, ...(a.issuer !== undefined ? { issuer: a.issuer } : {}) };
  return a.keyFingerprint ? { keyId: a.keyFingerprint } : undefined;
}

/** Why an artifact that did not verify did not; undefined for a verified or unsigned one. */
export function classifyArtifact(a: ArtifactVerification, policy: ImagePolicy): ArtifactWhy | undefined {
  const seen = signerOf(a);
  const expected = expectedSigner(policy);
  if (a.state === 'not-checked') {
    const read = a.checks.find((c) => c.code === 'READ');
    return { code: 'NOT_CHECKED', problem: read?.evidence?.problem ?? 'READ', clause: `could not be read${read ? `: ${read.message}` : ''}` };
  }
  if (a.state === 'unpinned') {
    // Keys pinned, a certificate met: pinned, but to someone else.
    if (seen !== undefined && 'keys' in expected) return { code: 'IDENTITY_MISMATCH', seen, expected };
    return seen === undefined ? undefined : { code: 'UNPINNED', seen, expected };
  }
  if (a.state !== 'failed') return undefined;
  const fails = a.checks.filter((c) => c.status === 'fail');
  const broken = fails.filter((c) => !SIGNER_CHECKS.has(c.code) && !isSlsa(c));
  if (broken.length > 0) {
    const check = broken[0]!;
    // A key-made signature with no key to check it against was not checked, not refuted.
    if (check.code === 'PUBLIC_KEY' && broken.length === 1 && seen === undefined && (policy.keys?.length ?? 0) === 0) {
      return {
        code: 'NOT_CHECKED',
        problem: 'PUBLIC_KEY',
        clause: 'was made with a key, and the policy names no key to check it with (--key, or keys: in the policy file)',
      };
    }
    // A key signature's fingerprint is the policy key it was tried with, not a fact about its signer.
    return { code: 'INVALID_SIGNATURE', check, ...(seen && 'identity' in seen ? { seen } : {}) };
  }
  if (seen !== undefined) {
    const identity = fails.find((c) => c.code === 'IDENTITY');
    const claim = fails.find((c) => c.code === 'GITHUB_CLAIMS');
    const issuer = fails.find((c) => c.code === 'ISSUER');
    if (identity !== undefined || claim !== undefined)
      return { code: 'IDENTITY_MISMATCH', seen, expected, ...(identity === undefined ? { check: claim! } : {}) };
    if (issuer !== undefined) return { code: 'ISSUER_MISMATCH', seen, expected };
  }
  // What is left: a provenance that contradicts (fail) or is silent about (warn) the policy's SLSA expectations.
  const slsa = fails.find(isSlsa) ?? a.checks.find((c) => isSlsa(c) && c.status === 'warn');
  if (slsa !== undefined) return { code: 'MISSING_ATTESTATION', check: slsa, ...(seen ? { seen } : {}) };
  const other = fails[0] ?? a.checks.find((c) => c.status === 'warn');
  return {
    code: 'INVALID_SIGNATURE',
    check: other ?? { code: 'SIGNATURE', status: 'fail', message: 'Not every required check passed.' },
    ...(seen ? { seen } : {}),
  };
}

/** The order causes are listed in: what is known to be wrong first, tampering before a wrong signer. */
export const CAUSE_ORDER: readonly CauseCode[] = [
  'INVALID_SIGNATURE',
  'IDENTITY_MISMATCH',
  'ISSUER_MISMATCH',
  'NO_SIGNATURE',
  'MISSING_ATTESTATION',
  'NOT_CHECKED',
  'UNPINNED',
];

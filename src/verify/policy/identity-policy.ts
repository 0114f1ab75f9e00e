import { LensError } from '../../core/errors';
import type { SignatureCheck } from '../checks';
import { check } from '../checks';
import { compileRe2, patternProblems } from './policy-regexp';

/**
 * Who must have signed: the certificate identity (SAN) and OIDC issuer, each exact or
 * a regular expression. Patterns are ALWAYS anchored to the whole value: `@sigstore/verify`
 * tests a policy SAN with `String.match` (unanchored), so "https://github.com/org/repo/"
 * would accept "https://github.com/org/repo/../evil" or "https://evil/?https://github.com/org/repo/".
 * We never hand user text to that matcher; the comparison happens here.
 */
export type Matcher = { exact: string } | { regexp: string };

export interface IdentityPolicy {
  identity?: Matcher;
  issuer?: Matcher;
}

/** A compiled identity or issuer pattern: `test` is true when it matches the whole value. */
export interface CompiledPattern {
  test(value: string): boolean;
}

/**
 * Compiles a user pattern (RE2 syntax, as cosign's: policy-regexp.ts); throws USAGE with the
 * reason when it is not one. The pattern always matches the whole value, never a part.
 */
export function compilePattern(pattern: string): CompiledPattern {
  const problem = patternProblems(pattern)[0];
  if (problem !== undefined) {
    throw new LensError('USAGE', `Invalid regular expression ${JSON.stringify(pattern)} at character ${problem.offset + 1}: ${problem.message}.`);
  }
  const re = compileRe2(pattern);
  return { test: (value) => re.matches(value) };
}

/**
 * Longest certificate value a pattern is run on. Matching is linear in the input (RE2), so this
 * is not what keeps it fast; it keeps a certificate made to be huge from costing anything at all.
 * Real identities (workflow URIs, emails) are far shorter; a longer value never matches.
 */
export const MAX_MATCHED_VALUE = 4096;

export function matches(matcher: Matcher, value: string | undefined): boolean {
  if (value === undefined) return false;
  if ('exact' in matcher) return value === matcher.exact;
  if (value.length > MAX_MATCHED_VALUE) return false;
  return compilePattern(matcher.regexp).test(value);
}

export function describeMatcher(matcher: Matcher): string {
  return 'exact' in matcher ? JSON.stringify(matcher.exact) : `the pattern /^(?:${matcher.regexp})$/`;
}

/**
 * IDENTITY and ISSUER checks for a certificate. Without a pinned value the check is a
 * `warn`: the signature may be valid, but anyone can get a Sigstore certificate, so
 * "signed" without "by whom" is never reported as verified. One exception, for the issuer
 * only (`issuerNotApplicable`): a private CA's certificate (certificate-chain.ts) names no
 * OIDC issuer, and the CA the user trusts vouches for the identity itself.
 */
export function identityChecks(
  facts: { identity?: string; issuer?: string },
  policy: IdentityPolicy,
  options: { issuerNotApplicable?: boolean } = {},
): SignatureCheck[] {
  const out: SignatureCheck[] = [];
  const identityEvidence = facts.identity === undefined ? {} : { identity: facts.identity };
  if (policy.identity === undefined) {
    out.push(
      check(
        'IDENTITY',
        'warn',
        `No identity was pinned; the certificate was issued to ${facts.identity ?? 'an unnamed subject'}, which is not checked against anything.`,
        identityEvidence,
      ),
    );
  } else if (matches(policy.identity, facts.identity)) {
    out.push(check('IDENTITY', 'pass', `The certificate identity matches ${describeMatcher(policy.identity)}.`, identityEvidence));
  } else {
    const found = facts.identity === undefined ? 'The certificate names no identity' : `The certificate identity is ${JSON.stringify(facts.identity)}`;
    out.push(check('IDENTITY', 'fail', `${found}; the policy expects ${describeMatcher(policy.identity)}.`, identityEvidence));
  }
  const issuerEvidence = facts.issuer === undefined ? {} : { issuer: facts.issuer };
  if (options.issuerNotApplicable && policy.issuer === undefined && facts.issuer === undefined) {
    out.push(
      check(
        'ISSUER',
        'info',
        'The certificate names no OIDC issuer: it comes from the private CA given as the certificate chain, which vouches for the identity itself; no issuer is required.',
      ),
    );
  } else if (policy.issuer === undefined) {
    out.push(check('ISSUER', 'warn', `No OIDC issuer was pinned; the certificate names ${facts.issuer ?? 'no issuer'}.`, issuerEvidence));
  } else if (matches(policy.issuer, facts.issuer)) {
    out.push(check('ISSUER', 'pass', `The OIDC issuer matches ${describeMatcher(policy.issuer)}.`, issuerEvidence));
  } else {
    const found = facts.issuer === undefined ? 'The certificate names no OIDC issuer' : `The OIDC issuer is ${JSON.stringify(facts.issuer)}`;
    out.push(check('ISSUER', 'fail', `${found}; the policy expects ${describeMatcher(policy.issuer)}.`, issuerEvidence));
  }
  return out;
}

import type { Signer } from '../model/cause';
import { signerOf } from '../verify/image';
import type { ImageVerification } from '../verify/image';
import type { ImagePolicy } from '../verify/policy';

/** One string per signer, for sets and sorting: identity and issuer, or the key. */
export function signerKey(s: Signer): string {
  return 'keyId' in s ? `key\0${s.keyId}` : `cert\0${s.identity}\0${s.issuer ?? ''}`;
}

/**
 * Who signed an image: the union, over the index and every platform, of the signers of its
 * signatures AND attestations (an image signed only by `cosign attest`, as slsa-github-generator's,
 * has signers too): verified ones, and valid ones nobody pinned (`unpinned`: checked
 * cryptographically, not approved). A signature that fails is nobody's, and so is a certificate
 * met where the policy pins keys (the engine calls it unpinned, the policy names another signer).
 * Sorted, each signer once.
 */
export function signersOf(verification: Pick<ImageVerification, 'artifacts'>, policy: Pick<ImagePolicy, 'identity' | 'keys'>): Signer[] {
  const keysOnly = policy.identity === undefined && (policy.keys?.length ?? 0) > 0;
  const found = new Map<string, Signer>();
  for (const a of verification.artifacts) {
    if (a.state !== 'verified' && (a.state !== 'unpinned' || keysOnly)) continue;
    const s = signerOf(a);
    if (s !== undefined) found.set(signerKey(s), s);
  }
  return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
}

/** Whether two signer lists (from `signersOf`) name the same signers. */
export function sameSigners(a: readonly Signer[], b: readonly Signer[]): boolean {
  const keys = new Set(a.map(signerKey));
  return a.length === b.length && b.every((s) => keys.has(signerKey(s)));
}

/** Whether the policy names who may sign (an identity or keys): then any signer it verifies is one it approved. */
export function pinsSigner(policy: Pick<ImagePolicy, 'identity' | 'keys'>): boolean {
  return policy.identity !== undefined || (policy.keys?.length ?? 0) > 0;
}

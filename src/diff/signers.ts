import { workflowIdentity } from '../claims/workflow-identity';
import type { Signer } from '../model/cause';
import { signerOf } from '../verify/image';
import type { ArtifactVerification, ImageVerification } from '../verify/image';
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
  const found = new Map<string, Signer>();
  for (const a of verification.artifacts) {
    const s = countedSigner(a, policy);
    if (s !== undefined) found.set(signerKey(s), s);
  }
  return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
}

/** Who signed one signature or attestation, when it counts as signed (signersOf's rule); undefined when it does not. */
export function countedSigner(a: ArtifactVerification, policy: Pick<ImagePolicy, 'identity' | 'keys'>): Signer | undefined {
  const keysOnly = policy.identity === undefined && (policy.keys?.length ?? 0) > 0;
  if (a.state !== 'verified' && (a.state !== 'unpinned' || keysOnly)) return undefined;
  return signerOf(a);
}

/**
 * The key two releases' signers are compared by. A project's own release workflow signs each
 * release at that release's ref (`release.yml@refs/tags/v1.3.0`, then `@refs/tags/v1.4.0`): the
 * same signer, so a ref that is the release's own (`ownRefs`: its tag, the source ref its
 * provenance names) is compared as "this release". Any other ref counts: a reusable workflow such
 * as slsa-github-generator's runs at its own version, and a new version is a new signer.
 */
export function releaseSignerKey(s: Signer, ownRefs: ReadonlySet<string>): string {
  if ('keyId' in s) return signerKey(s);
  const w = workflowIdentity(s.identity);
  if (w === undefined || !ownRefs.has(w.ref)) return signerKey(s);
  return signerKey({ ...s, identity: `https://github.com/${w.repository}/${w.path}@<this release>` });
}

/**
 * Whether two signer lists (from `signersOf`) name the same signers, each release's own ref
 * (releaseSignerKey) compared as "this release".
 */
export function sameSigners(a: readonly Signer[], b: readonly Signer[], own: { a?: ReadonlySet<string>; b?: ReadonlySet<string> } = {}): boolean {
  const none = new Set<string>();
  const keys = new Set(a.map((s) => releaseSignerKey(s, own.a ?? none)));
  const other = new Set(b.map((s) => releaseSignerKey(s, own.b ?? none)));
  return keys.size === other.size && [...other].every((k) => keys.has(k));
}

/** The refs that are a release's own: `refs/tags/<tag>` of its reference, and the source refs its provenance names. */
export function ownRefs(tag: string | undefined, sourceRefs: Iterable<string | undefined> = []): Set<string> {
  const out = new Set<string>();
  if (tag !== undefined) out.add(`refs/tags/${tag}`);
  for (const r of sourceRefs) if (r !== undefined && r.startsWith('refs/')) out.add(r);
  return out;
}

/** Whether the policy names who may sign (an identity or keys): then any signer it verifies is one it approved. */
export function pinsSigner(policy: Pick<ImagePolicy, 'identity' | 'keys'>): boolean {
  return policy.identity !== undefined || (policy.keys?.length ?? 0) > 0;
}

import type { Signer } from '../model/cause';
import { buildGraph } from '../registry/graph';
import type { GraphTarget } from '../registry/graph';
import { formatReference } from '../registry/reference';
import type { ContentSource } from '../registry/source';
import { compareVersions, isVersionTag, releaseTags } from '../registry/tag-order';
import { verifyImage } from '../verify';
import type { ImagePolicy } from '../verify/policy';
import type { TrustRoot } from '../verify/trust';
import { ownRefs, pinsSigner, sameSigners, signersOf } from './signers';

const isPrerelease = (tag: string): boolean => /^[^+]*-/.test(tag);

/**
 * The release before `tag` among `tags`: the newest semantic version below it
 * (https://semver.org/#spec-item-11). A prerelease is passed over when `tag` is a release: the
 * release before v1.3.0 is v1.2.x, not v1.3.0-rc.1. Undefined when `tag` is no version or
 * nothing precedes it.
 */
export function previousReleaseTag(tags: readonly string[], tag: string): string | undefined {
  if (!isVersionTag(tag)) return undefined;
  return releaseTags(tags).find((t) => isVersionTag(t) && compareVersions(t, tag)! < 0 && (isPrerelease(tag) || !isPrerelease(t)));
}

/** The signers of the release before an image, when a policy that pins nobody leaves the question open. */
export interface SignerChange {
  /** The previous release's reference, and its digest. */
  previous: string;
  digest: string;
  /** Its signers (signersOf). */
  signers: Signer[];
  changed: boolean;
}

export interface SignerChangeOptions {
  policy: ImagePolicy;
  trustRoot: TrustRoot;
  signatureRepository?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** One side of the rule below: who signed a release (signersOf), its tag, and the policy it was verified under. */
export interface ReleaseSigners {
  signers: readonly Signer[];
  tag: string | undefined;
  policy: Pick<ImagePolicy, 'identity' | 'keys'>;
}

/** Whether signerChangeBetween asks at all (a policy that does not pin a signer for both releases): asked before reading the previous release. */
export function signerChangeAsked(previous: Pick<ImagePolicy, 'identity' | 'keys'>, current: Pick<ImagePolicy, 'identity' | 'keys'>): boolean {
  return !(pinsSigner(previous) && pinsSigner(current));
}

/**
 * The rule `verify --release` (signerChanged) and the Releases view share: whether a release is
 * signed by other signers than the release before it. Undefined when the policy pins a signer for
 * both — then whoever signs either is one the policy approved, and any other fails verification
 * instead. Each release's own tag is compared as "this release" (sameSigners, ownRefs).
 */
export function signerChangeBetween(previous: ReleaseSigners, current: ReleaseSigners): boolean | undefined {
  if (!signerChangeAsked(previous.policy, current.policy)) return undefined;
  return !sameSigners(previous.signers, current.signers, { a: ownRefs(previous.tag), b: ownRefs(current.tag) });
}

/**
 * Whether the release before `target` (same repository, previous tag by semver) was signed by
 * other signers than `signers`, the current image's (signersOf under the same policy). Undefined
 * when the policy pins a signer — then whoever signs either release is one the policy approved,
 * and a different one fails verification instead — and when there is no previous release to ask.
 */
export async function signerChangeSincePrevious(
  source: ContentSource,
  target: GraphTarget,
  signers: readonly Signer[],
  options: SignerChangeOptions,
): Promise<SignerChange | undefined> {
  if (!signerChangeAsked(options.policy, options.policy) || target.source !== 'registry' || target.registry === undefined || target.tag === undefined)
    return undefined;
  const { signal, signatureRepository } = options;
  const tag = previousReleaseTag(await source.listTags(target.repository, { signal }), target.tag);
  if (tag === undefined) return undefined;
  const previous = formatReference({ kind: 'registry', registry: target.registry, repository: target.repository, tag });
  const prevTarget: GraphTarget = { reference: previous, source: 'registry', registry: target.registry, repository: target.repository, tag };
  const graph = await buildGraph(source, prevTarget, { signal, signatureRepository });
  const verification = await verifyImage(source, graph, { policy: options.policy, trustRoot: options.trustRoot, signal, signatureRepository });
  const before = signersOf(verification, options.policy);
  const changed = signerChangeBetween({ signers: before, tag, policy: options.policy }, { signers, tag: target.tag, policy: options.policy });
  return changed === undefined ? undefined : { previous, digest: graph.digest, signers: before, changed };
}

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

/** The signers of an image and of the release before it, when a policy that pins nobody leaves the question open. */
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
  signatureRepository?: string;
  signal?: AbortSignal;
}

/**
 * Whether the release before `target` (same repository, previous tag by semver) was signed by
 * other signers than `signers`, the current image's (signersOf under the same policy). Undefined
 * when the policy pins a signer — then whoever signs either release is one the policy approved,
 * and a different one fails verification instead — and when there is no previous release to ask.
 */
export async function signerChangeSincePrevious(source: ContentSource, target: GraphTarget, signers: readonly Signer[], options: SignerChangeOptions): Promise<SignerChange | undefined> {
  if (pinsSigner(options.policy) || target.source !== 'registry' || target.registry === undefined || target.tag === undefined) return undefined;
  const { signal, signatureRepository } = options;
  const tag = previousReleaseTag(await source.listTags(target.repository, { signal }), target.tag);
  if (tag === undefined) return undefined;
  const previous = formatReference({ kind: 'registry', registry: target.registry, repository: target.repository, tag });
  const prevTarget: GraphTarget = { reference: previous, source: 'registry', registry: target.registry, repository: target.repository, tag };
  const graph = await buildGraph(source, prevTarget, { signal, signatureRepository });
  const verification = await verifyImage(source, graph, { policy: options.policy, trustRoot: options.trustRoot, signal, signatureRepository });
  const before = signersOf(verification, options.policy);
  return { previous, digest: graph.digest, signers: before, changed: !sameSigners(before, signers, { a: ownRefs(tag), b: ownRefs(target.tag) }) };
}

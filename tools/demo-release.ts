// The demo release (`npm run demo`): fleet and fleet-agent, as rancher/fleet publishes them,
// pushed into a local registry and signed by the mini Sigstore so that every state the
// extension knows can be seen at once:
// - rancher/fleet: signed and attested by rancher/fleet's release workflow, in both cosign
//   formats (`.sig`/`.att` tags and Sigstore-bundle referrers), platform by platform; linux/s390x
//   was left out of the signing step, so that platform is covered by nothing.
// - rancher/fleet-agent: signed and attested the same way on the index (covering every
//   platform), but by a fork's workflow, not the identity the policy pins.
// Both carry BuildKit's unsigned in-index SLSA provenance and SPDX statements.
import type { PushTarget } from '../test/support/push';
import type { MiniSigstore } from '../test/support/sigstore/mini-sigstore';
import { pushSignedRelease } from '../test/support/sigstore/release';
import type { SignedRelease } from '../test/support/sigstore/release';

export const DEMO_TAG = 'v0.13.0';
export const DEMO_PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/s390x'] as const;
/** The platform the signing step skipped. */
export const UNSIGNED_PLATFORM = 'linux/s390x';
/** The GitHub repository the policy expects both images to be built and signed in. */
export const EXPECTED_REPOSITORY = 'rancher/fleet';
/** Where fleet-agent's signature really comes from. */
export const WRONG_REPOSITORY = 'fleet-fork/fleet';

export interface DemoImage {
  /** `127.0.0.1:PORT/rancher/fleet:v0.13.0` */
  readonly reference: string;
  readonly digest: string;
  readonly platforms: readonly { readonly platform: string; readonly digest: string }[];
  /** The certificate identity (SAN) of its signatures. */
  readonly signedBy: string;
}

export interface DemoRelease {
  readonly registry: string;
  readonly tag: string;
  readonly fleet: DemoImage;
  readonly agent: DemoImage;
}

function describe(registryHost: string, r: SignedRelease): DemoImage {
  return {
    reference: `${registryHost}/${r.repo}:${r.tag}`,
    digest: r.index.digest,
    platforms: r.index.platforms.map((p) => ({ platform: p.key, digest: p.digest })),
    signedBy: r.signer.identity ?? '',
  };
}

/** Pushes both images with their signatures and attestations; about a second. */
export async function pushDemoRelease(registry: PushTarget & { readonly host: string }, sigstore: MiniSigstore): Promise<DemoRelease> {
  const platforms = [...DEMO_PLATFORMS];
  const signedPlatforms = platforms.filter((p) => p !== UNSIGNED_PLATFORM);
  const fleet = await pushSignedRelease(registry, 'rancher/fleet', {
    sigstore,
    tag: DEMO_TAG,
    platforms,
    sourceRepository: EXPECTED_REPOSITORY,
    contentSeed: 'fleet',
    cosignSignatures: signedPlatforms,
    cosignAttestations: signedPlatforms,
    referrers: signedPlatforms,
  });
  const forkSigner = await sigstore.githubIdentity({ repository: WRONG_REPOSITORY, ref: `refs/tags/${DEMO_TAG}` });
  const agent = await pushSignedRelease(registry, 'rancher/fleet-agent', {
    sigstore,
    tag: DEMO_TAG,
    platforms,
    sourceRepository: WRONG_REPOSITORY,
    signer: forkSigner,
    contentSeed: 'fleet-agent',
    cosignSignatures: ['index'],
    cosignAttestations: ['index'],
    referrers: ['index'],
  });
  return { registry: registry.host, tag: DEMO_TAG, fleet: describe(registry.host, fleet), agent: describe(registry.host, agent) };
}

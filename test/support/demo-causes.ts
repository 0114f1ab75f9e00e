// The demo release's two failures as the views receive them (tools/demo-release.ts): rancher/fleet
// signed platform by platform with linux/s390x left unsigned, and rancher/fleet-agent signed on
// the index by a fork's workflow while the policy expects rancher/fleet's. The engine's causes
// are given here as its result carries them (`verdict.causes`, src/model/cause.ts; the messages
// as test/fixtures/golden/verify-fleet*.json has them), so the views' tests check how each surface
// shows a cause, not how the engine finds it.
import type { Cause } from '../../src/model/cause';
import type { Artifact, ImageGraph, PlatformEntry } from '../../src/model/image-graph';
import type { DigestState, ImageState } from '../../src/model/verdict';
import type { ImageLoad } from '../../src/releases/types';
import type { ArtifactVerification, ImageVerification } from '../../src/releases/verification';

export const D = (c: string): string => `sha256:${c.repeat(Math.ceil(64 / c.length)).slice(0, 64)}`;
export const HOST = '127.0.0.1:33869';
export const FORK = 'https://github.com/fleet-fork/fleet/.github/workflows/release.yml@refs/tags/v0.13.0';
export const EXPECTED = 'https://github\\.com/rancher/fleet/\\.github/workflows/release\\.yml@refs/tags/v0\\.13\\.0';
export const ISSUER = 'https://token.actions.githubusercontent.com';
export const PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/s390x'] as const;

export const WRONG_SIGNER: Cause = {
  code: 'IDENTITY_MISMATCH',
  message: `The index is signed by "${FORK}", but the policy expects an identity matching ^${EXPECTED}$.`,
  seen: [{ identity: FORK, issuer: ISSUER }],
  expected: { identity: { regexp: `^${EXPECTED}$` }, issuer: ISSUER },
};
export const UNSIGNED: Cause = { code: 'NO_SIGNATURE', message: 'linux/s390x is not signed.', platform: 'linux/s390x', digest: D('f3') };

function platform(p: string, digest: string): PlatformEntry {
  const [os, architecture] = p.split('/') as [string, string];
  return { platform: p, os, architecture, digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 401, imageSize: 406 };
}

const TRUST_ROOT = {
  instance: 'custom',
  source: { kind: 'file', path: '/demo/trusted_root.json' },
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  sha256: 'ab',
  refreshed: false,
  counts: { certificateAuthorities: 1, tlogs: 1, ctlogs: 1, timestampAuthorities: 0 },
} as unknown as ImageVerification['trustRoot'];

interface Demo {
  readonly reference: string;
  readonly load: Extract<ImageLoad, { status: 'loaded' }>;
}

function image(
  name: string,
  seed: string,
  states: readonly DigestState[],
  indexState: DigestState,
  state: ImageState,
  causes: Cause[],
  artifacts: Array<[Artifact, ArtifactVerification]>,
): Demo {
  const reference = `${HOST}/rancher/${name}:v0.13.0`;
  const digest = D(`${seed}0`);
  const platforms = PLATFORMS.map((p, i) => platform(p, D(`${seed}${i + 1}`)));
  const graph: ImageGraph = {
    reference,
    source: 'registry',
    registry: HOST,
    repository: `rancher/${name}`,
    tag: 'v0.13.0',
    digest,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    size: 900,
    kind: 'index',
    platforms,
    artifacts: artifacts.map(([a]) => a),
    others: [],
    problems: [],
  };
  const digest0 = {
    digest,
    target: 'index',
    ownState: indexState,
    state: indexState,
    throughIndex: false,
    signedBy: [],
    unpinnedBy: [],
    attestations: [],
    problems: [],
  };
  const digests = [
    digest0,
    ...platforms.map((p, i) => ({
      digest: p.digest,
      target: p.platform,
      ownState: states[i]!,
      state: states[i]!,
      throughIndex: false,
      signedBy: [],
      unpinnedBy: [],
      attestations: [],
      problems: [],
    })),
  ];
  const verdict = { verified: false, state, coverage: `${name}: a coverage sentence of three hundred characters`, digests, checks: [], causes };
  const verification = { artifacts: artifacts.map(([, v]) => v), verdict, trustRoot: TRUST_ROOT } as ImageVerification;
  return { reference, load: { status: 'loaded', graph, verification, ms: 12 } };
}

const sig = (covers: string, digest: string): Artifact => ({
  kind: 'signature',
  format: 'cosign-tag',
  coversDigest: covers,
  digest,
  mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
  size: 245,
  tag: `sha256-${covers.slice(7)}.sig`,
});

/** rancher/fleet: amd64 and arm64 signed and verified, s390x unsigned. */
export function demoFleet(): Demo {
  const amd = sig(D('f1'), D('a1'));
  const arm = sig(D('f2'), D('a2'));
  const ok = (a: Artifact): ArtifactVerification => ({
    digest: a.digest,
    coversDigest: a.coversDigest,
    format: a.format,
    kind: 'signature',
    verified: true,
    state: 'verified',
    identity: FORK.replace('fleet-fork', 'rancher'),
    issuer: ISSUER,
    checks: [],
  });
  return image(
    'fleet',
    'f',
    ['verified', 'verified', 'unsigned'],
    'unsigned',
    'failed',
    [UNSIGNED],
    [
      [amd, ok(amd)],
      [arm, ok(arm)],
    ],
  );
}

/** rancher/fleet-agent: the index signed by the fork's workflow; every platform fails through it. */
export function demoAgent(): Demo {
  const s = sig(D('e0'), D('b1'));
  const v: ArtifactVerification = {
    digest: s.digest,
    coversDigest: s.coversDigest,
    format: s.format,
    kind: 'signature',
    verified: false,
    state: 'failed',
    identity: FORK,
    issuer: ISSUER,
    checks: [{ code: 'IDENTITY', status: 'fail', message: `The certificate identity "${FORK}"; expected the pattern` }],
  };
  return image('fleet-agent', 'e', ['failed', 'failed', 'failed'], 'failed', 'failed', [{ ...WRONG_SIGNER, platforms: ['index', ...PLATFORMS] }], [[s, v]]);
}

// The demo release's two failures as the views receive them (tools/demo-release.ts): rancher/fleet
// signed platform by platform with linux/s390x left unsigned, and rancher/fleet-agent signed on
// the index by a fork's workflow while the policy expects rancher/fleet's. The engine's causes
// are given here as its result carries them (`verdict.causes`, src/model/cause.ts; the messages
// as test/fixtures/golden/verify-fleet*.json has them), so the views' tests check how each surface
// shows a cause, not how the engine finds it.
import type { Cause } from '../../src/model/cause';
import type { Artifact } from '../../src/model/image-graph';
import type { DigestState, ImageState } from '../../src/model/verdict';
import type { ImageLoad } from '../../src/releases/types';
import type { ArtifactVerification } from '../../src/releases/verification';
import { digestVerdict, indexGraph, letterDigest, platformEntry, verifiedLoad } from './image-graphs';

export const D = letterDigest;
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
  const platforms = PLATFORMS.map((p, i) => platformEntry(p, D(`${seed}${i + 1}`), { size: 401, imageSize: 406 }));
  const graph = indexGraph(digest, platforms, { reference, artifacts: artifacts.map(([a]) => a) });
  const digests = [digestVerdict(digest, 'index', indexState), ...platforms.map((p, i) => digestVerdict(p.digest, p.platform, states[i]!))];
  const verdict = { verified: false, state, coverage: `${name}: a coverage sentence of three hundred characters`, digests, checks: [], causes };
  return { reference, load: verifiedLoad(graph, { artifacts: artifacts.map(([, v]) => v), verdict }) };
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

// Why an image failed, on every editor surface, in the engine's words (`verdict.causes`): the
// tree's rows and tooltips, the hover, the CodeLens and the image panel's model lead with the
// cause, over the demo release's two failures (a platform left unsigned, a signature by a
// fork's workflow). Before, all of them said "verification failed", the CodeLenses of the two
// images read the same, and the panel opened the failed image on its first, verified platform.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { causeHeadline } from '../../src/cli/cause-line';
import { escapeMarkdown } from '../../src/goreleaser/hover-markdown';
import { signerWords } from '../../src/hovers/pin-words';
import { hoverMarkdown, imageHover } from '../../src/hovers/hover-content';
import type { HoverCommands } from '../../src/hovers/hover-content';
import { buildModel } from '../../src/hovers/release-context';
import { entryWords } from '../../src/hovers/verdict-words';
import { keyName, signerName } from '../../src/model/cause';
import type { Cause } from '../../src/model/cause';
import { toPanelModel } from '../../src/panel/model';
import { artifactPlace } from '../../src/releases/artifact-words';
import { causeShort, causesShort, expectedText, identityShort } from '../../src/releases/cause-words';
import { artifactCause, causesAbout, causesOf } from '../../src/releases/verification';
import { failureNotice, failureTitle } from '../../src/views/failure-words';
import { imageNameAndHost } from '../../src/views/image-name';
import { signerLabel } from '../../src/verify/image/digest-verdict';
import type { ArtifactVerification } from '../../src/verify/image/verify-artifact';
import { causeLine, statusRelease } from '../../src/views/verdict-text';
import { D, EXPECTED, FORK, HOST, PLATFORMS, UNSIGNED, WRONG_SIGNER, demoAgent, demoFleet } from '../support/demo-causes';
import { realFixture } from '../support/real-fixtures';

const EXPECTED_URL = 'https://github.com/rancher/fleet/.github/workflows/release.yml@refs/tags/v0.13.0';

describe('a cause in a few words (CodeLens titles, tree descriptions)', () => {
  test('a wrong signer: the repositories that differ, seen and expected', () => {
    assert.equal(causeShort(WRONG_SIGNER), 'signed by fleet-fork/fleet, expected rancher/fleet');
  });

  test('the same repository: the workflow file, else the ref, so two failures never read the same', () => {
    const other = (seen: string): Cause => ({ ...WRONG_SIGNER, seen: [{ identity: seen }] });
    assert.equal(
      causeShort(other('https://github.com/rancher/fleet/.github/workflows/ci.yml@refs/tags/v0.13.0')),
      'signed by rancher/fleet ci.yml, expected rancher/fleet release.yml',
    );
    assert.equal(
      causeShort(other('https://github.com/rancher/fleet/.github/workflows/release.yml@refs/heads/main')),
      'signed by rancher/fleet@main, expected rancher/fleet@v0.13.0',
    );
    assert.equal(
      causeShort({ ...WRONG_SIGNER, seen: [{ identity: 'dev@example.com' }], expected: { identity: 'release@example.com' } }),
      'signed by dev@example.com, expected release@example.com',
    );
  });

  test('a pattern reads as what it matches when it is a literal; a real pattern stays one', () => {
    assert.equal(expectedText({ regexp: `^${EXPECTED}$` }), EXPECTED_URL);
    assert.equal(expectedText({ regexp: '^(?:https://github\\.com/rancher/.*)$' }), 'https://github.com/rancher/.*');
    assert.equal(expectedText('exact@example.com'), 'exact@example.com');
  });

  test('nothing signed: the platform, or the platforms; on its own row, just "not signed"', () => {
    assert.equal(causeShort(UNSIGNED), 'linux/s390x is not signed');
    assert.equal(causeShort(UNSIGNED, 'linux/s390x'), 'not signed');
    assert.equal(causeShort({ code: 'NO_SIGNATURE', message: 'm', platforms: ['linux/arm64', 'linux/s390x'] }), 'linux/arm64 and linux/s390x are not signed');
    assert.equal(
      causeShort({ code: 'NO_SIGNATURE', message: 'The image is not signed: …', platforms: ['index', 'linux/arm64', 'linux/s390x'] }),
      'nothing is signed',
    );
    assert.equal(causeShort({ code: 'INVALID_SIGNATURE', message: 'm', platform: 'index' }), 'the signature on the index does not verify');
    assert.equal(
      causeShort({ code: 'NOT_CHECKED', message: 'm', platform: 'linux/arm64', problem: 'AMBIGUOUS_JSON' }),
      'linux/arm64 not checked (AMBIGUOUS_JSON)',
    );
    assert.equal(causeShort({ code: 'UNPINNED', message: 'm', seen: [{ identity: FORK }] }), 'signer not pinned: fleet-fork/fleet');
    assert.equal(
      causeShort({ code: 'MISSING_ATTESTATION', message: 'linux/s390x has no verified slsa-provenance attestation.', platform: 'linux/s390x' }),
      'linux/s390x lacks a required attestation',
    );
    assert.equal(
      causeShort({ code: 'MISSING_ATTESTATION', message: 'm', platforms: ['linux/amd64', 'linux/arm64', 'linux/s390x'] }),
      '3 platforms lack a required attestation',
    );
    const claims: Cause = { ...WRONG_SIGNER, seen: [{ identity: EXPECTED_URL }] };
    assert.equal(causeShort(claims), 'signed by rancher/fleet@v0.13.0, claims not as the policy expects');
  });

  test('a key reads the same on every short surface: key sha256:<12 hex>…, the whole fingerprint where there is room', () => {
    const fp = `sha256:${'0123456789abcdef'.repeat(4)}`;
    const short = 'key sha256:0123456789ab…';
    assert.equal(keyName(fp), short);
    assert.equal(signerName({ keyId: fp }), short);
    assert.equal(signerWords({ keyId: fp }), short);
    assert.equal(causeShort({ code: 'UNPINNED', message: 'm', seen: [{ keyId: fp }] }), `signer not pinned: ${short}`);
    assert.equal(signerLabel({ keyFingerprint: fp } as ArtifactVerification), short);
    // A fingerprint already short is not given an ellipsis it does not need.
    assert.equal(keyName('sha256:abcd'), 'key sha256:abcd');
    // The CLI's line has room: the whole fingerprint, as the engine's message writes it.
    assert.equal(
      causeHeadline({ code: 'IDENTITY_MISMATCH', message: 'm', seen: [{ keyId: fp }], expected: { keys: ['sha256:ab'] } }),
      `signed by the key ${fp}, but the policy expects the key sha256:ab`,
    );
  });

  test('several causes: the first, and how many more', () => {
    assert.equal(causesShort([UNSIGNED, WRONG_SIGNER]), 'linux/s390x is not signed (+1 more)');
    assert.equal(causesShort([]), undefined);
    assert.equal(identityShort(FORK), 'fleet-fork/fleet/release.yml@v0.13.0');
  });
});

describe('which cause is about what', () => {
  test("a platform failed through the index has the index's cause; a verified one has none", () => {
    const agent = demoAgent().load.verification!;
    const [amd] = demoAgent().load.graph.platforms;
    assert.deepEqual(
      causesAbout(agent, amd!.digest).map((c) => c.code),
      ['IDENTITY_MISMATCH'],
    );
    const fleet = demoFleet().load.verification!;
    const g = demoFleet().load.graph;
    assert.deepEqual(causesAbout(fleet, g.platforms[2]!.digest), [UNSIGNED]);
    assert.deepEqual(causesAbout(fleet, g.platforms[0]!.digest), []);
  });

  test('a failed signature stands for the cause that names its signer', () => {
    const agent = demoAgent().load.verification!;
    assert.equal(artifactCause(agent, agent.artifacts[0]!)?.code, 'IDENTITY_MISMATCH');
    const fleet = demoFleet().load.verification!;
    assert.equal(artifactCause(fleet, fleet.artifacts[0]!), undefined, 'a verified signature has no cause');
  });
});

describe("the tree's words", () => {
  test('an image row leads with the repository; the host goes to the description', () => {
    assert.deepEqual(imageNameAndHost(`${HOST}/rancher/fleet-agent:v0.13.0`), { name: 'rancher/fleet-agent:v0.13.0', host: HOST });
    assert.deepEqual(imageNameAndHost('docker.io/library/nginx:1.27'), { name: 'nginx:1.27', host: 'docker.io' });
    assert.deepEqual(imageNameAndHost(`ghcr.io/org/app@${D('1a2b')}`), { name: 'org/app@sha256:1a2b1a2b', host: 'ghcr.io' });
    assert.deepEqual(imageNameAndHost('oci-layout:/tmp/layouts/fleet:v1'), { name: 'fleet:v1', host: 'oci-layout:/tmp/layouts' });
    // Under a release rendered for its tag, the tag is the release's: said once, on the release's row.
    assert.deepEqual(imageNameAndHost(`${HOST}/rancher/fleet:v0.13.0`, 'v0.13.0'), { name: 'rancher/fleet', host: HOST });
    assert.deepEqual(imageNameAndHost(`${HOST}/rancher/fleet:latest`, 'v0.13.0'), { name: 'rancher/fleet:latest', host: HOST });
  });

  test('where an artifact was found, in a few words, for every format (the rows of the tree and the panel)', () => {
    const places = (
      [
        { format: 'cosign-tag', tag: 'sha256-ab.sig' },
        { format: 'cosign-tag', tag: 'sha256-ab.att' },
        { format: 'referrer', discovery: 'referrers-api' },
        { format: 'referrer', discovery: 'referrers-tag-schema' },
        { format: 'buildkit-index' },
        { format: 'bundle-file' },
        { format: 'github-api' },
      ] as const
    ).map((a) => artifactPlace(a));
    assert.deepEqual(places, [
      'cosign .sig tag',
      'cosign .att tag',
      'OCI referrer',
      'OCI referrer (tag schema)',
      'BuildKit, in the index',
      'bundle file',
      "GitHub's attestations API",
    ]);
  });

  test("a tooltip's first line: the verdict and the engine's first cause, both sides named", () => {
    const agent = demoAgent().load.verification!;
    assert.equal(causeLine('failed', causesOf(agent)), `Verification failed. ${WRONG_SIGNER.message}`);
    assert.ok(causeLine('failed', causesOf(agent)).includes(`"${FORK}", but the policy expects an identity matching ^${EXPECTED}$`));
    assert.equal(causeLine('unsigned', [UNSIGNED]), 'Unsigned. linux/s390x is not signed.');
    assert.equal(causeLine('verified', []), 'Verified');
  });

  test('a lookup that failed says its message once, never its first sentence twice', () => {
    const network = { code: 'NETWORK', message: 'GET http://127.0.0.1:1/v2/ failed: ECONNREFUSED. Check that the registry is reachable.' };
    assert.equal(failureNotice('127.0.0.1:1/app:v1', network), `127.0.0.1:1/app:v1: ${network.message}`);
    const missing = { code: 'MANIFEST_UNKNOWN', message: 'manifest rancher/fleet:v9 was not found on 127.0.0.1:5000.' };
    assert.equal(
      failureNotice('127.0.0.1:5000/rancher/fleet:v9', missing),
      '127.0.0.1:5000/rancher/fleet:v9: Not found in the registry. Manifest rancher/fleet:v9 was not found on 127.0.0.1:5000.',
    );
    assert.equal(failureTitle(network), 'GET http://127.0.0.1:1/v2/ failed: ECONNREFUSED.');
  });

  test("the status bar stands for the workspace's release, never for a lookup of this session", () => {
    const session = { origin: 'session' as const, images: [{ reference: 'x' }] };
    const user = { origin: 'user' as const, images: [{ reference: 'y' }] };
    const workspace = { origin: 'goreleaser' as const, images: [{ reference: 'z' }] };
    assert.equal(statusRelease([session, user, workspace]), workspace);
    assert.equal(statusRelease([session, user]), user);
    assert.equal(statusRelease([session]), undefined);
  });
});

const IDS: HoverCommands = { verify: 'p.verify', showProvenance: 'p.prov', reveal: 'p.reveal', setEnv: 'p.setEnv', signIn: 'p.signIn' };
const image = buildModel(readFileSync(realFixture('goreleaser', 'rancher-fleet', 'HEAD.goreleaser.yaml'), 'utf8'), {
  file: '/work/fleet/.goreleaser.yaml',
  env: { STAGE_REGISTRY: HOST },
  git: { tag: 'v0.13.0' },
}).release.images.find((i) => i.reference !== null)!;

describe('hover and CodeLens', () => {
  test("the hover leads with the verdict and its cause in one line, then the links, then the engine's sentence and the facts", () => {
    const { reference, load } = demoAgent();
    const md = hoverMarkdown([imageHover(image, reference, load, IDS)]);
    const blocks = md.split('\n\n');
    const [answer, links] = blocks[0]!.split('\\\n');
    assert.equal(answer, `**✗ verification failed** · ${escapeMarkdown('signed by fleet-fork/fleet, expected rancher/fleet')}`);
    assert.match(links!, /^\[Verify\]\(command:p\.verify\?.*\) · \[Show provenance\]/, 'the links on the next line of the same paragraph');
    assert.equal(blocks[1], `- ${escapeMarkdown(WRONG_SIGNER.message)}`);
    assert.ok(blocks.findIndex((b) => b.startsWith('Reference:')) > 1);
    assert.ok(blocks.at(-1)!.startsWith('Template:'));
  });

  test('each CodeLens names its own failure; the tooltip says it whole', () => {
    const lens = (d: ReturnType<typeof demoFleet>) => entryWords([{ reference: d.reference, unresolved: [], load: d.load }]);
    assert.equal(lens(demoFleet()).text, '✗ verification failed: linux/s390x is not signed · 3 platforms');
    assert.equal(lens(demoAgent()).text, '✗ verification failed: signed by fleet-fork/fleet, expected rancher/fleet · 3 platforms');
    assert.equal(lens(demoAgent()).cause?.message, WRONG_SIGNER.message);
  });
});

describe("the image panel's model", () => {
  test("a failed image opens on its worst platform, with the cause as the header's one line", () => {
    const { load } = demoFleet();
    const m = toPanelModel(load.graph, load.verification);
    assert.equal(m.focusPlatform, load.graph.platforms[2]!.digest, 'linux/s390x, not the first (verified) platform');
    assert.equal(m.verdict.cause, 'linux/s390x is not signed.', 'a platform name is not capitalised');
    assert.deepEqual(m.verdict.moreCauses, []);
    assert.deepEqual(
      m.platforms.map((p) => [p.platform, p.causeShort]),
      [
        ['linux/amd64', undefined],
        ['linux/arm64', undefined],
        ['linux/s390x', 'not signed'],
      ],
    );
  });

  test('the wrong signer: named in the header, on each platform, and on the signature that made it', () => {
    const { load } = demoAgent();
    const m = toPanelModel(load.graph, load.verification);
    assert.equal(m.verdict.cause, WRONG_SIGNER.message);
    assert.deepEqual(
      m.platforms.map((p) => p.causeShort),
      PLATFORMS.map(() => 'signed by fleet-fork/fleet, expected rancher/fleet'),
    );
    assert.equal(m.artifacts[0]!.cause, m.verdict.cause);
    assert.equal(m.artifacts[0]!.place, 'cosign .sig tag');
    assert.equal(m.focusPlatform, load.graph.platforms[0]!.digest, 'all fail alike: the first');
  });
});

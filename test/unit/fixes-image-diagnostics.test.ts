// The Problems entries of images (src/fixes/image-diagnostics.ts, goreleaser-sites.ts) on the demo
// workspace's .goreleaser.yaml (tools/demo-workspace.ts), from verdicts made by the engine itself
// (imageVerdict over hand-made graphs, as the demo's images are): fleet with linux/s390x unsigned,
// fleet-agent signed on the index by a fork's workflow. Each entry sits on the image's template
// and says the engine's first cause, word for word.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageGraph } from '../../src/model/image-graph';
import type { ArtifactState } from '../../src/model/verdict';
import type { ImageLoad } from '../../src/releases/types';
import { buildModel } from '../../src/hovers/release-context';
import type { GoreleaserModel } from '../../src/hovers/release-context';
import { goreleaserImageSites } from '../../src/fixes/goreleaser-sites';
import { DIAGNOSED_STATES, imageVerdictDiagnostics } from '../../src/fixes/image-diagnostics';
import type { ImageCheck } from '../../src/verify/image/image-checks';
import { imageVerdict } from '../../src/verify/image/image-verdict';
import type { ArtifactVerification } from '../../src/verify/image/verify-artifact';
import type { ImagePolicy } from '../../src/verify/policy/image-policy';
import { DEMO_TAG, EXPECTED_REPOSITORY, WRONG_REPOSITORY } from '../../tools/demo-release';
import { writeDemoWorkspace } from '../../tools/demo-workspace';
import { imagePolicy, indexGraph, numberDigest as d, platformEntry, verificationsBy, verifiedLoad } from '../support/image-graphs';

const REGISTRY = '127.0.0.1:5000';
const FLEET = `${REGISTRY}/rancher/fleet:${DEMO_TAG}`;
const AGENT = `${REGISTRY}/rancher/fleet-agent:${DEMO_TAG}`;
const ISSUER = 'https://token.actions.githubusercontent.com';
const identity = (repo: string) => `https://github.com/${repo}/.github/workflows/release.yml@refs/tags/${DEMO_TAG}`;
const PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/s390x'];

/** An index of PLATFORMS at `reference`: its digest is d(base), its platforms' the next ones. */
function graph(reference: string, base: number): ImageGraph {
  const platforms = PLATFORMS.map((p, i) => platformEntry(p, d(base + i + 1)));
  return indexGraph(d(base), platforms, { reference });
}

const pass = (code: ImageCheck['code']): ImageCheck => ({ code, status: 'pass', message: `${code} holds.` });
const add = verificationsBy({});
/** A cosign signature by `signer`, in `state` whatever it is. */
const signature = (g: ImageGraph, covers: string, state: ArtifactState, signer: string, checks: ImageCheck[] = []): ArtifactVerification =>
  add(g, covers, state, { identity: signer, issuer: ISSUER, checks });

const policy = imagePolicy({ identity: { regexp: `^${identity(EXPECTED_REPOSITORY).replace(/[.]/g, '\\.')}$` }, issuer: { exact: ISSUER } });

const loaded = (g: ImageGraph, results: ArtifactVerification[], p: ImagePolicy = policy): ImageLoad =>
  verifiedLoad(g, { artifacts: results, verdict: imageVerdict(g, results, p) }, 1);

/** fleet: amd64 and arm64 signed by rancher/fleet, s390x by nobody. */
function fleet(): ImageLoad {
  const g = graph(FLEET, 100);
  return loaded(g, [
    signature(g, g.platforms[0]!.digest, 'verified', identity(EXPECTED_REPOSITORY)),
    signature(g, g.platforms[1]!.digest, 'verified', identity(EXPECTED_REPOSITORY)),
  ]);
}

/** fleet-agent: the index signed by the fork's workflow (authentic, wrong identity). */
function agent(): ImageLoad {
  const g = graph(AGENT, 200);
  const checks = [
    pass('BUNDLE_FORMAT'),
    pass('CERTIFICATE_CHAIN'),
    pass('TLOG'),
    pass('SIGNATURE'),
    { code: 'IDENTITY' as const, status: 'fail' as const, message: 'The certificate identity is not the one expected.' },
  ];
  return loaded(g, [signature(g, g.digest, 'failed', identity(WRONG_REPOSITORY), checks)]);
}

describe('Problems entries of the demo release', () => {
  let dir: string;
  let model: GoreleaserModel;
  let text: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pl-fixes-diag-'));
    writeDemoWorkspace(dir, { registryHost: REGISTRY });
    text = readFileSync(join(dir, '.goreleaser.yaml'), 'utf8');
    model = buildModel(text, { file: join(dir, '.goreleaser.yaml'), env: { STAGE_REGISTRY: REGISTRY }, git: {}, picked: DEMO_TAG });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("one entry per failed image, on its image template, in the engine's words", () => {
    const loads = new Map([
      [`${FLEET}`, fleet()],
      [`${AGENT}`, agent()],
    ]);
    const sites = goreleaserImageSites(model.release);
    assert.deepEqual(
      sites.map((s) => s.reference),
      [FLEET, AGENT],
    );
    const ds = imageVerdictDiagnostics(
      sites,
      (r) => loads.get(r),
      (r) => `${r.start}`,
    );
    assert.deepEqual(
      ds.map((x) => [x.reference, x.state, x.code, text.slice(x.range.start, x.range.end), x.range.line]),
      [
        [FLEET, 'failed', 'NO_SIGNATURE', '"{{ .Env.STAGE_REGISTRY }}/rancher/fleet"', 16],
        [AGENT, 'failed', 'IDENTITY_MISMATCH', '"{{ .Env.STAGE_REGISTRY }}/rancher/fleet-agent"', 37],
      ],
    );
    assert.equal(ds[0]!.message, 'linux/s390x is not signed.');
    // fleet-agent: the signer seen and the identity expected, both named; the same words as the engine's.
    for (const x of ds) {
      const load = loads.get(x.reference) as Extract<ImageLoad, { status: 'loaded' }>;
      assert.equal(x.message, load.verification!.verdict.causes[0]!.message);
      assert.deepEqual(x.causes, load.verification!.verdict.causes);
    }
    assert.ok(ds[1]!.message.includes(JSON.stringify(identity(WRONG_REPOSITORY))), ds[1]!.message);
    assert.ok(ds[1]!.message.includes(`github\\.com/${EXPECTED_REPOSITORY}`), ds[1]!.message);
    assert.deepEqual(ds[1]!.causes[0]!.seen, [{ identity: identity(WRONG_REPOSITORY), issuer: ISSUER }]);
  });

  test('verified, excepted, not yet verified, not loaded and unreadable images have no entry; unsigned and unpinned ones do', () => {
    const g = graph(FLEET, 300);
    const ok = loaded(
      g,
      PLATFORMS.map((_, i) => signature(g, g.platforms[i]!.digest, 'verified', identity(EXPECTED_REPOSITORY))),
    );
    assert.equal((ok as { verification: { verdict: { state: string } } }).verification.verdict.state, 'verified');
    const excepted = loaded(graph(FLEET, 400), [], { ...policy, exception: { reason: 'staging' } });
    const unsigned = loaded(graph(FLEET, 500), []);
    const g2 = graph(FLEET, 600);
    const unpinned = loaded(g2, [signature(g2, g2.digest, 'unpinned', identity(WRONG_REPOSITORY))], imagePolicy());
    const inspected: ImageLoad = { status: 'loaded', graph: g, ms: 1 };
    const failedRead: ImageLoad = { status: 'failed', failure: { code: 'NOT_FOUND', message: 'no such tag' } };
    const sites = goreleaserImageSites(model.release).slice(0, 1);
    const states = (load: ImageLoad | undefined) =>
      imageVerdictDiagnostics(
        sites,
        () => load,
        (r) => `${r.start}`,
      ).map((x) => [x.state, x.code]);
    assert.deepEqual(states(ok), []);
    assert.deepEqual(states(excepted), []);
    assert.deepEqual(states(inspected), []);
    assert.deepEqual(states(failedRead), []);
    assert.deepEqual(states(undefined), []);
    assert.deepEqual(states({ status: 'loading' }), []);
    assert.deepEqual(states(unsigned), [['unsigned', 'NO_SIGNATURE']]);
    assert.deepEqual(states(unpinned), [['unpinned', 'UNPINNED']]);
    assert.deepEqual(DIAGNOSED_STATES, ['failed', 'unsigned', 'unpinned']);
  });

  test('two tags of one template with the same cause are one entry; a template that cannot be rendered has none', () => {
    const two = buildModel(
      text.replace('      - "{{ .Tag }}"\n    dockerfile: package/Dockerfile\n', '      - "{{ .Tag }}"\n      - latest\n    dockerfile: package/Dockerfile\n'),
      { file: join(dir, '.goreleaser.yaml'), env: { STAGE_REGISTRY: REGISTRY }, git: {}, picked: DEMO_TAG },
    );
    const sites = goreleaserImageSites(two.release);
    assert.deepEqual(
      sites.map((s) => s.reference),
      [FLEET, `${REGISTRY}/rancher/fleet:latest`, AGENT],
    );
    const load = fleet();
    assert.equal(
      imageVerdictDiagnostics(
        sites,
        (r) => (r.includes('/rancher/fleet:') ? load : undefined),
        (r) => `${r.start}`,
      ).length,
      1,
    );
    const unrendered = buildModel(text, { file: join(dir, '.goreleaser.yaml'), env: {}, git: {}, picked: DEMO_TAG });
    assert.deepEqual(
      goreleaserImageSites(unrendered.release).map((s) => s.reference),
      [null, null],
    );
    assert.deepEqual(
      imageVerdictDiagnostics(
        goreleaserImageSites(unrendered.release),
        () => load,
        (r) => `${r.start}`,
      ),
      [],
    );
  });
});

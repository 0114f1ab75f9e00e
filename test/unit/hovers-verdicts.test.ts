// The words of the goreleaser lenses and hovers, and the "docker_signs should have signed it"
// check, from the release service's load states: over fleet's real config (test/fixtures/real)
// where the shape of a real release matters, over small configs where one rule is tested.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ImageGraph } from '../../src/model/image-graph';
import type { ImageLoad } from '../../src/releases/types';
import type { ImageVerification } from '../../src/releases/verification';
import type { DigestState, ImageState } from '../../src/model/verdict';
import { buildModel } from '../../src/hovers/release-context';
import { SIGN_MISSING, signedImages, signGapDiagnostics, signWords } from '../../src/hovers/sign-gaps';
import { entryWords, loadWords } from '../../src/hovers/verdict-words';
import type { EntryImage } from '../../src/hovers/verdict-words';
import { digestVerdict, indexGraph, letterDigest, platformEntry, verifiedLoad } from '../support/image-graphs';
import { realFixture } from '../support/real-fixtures';

const FLEET = realFixture('goreleaser', 'rancher-fleet', 'HEAD.goreleaser.yaml');

const D = letterDigest;
const SIGNER = 'https://github.com/rancher/fleet/.github/workflows/release.yml@refs/tags/v0.12.0';

const graph = (reference: string, digest: string, platforms = ['linux/amd64', 'linux/arm64']): ImageGraph =>
  indexGraph(
    digest,
    platforms.map((p, i) => platformEntry(p, D(String(i + 1)))),
    { reference },
  );

/** A digest's verdict; verified ones are signed by rancher/fleet's release workflow. */
const digestVerdictOf = (digest: string, target: string, own: DigestState, state: DigestState = own) =>
  digestVerdict(digest, target, own, state, { signedBy: own === 'verified' ? [SIGNER] : [] });

/** A loaded, verified image whose index has signatures in state `own` and an image verdict `state`. */
function verified(g: ImageGraph, state: ImageState, own: DigestState, failing?: string): ImageLoad {
  return verifiedLoad(g, {
    artifacts: [],
    verdict: {
      verified: state === 'verified',
      state,
      coverage: `index ${own}`,
      causes: [],
      digests: [
        digestVerdictOf(g.digest, 'index', own),
        ...g.platforms.map((p) => digestVerdictOf(p.digest, p.platform, 'unsigned', own === 'verified' ? 'verified' : own)),
      ],
      checks: failing ? [{ code: 'COVERAGE', status: 'fail', message: `${failing}.` }] : [],
    },
  });
}

const failed = (code: string, registry = 'r.test'): ImageLoad => ({ status: 'failed', failure: { code, message: `${code} from ${registry}`, registry } });
const image = (reference: string | null, load?: ImageLoad, extra: Partial<EntryImage> = {}): EntryImage => ({
  reference,
  unresolved: [],
  ...(load ? { load } : {}),
  ...extra,
});

test('one image: the verdict and its platforms, or what stops it', () => {
  const g = graph('r.test/app:v1', D('a'));
  assert.equal(entryWords([image('r.test/app:v1', verified(g, 'verified', 'verified'))]).text, '✓ verified · 2 platforms');
  assert.equal(entryWords([image('r.test/app:v1', verified(g, 'failed', 'failed'))]).text, '✗ 1 verification failed · 2 platforms');
  assert.equal(entryWords([image('r.test/app:v1', verified(g, 'unsigned', 'unsigned'))]).text, 'unsigned · 2 platforms');
  assert.equal(entryWords([image('r.test/app:v1', verified(g, 'unpinned', 'unpinned'))]).text, 'signed, signer not pinned · 2 platforms');
  assert.equal(entryWords([image('r.test/app:v1', failed('UNAUTHORIZED'))]).text, 'not checked: sign in');
  assert.equal(entryWords([image('r.test/app:v1', failed('MANIFEST_UNKNOWN'))]).text, 'not found in the registry');
  assert.equal(entryWords([image('r.test/app:v1', { status: 'loading' })]).text, '…');
  assert.equal(entryWords([image('r.test/app:v1')]).text, '…');
  assert.deepEqual(loadWords({ status: 'loaded', graph: g, verifying: true, ms: 3 }), { text: '… verifying', tone: 'pending' });
  assert.equal(loadWords({ status: 'loaded', graph: g, ms: 3 }).text, 'no signature found · not verified', 'inspection alone, nothing attached');
});

test('several images: counted by verdict, worst first', () => {
  const a = graph('r.test/app:v1', D('a'));
  const b = graph('r.test/app:latest', D('a'));
  assert.equal(
    entryWords([image('r.test/app:v1', verified(a, 'verified', 'verified')), image('r.test/app:latest', verified(b, 'verified', 'verified'))]).text,
    '✓ 2 images verified · 2 platforms',
  );
  assert.equal(
    entryWords([image('r.test/app:v1', verified(a, 'verified', 'verified')), image('r.test/app:latest', verified(b, 'failed', 'failed'))]).text,
    '✗ 1 verification failed · ✓ 1 verified',
  );
  assert.equal(
    entryWords([image('r.test/app:v1', verified(a, 'verified', 'verified')), image('r.test/app:latest', { status: 'loading' })]).text,
    '… checking 2 images',
  );
  assert.equal(
    entryWords([image('r.test/app:v1', verified(a, 'verified', 'verified')), image(null, undefined, { unresolved: ['.Env.X'] })]).text,
    '✓ verified · 2 platforms · 1 image not rendered',
  );
});

test('entries that push nothing, or cannot be rendered, say so', () => {
  assert.equal(entryWords([image(null, undefined, { published: false, skip: 'disabled' })]).text, 'not pushed: disabled');
  assert.equal(
    entryWords([image(null, undefined, { published: false, skip: 'skip_push' }), image(null, undefined, { published: false, skip: 'skip_push' })]).text,
    'not pushed: skip_push',
  );
  assert.equal(
    entryWords([image(null, undefined, { unresolved: ['.Env.STAGE_REGISTRY', '.Tag', '.Env.B'] })]).text,
    'needs .Env.STAGE_REGISTRY, .Tag and 1 more',
  );
});

const fleet = (env: Record<string, string> = {}) =>
  buildModel(readFileSync(FLEET, 'utf8'), {
    file: '/work/fleet/.goreleaser.yaml',
    env: { STAGE_REGISTRY: '127.0.0.1:5000', PRIME_REGISTRY: 'registry.suse.com', ...env },
    git: { tag: 'v0.12.0', commit: '3b2c622ce176b11644abc7fb768f87c3ffb5a3ab' },
  });

test('fleet: docker_signs signs the staging images; the registry copy without a verifying signature is a warning on its image', () => {
  const model = fleet();
  assert.deepEqual(
    model.release.signs.map((s) => [s.id, s.signs.map((i) => i.reference)]),
    [
      ['prime-fleet', ['127.0.0.1:5000/rancher/fleet:v0.12.0']],
      ['prime-fleet-agent', ['127.0.0.1:5000/rancher/fleet-agent:v0.12.0']],
    ],
  );
  const fleetGraph = graph('127.0.0.1:5000/rancher/fleet:v0.12.0', D('a'));
  const agentGraph = graph('127.0.0.1:5000/rancher/fleet-agent:v0.12.0', D('b'));
  const loads: Record<string, ImageLoad> = {
    '127.0.0.1:5000/rancher/fleet:v0.12.0': verified(fleetGraph, 'verified', 'verified'),
    '127.0.0.1:5000/rancher/fleet-agent:v0.12.0': verified(agentGraph, 'failed', 'failed', 'index has signatures, but none verifies'),
  };
  const states = signedImages(model.release, (r) => loads[r]);
  assert.deepEqual(
    states.map((s) => [s.sign.id, s.own, s.digest]),
    [
      ['prime-fleet', 'verified', D('a')],
      ['prime-fleet-agent', 'failed', D('b')],
    ],
  );
  const diagnostics = signGapDiagnostics(states);
  assert.equal(diagnostics.length, 1);
  const d = diagnostics[0]!;
  assert.equal(d.code, SIGN_MISSING);
  assert.equal(d.severity, 'warning');
  assert.equal(model.analysis.text.slice(d.range.start, d.range.end), '"{{ .Env.STAGE_REGISTRY }}/rancher/fleet-agent"');
  assert.equal(
    d.message,
    'docker_signs[1] (prime-fleet-agent) should sign 127.0.0.1:5000/rancher/fleet-agent:v0.12.0 (pushed digest sha256:bbbbbbbbbbbb…), but the registry copy has signatures on that digest, but none verifies with the identity the policy expects: index has signatures, but none verifies.',
  );
  assert.equal(
    model.analysis.text.slice(d.related![0]!.range.start, d.related![0]!.range.end),
    '"--sign-container-identity={{ .Env.PRIME_REGISTRY }}/rancher/fleet-agent:{{ .Tag }}"',
  );
  assert.deepEqual(signWords(states.filter((s) => s.sign.index === 0)), { text: 'signs 1 image · ✓ 1 signed', tone: 'good' });
  assert.deepEqual(signWords(states.filter((s) => s.sign.index === 1)), { text: 'signs 1 image · ✗ 1 without a verified signature', tone: 'bad' });
});

test('fleet: an unsigned pushed digest is a warning; unpinned, unverified or unread ones are not', () => {
  const model = fleet();
  const g = (c: string) => graph('127.0.0.1:5000/rancher/fleet:v0.12.0', D(c));
  const gaps = (load: ImageLoad | undefined) =>
    signGapDiagnostics(signedImages(model.release, (r) => (r.endsWith('/rancher/fleet:v0.12.0') ? load : undefined)));
  assert.match(gaps(verified(g('c'), 'unsigned', 'unsigned'))[0]!.message, /has no signature on that digest\.$/);
  assert.deepEqual(gaps(verified(g('c'), 'unpinned', 'unpinned')), []);
  assert.deepEqual(gaps(verified(g('c'), 'not-checked', 'not-checked')), []);
  assert.deepEqual(gaps({ status: 'loaded', graph: g('c'), ms: 1 }), [], 'inspected, not verified: no claim');
  assert.deepEqual(gaps(failed('UNAUTHORIZED')), []);
  assert.deepEqual(gaps(undefined), []);
});

test('fleet without STAGE_REGISTRY: docker_signs names what it waits for', () => {
  const model = buildModel(readFileSync(FLEET, 'utf8'), { file: '/w/.goreleaser.yaml', env: {}, git: { tag: 'v0.12.0' } });
  const states = signedImages(model.release, () => undefined);
  assert.deepEqual(signWords(states.filter((s) => s.sign.index === 0)), { text: 'signs 1 image · needs .Env.STAGE_REGISTRY', tone: 'warn' });
});

test('an unsigned image is "unsigned", not "unsigned: nothing is signed"; a platform left unsigned is named', () => {
  const g = graph('r.test/app:v1', D('a'));
  const withCauses = (causes: ImageVerification['verdict']['causes']): ImageLoad => {
    const load = verified(g, 'unsigned', 'unsigned');
    assert.equal(load.status, 'loaded');
    const v = load.verification!;
    return { ...load, verification: { ...v, verdict: { ...v.verdict, causes } } };
  };
  const nothing = withCauses([{ code: 'NO_SIGNATURE', message: 'Nothing is signed.', platforms: ['index', 'linux/amd64', 'linux/arm64'] }]);
  assert.deepEqual(loadWords(nothing), { text: 'unsigned', tone: 'bad', state: 'unsigned' });
  assert.equal(entryWords([image('r.test/app:v1', nothing)]).text, 'unsigned · 2 platforms');
  const one = withCauses([{ code: 'NO_SIGNATURE', message: 'linux/arm64 is not signed.', platform: 'linux/arm64', digest: D('2') }]);
  assert.equal(loadWords(one).cause?.short, 'linux/arm64 is not signed');
  assert.equal(entryWords([image('r.test/app:v1', one)]).text, 'unsigned: linux/arm64 is not signed · 2 platforms');
});

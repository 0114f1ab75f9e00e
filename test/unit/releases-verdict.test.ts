import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Artifact, ImageGraph } from '../../src/model/image-graph';
import { artifactsCovering, signedBy } from '../../src/releases/evidence';
import { appendImage, dropImage, repositoryOf, retagImage, withTag } from '../../src/releases/image-list';
import { shownVerdict, platformVerdict, progressSettled, progressShape, summarizeLoads } from '../../src/releases/verdict';
import type { ImageVerification } from '../../src/releases/verification';
import { artifact, digestVerdict, indexGraph, letterDigest, platformEntry } from '../support/image-graphs';

const D = letterDigest;
const INDEX = D('0');
const AMD = D('1');
const ARM = D('2');

const platform = (key: string, digest: string) => platformEntry(key, digest, { imageSize: 12_300_000 });
const art = artifact;
const graph = (artifacts: Artifact[], problems: ImageGraph['problems'] = []): ImageGraph =>
  indexGraph(INDEX, [platform('linux/amd64', AMD), platform('linux/arm64', ARM)], { artifacts, problems });

const cosignSig = (covers: string, digest: string) =>
  art('signature', 'cosign-tag', covers, digest, { tag: `sha256-${covers.slice(7)}.sig`, annotations: { 'dev.cosignproject.cosign/signature': 'MEUC' } });
const buildkit = (covers: string, digest: string) => art('attestation', 'buildkit-index', covers, digest, { predicateType: 'https://slsa.dev/provenance/v1' });

test('a signature on the index covers every platform (marked as via the index)', () => {
  const g = graph([cosignSig(INDEX, D('a')), buildkit(AMD, D('b'))]);
  assert.deepEqual(shownVerdict(g), { state: 'signature-found', verified: false });
  assert.deepEqual(platformVerdict(g, AMD), { state: 'signature-found', verified: false, viaIndex: true });
});

test('platforms signed one by one: all signed, or partly signed', () => {
  assert.equal(shownVerdict(graph([cosignSig(AMD, D('a')), cosignSig(ARM, D('b'))])).state, 'signature-found');
  const partly = graph([cosignSig(AMD, D('a')), buildkit(ARM, D('b'))]);
  assert.equal(shownVerdict(partly).state, 'partly-signed');
  assert.equal(platformVerdict(partly, AMD).state, 'signature-found');
  assert.equal(platformVerdict(partly, ARM).state, 'attestations-only');
});

test('BuildKit attestations alone are not a signature; nothing at all is nothing found', () => {
  assert.equal(shownVerdict(graph([buildkit(AMD, D('b'))])).state, 'attestations-only');
  assert.equal(shownVerdict(graph([])).state, 'nothing-found');
});

test('a part that could not be read makes the verdict incomplete, never unsigned', () => {
  const g = graph([], [{ at: `sha256-${ARM.slice(7)}.sig`, code: 'REGISTRY_ERROR', message: '500' }]);
  assert.equal(shownVerdict(g).state, 'incomplete');
  assert.equal(platformVerdict(g, ARM).state, 'incomplete');
  assert.equal(platformVerdict(g, AMD).state, 'nothing-found');
});

test('a verification result replaces the inspect-level verdict', () => {
  const g = graph([cosignSig(INDEX, D('a'))]);
  const digest = (d: string, target: string, state: 'verified' | 'failed', through = false, own: 'verified' | 'failed' | 'unsigned' = state) =>
    digestVerdict(d, target, own, state, { throughIndex: through });
  const verification: ImageVerification = {
    artifacts: [],
    verdict: {
      verified: false,
      state: 'failed',
      coverage: 'linux/arm64 is not covered',
      causes: [],
      checks: [],
      digests: [digest(INDEX, 'index', 'failed'), digest(AMD, 'linux/amd64', 'verified', true, 'unsigned'), digest(ARM, 'linux/arm64', 'failed')],
    },
    trustRoot: {} as ImageVerification['trustRoot'],
  };
  assert.deepEqual(shownVerdict(g, verification), { state: 'failed', verified: true });
  assert.deepEqual(platformVerdict(g, AMD, verification), { state: 'verified', verified: true, viaIndex: true });
  assert.deepEqual(platformVerdict(g, ARM, verification), { state: 'failed', verified: true });
  // A platform with its own verified signature is not "via the index", even when the index is signed too.
  const both: ImageVerification = {
    ...verification,
    verdict: { ...verification.verdict, digests: [digest(AMD, 'linux/amd64', 'verified', true, 'verified')] },
  };
  assert.deepEqual(platformVerdict(g, AMD, both), { state: 'verified', verified: true });
});

test('who signed, from the annotations alone', () => {
  assert.deepEqual(signedBy(buildkit(AMD, D('b'))), { kind: 'unsigned', why: 'buildkit' });
  assert.deepEqual(signedBy(cosignSig(AMD, D('a'))), { kind: 'key' });
  assert.deepEqual(signedBy(art('sbom', 'cosign-tag', AMD, D('c'), { tag: 'sha256-x.sbom' })), { kind: 'unsigned', why: 'attachment' });
  assert.deepEqual(signedBy(art('attestation', 'referrer', AMD, D('d'), { artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json' })), {
    kind: 'bundle',
  });
  assert.deepEqual(signedBy(art('signature', 'cosign-tag', AMD, D('e'), { annotations: { 'dev.sigstore.cosign/certificate': 'not a pem' } })), {
    kind: 'certificate',
  });
});

test('artifacts about artifacts nest under the artifact they cover', () => {
  const sbom = art('sbom', 'referrer', INDEX, D('s'));
  const sigOnSbom = art('signature', 'referrer', D('s'), D('t'), { depth: 1 });
  const tree = artifactsCovering(graph([sbom, sigOnSbom, cosignSig(INDEX, D('a'))]), INDEX);
  assert.deepEqual(
    tree.map((e) => [e.artifact.digest, e.children.map((c) => c.artifact.digest)]),
    [
      [D('s'), [D('t')]],
      [D('a'), []],
    ],
  );
});

test('a release summary leads with its worst image and counts the rest', () => {
  const signed = { status: 'loaded' as const, graph: graph([cosignSig(INDEX, D('a'))]), ms: 1 };
  const bare = { status: 'loaded' as const, graph: graph([]), ms: 1 };
  const s = summarizeLoads([
    signed,
    bare,
    { status: 'loading' },
    { status: 'idle' },
    { status: 'failed', failure: { code: 'UNAUTHORIZED', message: 'no' } },
    null,
  ]);
  assert.deepEqual(s, {
    images: 6,
    idle: 1,
    loading: 1,
    verifying: 0,
    failed: 1,
    unresolved: 1,
    counts: { 'signature-found': 1, 'nothing-found': 1 },
    worst: { state: 'nothing-found', verified: false },
  });
});

test('a release in outline: policy verdicts and load states change it, counts and inspect-only states do not', () => {
  const base = { images: 40, idle: 0, loading: 30, verifying: 2, failed: 0, unresolved: 0 };
  const oneVerified = progressShape({ ...base, counts: { verified: 1, 'signature-found': 2 } });
  assert.equal(progressShape({ ...base, counts: {} }), '|true|true|false|false|false');
  assert.equal(oneVerified, 'verified|true|true|false|false|false');
  // More of the same, or images passing through "signed (not verified)": the same outline.
  assert.equal(progressShape({ ...base, loading: 12, counts: { verified: 25 } }), oneVerified);
  // A new policy verdict, a failure, the end of the load: another.
  assert.notEqual(progressShape({ ...base, counts: { verified: 5, unsigned: 1 } }), oneVerified);
  assert.notEqual(progressShape({ ...base, failed: 1, counts: { verified: 1 } }), oneVerified);
  assert.notEqual(progressShape({ ...base, loading: 0, counts: { verified: 38, 'signature-found': 2 } }), oneVerified);
  // Nothing loading and the last verifications done: the end of the load, drawn at once (a CI
  // bench waited a routine second for the last two verdicts when this was not a change).
  const lastTwo = { ...base, loading: 0, counts: { verified: 38, 'signature-found': 2 } };
  const done = { ...base, loading: 0, verifying: 0, counts: { verified: 40 } };
  assert.notEqual(progressShape(done), progressShape(lastTwo));
  assert.equal(progressSettled(lastTwo), false);
  assert.equal(progressSettled(done), true);
});

test('verifying: loaded images whose verification is under way, still counted by what they show', () => {
  const s = summarizeLoads([{ status: 'loaded', graph: graph([cosignSig(INDEX, D('a'))]), ms: 1, verifying: true }, { status: 'loading' }]);
  assert.equal(s.verifying, 1);
  assert.equal(s.loading, 1);
  assert.equal(
    Object.values(s.counts).reduce((a, b) => a + (b ?? 0), 0),
    1,
  );
});

test('the user image list: normalised, no duplicates, a tag switch keeps the place', () => {
  let list = appendImage([], 'nginx:1.27');
  list = appendImage(list, 'docker.io/library/nginx:1.27');
  list = appendImage(list, 'ghcr.io/org/app@sha256:' + 'f'.repeat(64));
  assert.deepEqual(list, ['docker.io/library/nginx:1.27', `ghcr.io/org/app@sha256:${'f'.repeat(64)}`]);
  assert.deepEqual(retagImage(list, 'docker.io/library/nginx:1.27', '1.28'), ['docker.io/library/nginx:1.28', list[1]]);
  assert.equal(withTag(`ghcr.io/org/app:v1@sha256:${'f'.repeat(64)}`, 'v2'), 'ghcr.io/org/app:v2');
  assert.equal(repositoryOf('127.0.0.1:5000/team/app:v1'), '127.0.0.1:5000/team/app');
  assert.deepEqual(dropImage(list, list[0]!), [list[1]]);
  assert.throws(() => appendImage(list, 'Not A Reference'), /Invalid image reference/);
});

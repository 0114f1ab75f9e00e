import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startRegistry, type TestRegistry } from '../support/registry';
import { EVERY_FORMAT_RELEASE, MEDIA, PREDICATE, pushReleaseFixture, type ReleaseFixture } from '../support/fixtures';
import { fetchManifest, pushBlob, pushManifest } from '../support/push';
import { seedLayout } from '../support/storage-seed';
import { realFixtureDir } from '../support/real-fixtures';
import { cli } from '../support/cli';
import type { ProvenanceEntry, ProvenanceReport } from '../../src/provenance/collect';

const GENERATOR = realFixtureDir('cosign-signatures', 'slsa-github-generator-container');

const NOT_VERIFIED = 'not verified — run `provenance-lens verify`';
const report = (stdout: string) => JSON.parse(stdout) as ProvenanceReport;
const hex = (digest: string) => digest.slice('sha256:'.length);
/** [format, coversDigest, attachedTo] of each entry, sorted: what a platform's provenance is made of. */
const shape = (entries: readonly ProvenanceEntry[]) => entries.map((e) => [e.format, e.coversDigest, e.attachedTo]).sort();

describe('provenance against a real registry: all three formats', () => {
  let reg: TestRegistry;
  let fx: ReleaseFixture;
  before(async () => {
    reg = await startRegistry();
    fx = await pushReleaseFixture(reg, 'rancher/fleet-agent', { ...EVERY_FORMAT_RELEASE, dockerListTag: null, singleArchTag: null });
  });
  after(() => reg.stop());

  test('--json: per platform, BuildKit statements, cosign .att and referrers, with the digest each covers', async () => {
    const r = await cli(['provenance', `${reg.host}/rancher/fleet-agent:v0.13.0`, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const rep = report(r.stdout);
    assert.equal(rep.reference, `${reg.host}/rancher/fleet-agent:v0.13.0`);
    assert.equal(rep.digest, fx.index.digest);
    assert.equal(rep.kind, 'index');
    assert.deepEqual(rep.problems, []);
    assert.deepEqual(
      rep.platforms.map((p) => [p.platform, p.digest]),
      fx.index.platforms.map((p) => [p.key, p.digest]),
    );
    const idx = fx.index.digest;
    for (const p of rep.platforms) {
      const expected: string[][] = [
        ['buildkit-index', p.digest, 'platform'],
        ['cosign-tag', idx, 'index'],
        ['referrer', idx, 'index'],
      ];
      if (p.platform === 'linux/arm64') expected.push(['cosign-tag', p.digest, 'platform']);
      if (p.platform === 'linux/amd64') expected.push(['referrer', p.digest, 'platform']);
      assert.deepEqual(shape(p.provenance), expected.sort(), p.platform);
      for (const e of p.provenance) {
        assert.equal(e.verified, false);
        assert.equal(e.predicateType, PREDICATE.slsaV1);
        assert.equal(e.subjectMatches, true, `${e.format} on ${e.coversDigest}`);
        assert.deepEqual(e.warnings, []);
        assert.equal(e.error, undefined);
        assert.equal(
          e.container,
          {
            'buildkit-index': 'statement',
            'cosign-tag': 'dsse',
            referrer: 'sigstore-bundle',
            'bundle-file': 'sigstore-bundle',
            'github-api': 'sigstore-bundle',
          }[e.format],
        );
        const s = e.summary!;
        assert.equal(s.builder.id, 'https://provenance-lens.test/builder');
        assert.equal(s.knownBuildType?.label, 'BuildKit');
        assert.equal(s.parameters.frontend, 'dockerfile.v0');
        assert.deepEqual(s.parameters.buildArgs, [{ name: 'VERSION', value: '1.0.0' }]);
        assert.equal(s.invocationId, 'fixture');
        assert.deepEqual([s.startedOn, s.finishedOn], ['2025-01-02T03:04:05Z', '2025-01-02T03:04:05Z']);
        assert.deepEqual((e.statement as { subject: Array<{ digest: { sha256: string } }> }).subject[0]!.digest.sha256, hex(e.coversDigest));
      }
    }
    // The BuildKit entry is the very blob the fixture pushed for that platform.
    const amd64 = rep.platforms.find((p) => p.platform === 'linux/amd64')!;
    const bk = fx.index.attestations.find((a) => a.platformKey === 'linux/amd64')!.statements.find((s) => s.predicateType === PREDICATE.slsaV1)!;
    assert.equal(amd64.provenance.find((e) => e.format === 'buildkit-index')!.artifactDigest, bk.blobDigest);
  });

  test('--platform narrows to one platform; the text says what it is and that it is not verified', async () => {
    const r = await cli(['provenance', `${reg.host}/rancher/fleet-agent:v0.13.0`, '--platform', 'linux/arm64']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], `${reg.host}/rancher/fleet-agent:v0.13.0`);
    assert.equal(lines[1], `${fx.index.digest}  image index`);
    assert.ok(lines.includes(`linux/arm64  ${fx.index.platforms.find((p) => p.key === 'linux/arm64')!.digest.slice(0, 19)}`), r.stdout);
    assert.ok(!r.stdout.includes('linux/amd64'));
    const heads = lines.filter((l) => l.startsWith('  SLSA v1 provenance · '));
    assert.equal(heads.length, 4);
    assert.ok(heads.every((h) => h.endsWith(NOT_VERIFIED)));
    assert.equal(heads.filter((h) => h.includes('BuildKit attestation in the index (unsigned) · attached to this platform')).length, 1);
    assert.equal(heads.filter((h) => h.includes('cosign .att (DSSE) · attached to the index')).length, 1);
    assert.equal(heads.filter((h) => h.includes('cosign .att (DSSE) · attached to this platform')).length, 1);
    assert.equal(heads.filter((h) => h.includes('OCI referrer (Sigstore bundle) · attached to the index')).length, 1);
    // Index-level provenance is printed once, before the platform it applies to.
    const indexLine = lines.indexOf(`index ${fx.index.digest.slice(0, 19)}  (applies to every platform)`);
    assert.ok(indexLine > 0 && indexLine < lines.findIndex((l) => l.startsWith('linux/arm64  ')), r.stdout);
    assert.ok(lines.includes('    build args      VERSION=1.0.0'));
    assert.ok(lines.includes('    build type      BuildKit — https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md'));
    assert.ok(lines.includes('    note: No source repository or commit is recorded.'));

    const json = report((await cli(['provenance', `${reg.host}/rancher/fleet-agent:v0.13.0`, '--platform', 'linux/arm/v7', '--json'])).stdout);
    assert.deepEqual(
      json.platforms.map((p) => p.platform),
      ['linux/arm/v7'],
    );
  });

  test('an unknown platform, a wrong reference, no reference: exit 2 with the cause', async () => {
    const r = await cli(['provenance', `${reg.host}/rancher/fleet-agent:v0.13.0`, '--platform', 'windows/amd64']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /has no platform windows\/amd64; it has: linux\/amd64, linux\/arm64, linux\/arm\/v7, linux\/s390x\. \[USAGE\]/);
    assert.equal((await cli(['provenance'])).code, 2);
    const missing = await cli(['provenance', `${reg.host}/rancher/fleet-agent:v9`]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /\[NOT_FOUND\]/);
  });
});

describe('provenance that does not fit the digest it is attached to, or cannot be read', () => {
  let reg: TestRegistry;
  let fx: ReleaseFixture;
  const repo = 'tampered/app';
  before(async () => {
    reg = await startRegistry();
    fx = await pushReleaseFixture(reg, repo, { cosignFor: ['linux/arm64'], referrersFor: [], dockerListTag: null, singleArchTag: null });
    const digestOf = (key: string) => fx.index.platforms.find((p) => p.key === key)!.digest;
    // linux/arm64's .att, also tagged for linux/amd64: a statement about another image.
    const att = await fetchManifest(reg, repo, `sha256-${hex(digestOf('linux/arm64'))}.att`);
    await pushManifest(reg, repo, `sha256-${hex(digestOf('linux/amd64'))}.att`, att.bytes, MEDIA.ociManifest);
    // linux/s390x: a cosign .att whose envelope payload is not base64.
    const layer = Buffer.from(JSON.stringify({ payloadType: MEDIA.inToto, payload: '%%% not base64 %%%', signatures: [{ sig: 'AAAA' }] }));
    const config = Buffer.from('{}');
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.ociManifest,
        config: { mediaType: MEDIA.ociConfig, digest: await pushBlob(reg, repo, config), size: config.length },
        layers: [
          {
            mediaType: MEDIA.dsse,
            digest: await pushBlob(reg, repo, layer),
            size: layer.length,
            annotations: { predicateType: PREDICATE.slsaV1, 'dev.cosignproject.cosign/signature': '' },
          },
        ],
      }),
    );
    await pushManifest(reg, repo, `sha256-${hex(digestOf('linux/s390x'))}.att`, manifest, MEDIA.ociManifest);
  });
  after(() => reg.stop());

  test('a subject mismatch is a visible warning, in JSON and in text', async () => {
    const amd64 = fx.index.platforms.find((p) => p.key === 'linux/amd64')!.digest;
    const r = await cli(['provenance', `${reg.host}/${repo}:v1.0.0`, '--platform', 'linux/amd64', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const cosign = report(r.stdout).platforms[0]!.provenance.find((e) => e.format === 'cosign-tag')!;
    assert.equal(cosign.coversDigest, amd64);
    assert.equal(cosign.subjectMatches, false);
    assert.deepEqual(
      cosign.warnings.map((w) => w.code),
      ['SUBJECT_MISMATCH'],
    );
    assert.ok(cosign.summary, 'the statement is still shown');
    const text = await cli(['provenance', `${reg.host}/${repo}:v1.0.0`, '--platform', 'linux/amd64']);
    assert.ok(
      text.stdout.includes(`    ! The statement's subject does not include ${amd64}, the digest it is attached to: it is about something else.`),
      text.stdout,
    );
  });

  test('an attestation that cannot be read is an error entry; the rest is still shown', async () => {
    const r = await cli(['provenance', `${reg.host}/${repo}:v1.0.0`, '--platform', 'linux/s390x', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const entries = report(r.stdout).platforms[0]!.provenance;
    const broken = entries.find((e) => e.format === 'cosign-tag')!;
    assert.deepEqual(broken.error, { code: 'PAYLOAD_ENCODING', message: 'The DSSE payload is not base64.' });
    assert.equal(broken.predicateType, PREDICATE.slsaV1);
    assert.equal(broken.summary, undefined);
    assert.ok(
      entries.some((e) => e.format === 'buildkit-index' && e.summary),
      'BuildKit provenance of the same platform is still shown',
    );
    const text = await cli(['provenance', `${reg.host}/${repo}:v1.0.0`, '--platform', 'linux/s390x']);
    assert.match(text.stdout, /! could not read sha256:[0-9a-f]{12}: The DSSE payload is not base64\. \[PAYLOAD_ENCODING\]/);
  });
});

describe('the real slsa-github-generator images (cosign save layouts laid into the registry)', () => {
  let reg: TestRegistry;
  before(async () => {
    reg = await startRegistry();
  });
  after(() => reg?.stop());

  const COMMITS: Record<string, string> = {
    'v1.4.0': '904e2c3e02725e314cf6cf141c4700081298dcbd',
    'v1.5.0': '63d4b1ff9c0e93006cf1768314cf1d0675a33b88',
    'v1.6.0': 'c14c546e54940a410195ede9aa0e7ee2ef1e16d0',
    'v1.7.0': '62cb1f1e485829bafe8bbec8b9900c0cb7624fe7',
    'v1.8.0': '6cf671f47f3752f97b9f5bff511e37b938fe10d2',
  };
  for (const [version, commit] of Object.entries(COMMITS)) {
    test(`${version}: the generator's signed provenance on the image digest, BuildKit's on the platform, same commit`, async () => {
      const layout = `${GENERATOR}/${version}/container_workflow_dispatch`;
      seedLayout(reg.storageDir, `slsa/${version}`, layout, { tag: version });
      const image = readFileSync(`${layout}.digest`, 'utf8').trim();
      const r = await cli(['provenance', `${reg.host}/slsa/${version}:${version}`, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const rep = report(r.stdout);
      assert.equal(rep.digest, image);
      assert.deepEqual(
        rep.platforms.map((p) => p.platform),
        ['linux/amd64'],
      );
      const entries = rep.platforms[0]!.provenance;
      const generator = entries.find((e) => e.format === 'cosign-tag')!;
      assert.equal(generator.coversDigest, image);
      assert.equal(generator.attachedTo, version === 'v1.4.0' ? 'platform' : 'index');
      assert.equal(generator.subjectMatches, true);
      assert.equal(generator.predicateType, 'https://slsa.dev/provenance/v0.2');
      assert.equal(
        generator.summary!.builder.id,
        `https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/${version}`,
      );
      assert.equal(generator.summary!.knownBuildType?.label, 'slsa-github-generator (container)');
      assert.deepEqual(
        [generator.summary!.source?.repository, generator.summary!.source?.ref, generator.summary!.source?.commit],
        ['https://github.com/slsa-framework/example-package', 'refs/heads/main', commit],
      );
      assert.equal(generator.summary!.trigger, 'workflow_dispatch');
      const bk = entries.filter((e) => e.format === 'buildkit-index');
      assert.equal(bk.length, version === 'v1.4.0' ? 0 : 1);
      if (bk[0]) {
        assert.equal(bk[0].coversDigest, rep.platforms[0]!.digest);
        assert.equal(bk[0].subjectMatches, true);
        assert.equal(bk[0].summary!.source?.commit, commit);
      }
    });
  }

  test('straight from the cosign save layout (oci-layout:), the same provenance', async () => {
    const layout = `${GENERATOR}/v1.8.0/container_workflow_dispatch`;
    seedLayout(reg.storageDir, 'slsa/compare', layout, { tag: 'v1.8.0' });
    const fromLayout = report((await cli(['provenance', `oci-layout:${layout}`, '--json'])).stdout);
    const fromRegistry = report((await cli(['provenance', `${reg.host}/slsa/compare:v1.8.0`, '--json'])).stdout);
    assert.deepEqual(fromLayout.platforms, fromRegistry.platforms);
  });
});

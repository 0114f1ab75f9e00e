import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeAttestation } from '../../src/claims/envelope';
import { ProvenanceError } from '../../src/claims/errors';
import { statementCovers } from '../../src/claims/statement';
import { readProvenance } from '../../src/provenance/summary';
import { realFixture } from '../support/real-fixtures';

// The same statements as they travel: inside real Sigstore bundles (GitHub artifact attestations,
// npm), inside the real cosign `.att` DSSE envelopes of slsa-github-generator images, and as
// BuildKit's bare statements in those images' indexes.

const read = (path: string) => readFileSync(realFixture(path));

describe('statements inside Sigstore bundles', () => {
  test('a v0.3 bundle (GitHub artifact attestation) decodes to the statement its DSSE payload holds', () => {
    const doc = readProvenance(read('sigstore-bundles/gh-cli/reusable-workflow-attestation.sigstore.json'));
    assert.equal(doc.container, 'sigstore-bundle');
    assert.equal(doc.bundleMediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    assert.equal(doc.payloadType, 'application/vnd.in-toto+json');
    assert.equal(doc.signatureCount, 1);
    // test/fixtures/real/SOURCES.md: the .intoto.json fixture is this payload, base64-decoded.
    const bare = readProvenance(read('slsa-provenance/github-artifact-attestations/reusable-workflow.whl.slsa-v1.intoto.json'));
    assert.deepEqual(doc.raw, bare.raw);
    assert.deepEqual(doc.summary, bare.summary);
  });

  test('a v0.1 bundle (npm sigstore@2.0.0) gives the same summary as its derived statement', () => {
    const doc = readProvenance(read('sigstore-bundles/sigstore-go/bundles/sigstore.js@2.0.0-provenance.sigstore.json'));
    assert.equal(doc.bundleMediaType, 'application/vnd.dev.sigstore.bundle+json;version=0.1');
    assert.deepEqual(doc.summary, readProvenance(read('slsa-provenance/npm/sigstore-2.0.0.slsa-v1.intoto.json')).summary);
  });

  test("npm's SLSA v0.2 provenance (buildType gha/v2): source, workflow, trigger and run from the runner variables", () => {
    const s = readProvenance(read('sigstore-bundles/sigstore-go/examples/bundle-provenance.json')).summary;
    assert.equal(s.slsaVersion, '0.2');
    assert.equal(s.builder.id, 'https://github.com/actions/runner');
    assert.deepEqual(s.knownBuildType, {
      id: 'npm-github-actions',
      label: 'npm CLI on GitHub Actions',
      family: 'npm',
      spec: 'https://docs.npmjs.com/generating-provenance-statements',
    });
    assert.deepEqual(
      [s.source?.repository, s.source?.ref, s.source?.commit, s.source?.from],
      ['https://github.com/sigstore/sigstore-js', 'refs/heads/main', 'dae8bd8eb433a4147b4655c00fe73e0f22bc0fb1', 'configSource'],
    );
    assert.deepEqual(s.workflow, { repository: 'https://github.com/sigstore/sigstore-js', ref: 'refs/heads/main', path: '.github/workflows/release.yml' });
    assert.equal(s.trigger, 'push');
    // npm writes `buildInvocationId` as the spec spells it (BuildKit and the generator write `...ID`).
    assert.equal(s.invocationId, '4735384265-1');
    assert.equal(s.runUrl, 'https://github.com/sigstore/sigstore-js/actions/runs/4735384265/attempts/1');
    assert.deepEqual(s.completeness, { parameters: false, environment: false, materials: false });
    assert.deepEqual(s.subject, [
      {
        name: 'pkg:npm/sigstore@1.3.0',
        digest: { sha512: '76176ffa33808b54602c7c35de5c6e9a4deb96066dba6533f50ac234f4f1f4c6b3527515dc17c06fbe2860030f410eee69ea20079bd3a2c6f3dcf3b329b10751' },
      },
    ]);
  });

  test('a bundle with another predicate decodes, but is not provenance', () => {
    const decoded = decodeAttestation(read('sigstore-bundles/cosign/oci-attestation.sigstore.json'));
    assert.equal(decoded.statement.predicateType, 'https://cosign.sigstore.dev/attestation/v1');
    assert.throws(
      () => readProvenance(read('sigstore-bundles/cosign/oci-attestation.sigstore.json')),
      (e: unknown) => e instanceof ProvenanceError && e.code === 'NOT_PROVENANCE',
    );
  });

  test('a message-signature bundle carries no statement', () => {
    assert.throws(
      () => decodeAttestation(read('sigstore-bundles/sigstore-python/bundle_v3.txt.sigstore')),
      (e: unknown) => e instanceof ProvenanceError && e.code === 'NOT_AN_ATTESTATION',
    );
  });
});

const GENERATOR = 'slsa-github-generator-container';
interface LayoutCase {
  version: string;
  commit: string;
  run: string;
  envelope: string;
  buildkit?: string;
}
const LAYOUTS: LayoutCase[] = [
  {
    version: 'v1.4.0',
    commit: '904e2c3e02725e314cf6cf141c4700081298dcbd',
    run: '3894877440',
    envelope: '784c5bd14237b9a979fd0251f01dcc7956f06da243ca1e9c52470c410e53c654',
  },
  {
    version: 'v1.5.0',
    commit: '63d4b1ff9c0e93006cf1768314cf1d0675a33b88',
    run: '4288274909',
    envelope: '9415121fcda10d24ab9738a79ea75192c589400a5063a0181a5b5d6d674248c3',
    buildkit: 'c90ea216960d524d8404b99ba52136dfc8e34ae053a4cc9ceb4be61f06194923',
  },
  {
    version: 'v1.6.0',
    commit: 'c14c546e54940a410195ede9aa0e7ee2ef1e16d0',
    run: '5063709022',
    envelope: '6a353e333eb116103813d4912f0b8d06e747412299b52f92a21bf87c1c54680a',
    buildkit: '90bd5e7ffe5c5c94a631ce42a5483325703d0a9d0a70cccdbceae99e89dbb016',
  },
  {
    version: 'v1.7.0',
    commit: '62cb1f1e485829bafe8bbec8b9900c0cb7624fe7',
    run: '5201384557',
    envelope: '4a1b72c77c15781687300c3b0362513b5b040ac33dcaee4e245c24621d494d4d',
    buildkit: '5df72ae6c51fcff1ee6bf5d3807841fd0490907ec0c2329f9559134ed48faeed',
  },
  {
    version: 'v1.8.0',
    commit: '6cf671f47f3752f97b9f5bff511e37b938fe10d2',
    run: '5758772739',
    envelope: '291729ce6264067c1a61f8156f9133f2efcc3f72341d5cd22f2b9ba279ecb25f',
    buildkit: 'b5d5bed7682d285fe850b15e8e5a3df200ff2f202d12f1c72017b03c1aed29d4',
  },
];

describe('slsa-github-generator images: cosign .att envelopes and BuildKit statements', () => {
  for (const c of LAYOUTS) {
    test(`${c.version}: the generator's provenance covers the image digest and agrees with BuildKit's on the commit`, () => {
      const layout = `cosign-signatures/${GENERATOR}/${c.version}/container_workflow_dispatch`;
      const imageDigest = read(`${layout}.digest`).toString('utf8').trim();
      const att = readProvenance(read(`${layout}/blobs/sha256/${c.envelope}`));
      assert.equal(att.container, 'dsse');
      assert.equal(att.signatureCount, 1);
      const s = att.summary;
      assert.equal(
        s.builder.id,
        `https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/${c.version}`,
      );
      assert.equal(s.knownBuildType?.id, 'slsa-github-generator-container');
      assert.deepEqual(
        [s.source?.repository, s.source?.ref, s.source?.commit],
        ['https://github.com/slsa-framework/example-package', 'refs/heads/main', c.commit],
      );
      assert.equal(s.trigger, 'workflow_dispatch');
      assert.equal(s.invocationId, `${c.run}-1`);
      assert.equal(s.runUrl, `https://github.com/slsa-framework/example-package/actions/runs/${c.run}/attempts/1`);
      assert.ok(statementCovers(att.statement, imageDigest), 'subject is the image digest');
      assert.ok(!statementCovers(att.statement, `sha256:${'0'.repeat(64)}`));
      if (!c.buildkit) return;
      // BuildKit's statement sits in the index, about the platform manifest; same checkout, same run.
      const bk = readProvenance(read(`${layout}/blobs/sha256/${c.buildkit}`));
      assert.equal(bk.container, 'statement');
      assert.equal(bk.summary.source?.commit, c.commit);
      assert.equal(bk.summary.runUrl, `https://github.com/slsa-framework/example-package/actions/runs/${c.run}`);
      assert.ok(!statementCovers(bk.statement, imageDigest), "BuildKit's subject is the platform, not the index");
    });
  }
});

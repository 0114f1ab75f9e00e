import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import { seedLayout } from '../support/storage-seed';
import { realFixtureDir } from '../support/real-fixtures';
import { cli } from '../support/cli';
import type { ImageGraph } from '../../src/model/image-graph';
import type { ImageVerdict } from '../../src/verify/image/image-verdict';
import type { ArtifactVerification } from '../../src/verify/image/verify-artifact';

// The coverage rule on the real slsa-github-generator images (its container workflow runs
// `cosign attest` only: a signed SLSA provenance attestation, no .sig), through a real registry
// and the CLI: cosign's rule (the default) says "unsigned"; slsa-verifier's rule
// (`--coverage signatures-or-attestations`, or `coverage:` in the policy file) verifies them
// for the generator's identity, and the sentence says which rule covered what.
const GENERATOR = realFixtureDir('cosign-signatures', 'slsa-github-generator-container');

type VerifyJson = Omit<ImageGraph, 'artifacts'> & {
  artifacts: Array<ImageGraph['artifacts'][number] & ArtifactVerification>;
  verdict: ImageVerdict;
  policy: { coverage: string; sources: Record<string, string> };
};
const GITHUB = 'https://token.actions.githubusercontent.com';
const SLSA02 = 'https://slsa.dev/provenance/v0.2';
const generatorIdentity = (v: string) =>
  `https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/${v}`;
const RULE = 'signatures-or-attestations';

describe('coverage: signatures-or-attestations on the real slsa-github-generator images', () => {
  let reg: TestRegistry;
  before(async () => {
    reg = await startRegistry();
  });
  after(() => reg?.stop());

  const seed = (version: string, repo: string): { ref: string; digest: string } => {
    const layout = `${GENERATOR}/${version}/container_workflow_dispatch`;
    seedLayout(reg.storageDir, repo, layout, { tag: version });
    return { ref: `${reg.host}/${repo}:${version}`, digest: readFileSync(`${layout}.digest`, 'utf8').trim() };
  };
  const verify = async (ref: string, args: string[]): Promise<{ code: number; out: VerifyJson; stderr: string }> => {
    const r = await cli(['verify', ref, '--json', ...args]);
    assert.ok(r.stdout.startsWith('{'), r.stderr);
    return { code: r.code, out: JSON.parse(r.stdout) as VerifyJson, stderr: r.stderr };
  };
  const pinned = (v: string) => ['--certificate-identity', generatorIdentity(v), '--certificate-oidc-issuer', GITHUB];

  for (const version of ['v1.4.0', 'v1.5.0', 'v1.6.0', 'v1.7.0', 'v1.8.0']) {
    test(`${version}: verified with the generator's identity under ${RULE}; unsigned under the default`, async () => {
      const { ref, digest } = seed(version, `cov/${version}`);
      const strict = await verify(ref, [...pinned(version), '--require-attestation', SLSA02]);
      assert.deepEqual(
        [strict.code, strict.out.verdict.state, strict.out.verdict.coverageRule, strict.out.policy.coverage],
        [1, 'unsigned', 'signatures', 'signatures'],
      );

      const r = await verify(ref, [...pinned(version), '--require-attestation', SLSA02, '--coverage', RULE]);
      assert.equal(r.code, 0, r.out.verdict.coverage);
      const v = r.out.verdict;
      assert.deepEqual([v.state, v.verified, v.coverageRule, r.out.policy.coverage, r.out.policy.sources.coverage], ['verified', true, RULE, RULE, 'cli']);
      const att = r.out.artifacts.find((a) => a.format === 'cosign-tag')!;
      assert.deepEqual(
        [att.state, att.kind, att.coversDigest, att.identity, att.issuer],
        ['verified', 'attestation', digest, generatorIdentity(version), GITHUB],
      );
      const platform = r.out.platforms[0]!.platform;
      const coverage = v.checks.filter((c) => c.code === 'COVERAGE');
      if (version === 'v1.4.0') {
        // A single manifest: the attestation is on the platform manifest itself.
        assert.equal(r.out.kind, 'manifest');
        assert.equal(
          v.coverage,
          `${platform} covered by a verified SLSA provenance attestation by ${generatorIdentity(version)} (coverage: ${RULE}); verified attestations: ${SLSA02} on ${platform}`,
        );
        assert.deepEqual(
          coverage.map((c) => [c.status, c.message]),
          [
            [
              'pass',
              `${platform} is covered by a verified SLSA provenance attestation by ${generatorIdentity(version)}, with no signature (coverage: ${RULE}).`,
            ],
          ],
        );
      } else {
        assert.equal(r.out.kind, 'index');
        assert.equal(
          v.coverage,
          `index not signed, attested by ${generatorIdentity(version)}; ${platform} covered by a verified SLSA provenance attestation on the index (coverage: ${RULE}); verified attestations: ${SLSA02} on the index`,
        );
        assert.deepEqual(
          coverage.map((c) => [c.status, c.message, c.evidence?.coveredBy]),
          [
            [
              'pass',
              `${platform} is covered by a verified SLSA provenance attestation on the index, by ${generatorIdentity(version)}, with no signature (coverage: ${RULE}).`,
              'attestation',
            ],
          ],
        );
        assert.deepEqual(
          v.digests.map((d) => [d.target, d.ownState, d.coveredBy, d.state, d.throughIndex]),
          [
            ['index', 'verified', 'attestation', 'verified', false],
            [platform, 'unsigned', undefined, 'verified', true],
          ],
        );
        // BuildKit's in-index statement is still unsigned and covers nothing.
        assert.ok(r.out.artifacts.filter((a) => a.format === 'buildkit-index').every((a) => a.state === 'unsigned'));
      }
    });
  }

  test('never verified without the pinned signer: another generator release fails, nothing pinned is unpinned', async () => {
    const { ref } = seed('v1.6.0', 'cov/pins');
    const wrong = await verify(ref, [...pinned('v1.5.0'), '--coverage', RULE]);
    assert.deepEqual([wrong.code, wrong.out.verdict.state], [1, 'failed']);
    assert.match(wrong.out.verdict.coverage, /not covered \(signed by .*@refs\/tags\/v1\.6\.0, not the signer the policy expects\)/);
    // The text's verdict line names both refs and never says the attestation does not verify.
    const wrongText = await cli(['verify', ref, ...pinned('v1.5.0'), '--coverage', RULE]);
    assert.equal(
      wrongText.stdout.split('\n')[2],
      'NOT VERIFIED: signed by …generator_container_slsa3.yml@refs/tags/v1.6.0, but the policy expects …@refs/tags/v1.5.0',
    );
    assert.doesNotMatch(wrongText.stdout, /does not verify/);
    const unpinned = await verify(ref, ['--coverage', RULE]);
    assert.deepEqual([unpinned.code, unpinned.out.verdict.state, unpinned.out.verdict.verified], [1, 'unpinned', false]);
    // The text names the signer it saw as flags to pin it, and those flags do verify it.
    const text = await cli(['verify', ref, '--coverage', RULE]);
    const hint = text.stdout.split('\n').slice(-4);
    assert.deepEqual(hint, [
      'To pin a signer seen here, add its flags (only for one you recognise as your release workflow):',
      `  --certificate-identity ${generatorIdentity('v1.6.0')} \\`,
      `    --certificate-oidc-issuer ${GITHUB}`,
      '',
    ]);
    const pinnedNow = await verify(ref, ['--coverage', RULE, ...hint.slice(1, 3).join(' ').replace(' \\', '').trim().split(/ +/)]);
    assert.deepEqual([pinnedNow.code, pinnedNow.out.verdict.state], [0, 'verified']);
    assert.ok(!(await cli(['verify', ref, ...pinned('v1.5.0'), '--coverage', RULE])).stdout.includes('To pin'), 'a failed verdict suggests nothing');
  });

  test('the policy file states the rule; a flag replaces it; the human output names it', async () => {
    const { ref } = seed('v1.8.0', 'cov/policy');
    const policy = join(mkdtempSync(join(tmpdir(), 'pl-policy-')), '.provenance-lens.yaml');
    writeFileSync(
      policy,
      [
        'version: 1',
        'images:',
        `  - image: ${reg.host}/cov/**`,
        `    identity: ${generatorIdentity('v1.8.0')}`,
        `    issuer: ${GITHUB}`,
        `    coverage: ${RULE}`,
        '    attestations: [slsa-provenance]',
        '',
      ].join('\n'),
    );
    const fromFile = await verify(ref, ['--policy', policy]);
    assert.deepEqual([fromFile.code, fromFile.out.verdict.state, fromFile.out.policy.sources.coverage], [0, 'verified', 'policy-file']);
    const overridden = await verify(ref, ['--policy', policy, '--coverage', 'signatures']);
    assert.deepEqual([overridden.code, overridden.out.verdict.state, overridden.out.policy.sources.coverage], [1, 'unsigned', 'cli']);
    assert.match(overridden.out.verdict.coverage, /; attestations do not count as signatures \(coverage: signatures\)$/);
    const failing = overridden.out.verdict.checks.find((c) => c.code === 'COVERAGE')!;
    assert.match(
      failing.message,
      /does not count as a signature under coverage: signatures \(cosign verify's rule\); coverage: signatures-or-attestations \(slsa-verifier's rule\) accepts it\.$/,
    );

    const text = await cli(['verify', ref, '--policy', policy]);
    assert.equal(text.code, 0);
    assert.match(
      text.stdout,
      new RegExp(`^VERIFIED: index not signed, attested by ${generatorIdentity('v1.8.0').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')};`, 'm'),
    );
    assert.match(text.stdout, /^index sha256:[0-9a-f]{12} +\[verified\] covered by a verified attestation by .* \(coverage: signatures-or-attestations\)$/m);
    assert.match(text.stdout, /^linux\/amd64 sha256:[0-9a-f]{12} +\[verified\] covered through the index, by a verified attestation by /m);
    assert.match(text.stdout, /; coverage: signatures-or-attestations \(policy-file\)/);
  });

  test('usage: an unknown rule is refused (exit 2)', async () => {
    const r = await cli(['verify', `${reg.host}/cov/none:v1`, '--coverage', 'attestations']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--coverage takes signatures or signatures-or-attestations, got "attestations"/);
  });
});

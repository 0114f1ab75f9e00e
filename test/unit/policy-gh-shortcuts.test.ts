// `gh attestation verify`'s --owner, --repo, --signer-workflow and --signer-repo, as flags and as
// keys of a policy's `github:` block, over the certificates of real GitHub artifact attestations:
// one from GitHub's instance (actions/attest-demo) and one signed by a reusable workflow for
// malancas/attest-demo (public good).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { policyFromFlags } from '../../src/cli/policy-flags';
import type { PolicyFlagValues } from '../../src/cli/policy-flags';
import { LensError } from '../../src/core/errors';
import { artifactFromDigest } from '../../src/verify/bundle/artifact';
import { runBundle } from '../../src/verify/image/bundle-run';
import type { BundleRun } from '../../src/verify/image/bundle-run';
import { githubAttestationPolicy } from '../../src/verify/policy/github-attestation-policy';
import { matches } from '../../src/verify/policy/identity-policy';
import type { ImagePolicy } from '../../src/verify/policy/image-policy';
import { parsePolicyFile } from '../../src/verify/policy/policy-file';
import { policyForImage } from '../../src/verify/policy/policy-resolve';
import { loadTrustRoot } from '../../src/verify/trust/trust-root';
import type { TrustRoot } from '../../src/verify/trust/trust-types';
import { realFixture } from '../support/real-fixtures';

const read = (name: string): Buffer => readFileSync(realFixture('sigstore-bundles', 'gh-cli', name));
const PRIVATE = {
  bundle: () => read('github_provenance_demo-0.0.12-py3-none-any-bundle.jsonl'),
  digest: 'sha256:ae57936def59bc4c75edd3a837d89bcefc6d3a5e31d55a6fa7a71624f92c3c3b',
};
const REUSABLE = {
  bundle: () => read('reusable-workflow-attestation.sigstore.json'),
  digest: 'sha256:49a3aa6075e0f49f82843e74b5baa614ad2a588e6675612bf108a0a008c5ac25',
};

let roots: TrustRoot;
before(async () => {
  roots = await loadTrustRoot();
});

async function run(which: typeof PRIVATE, flags: PolicyFlagValues): Promise<BundleRun> {
  const policy = await policyFromFlags(flags);
  return runBundle({ bundle: which.bundle(), artifact: artifactFromDigest(which.digest), policy, trustRoot: roots });
}
const verified = (r: BundleRun): boolean => r.result.verified && !r.checks.some((c) => c.status === 'fail');
const failing = (r: BundleRun): string[] => r.checks.filter((c) => c.status === 'fail').map((c) => `${c.code}: ${c.message}`);

describe('the flags, with the meaning gh gives them', () => {
  test('--owner: the source repository owner (1.16) and a workflow of one of its repositories; no ref', async () => {
    const r = await run(PRIVATE, { owner: 'actions' });
    assert.ok(verified(r), JSON.stringify(failing(r)));
    assert.ok(
      r.checks.some((c) => c.code === 'GITHUB_CLAIMS' && c.status === 'pass' && /source repository owner "https:\/\/github\.com\/actions"/.test(c.message)),
    );
    // Any case, as GitHub's names are.
    assert.ok(verified(await run(PRIVATE, { owner: 'Actions' })));
  });

  test('--owner of someone else fails on the signer, naming the owner extension', async () => {
    const r = await run(PRIVATE, { owner: 'octo-org' });
    assert.equal(verified(r), false);
    assert.ok(
      failing(r).some((f) =>
        /^GITHUB_CLAIMS: The certificate's source repository owner \(1\.3\.6\.1\.4\.1\.57264\.1\.16\) is "https:\/\/github\.com\/actions"/.test(f),
      ),
      JSON.stringify(failing(r)),
    );
    assert.ok(failing(r).some((f) => f.startsWith('IDENTITY:')));
  });

  test('--repo: the source repository (1.12) and any of its workflows, at any ref', async () => {
    assert.ok(verified(await run(PRIVATE, { repo: 'actions/attest-demo' })));
    const other = await run(PRIVATE, { repo: 'actions/other-repo' });
    assert.ok(
      failing(other).some((f) => /source repository \(1\.3\.6\.1\.4\.1\.57264\.1\.12\) is "https:\/\/github\.com\/actions\/attest-demo"/.test(f)),
      JSON.stringify(failing(other)),
    );
  });

  test('--signer-workflow: a reusable workflow signs for the repository; --repo alone refuses it, as gh does', async () => {
    const signer = 'github/artifact-attestations-workflows/.github/workflows/attest.yml';
    const r = await run(REUSABLE, { repo: 'malancas/attest-demo', 'signer-workflow': signer });
    assert.ok(verified(r), JSON.stringify(failing(r)));
    assert.equal(r.result.trustRoot.instance, 'sigstore-public-good');
    const alone = await run(REUSABLE, { repo: 'malancas/attest-demo' });
    assert.deepEqual(
      failing(alone).map((f) => f.split(':')[0]),
      ['IDENTITY'],
    );
    // A ref asked for after @ is pinned; another ref fails.
    assert.ok(verified(await run(REUSABLE, { owner: 'malancas', 'signer-workflow': `${signer}@09b495c3f12c7881b3cc17209a327792065c1a1d` })));
    assert.equal(verified(await run(REUSABLE, { owner: 'malancas', 'signer-workflow': `${signer}@refs/heads/main` })), false);
  });

  test('a wrong signer workflow fails IDENTITY, naming both workflows', async () => {
    const r = await run(PRIVATE, { repo: 'actions/attest-demo', 'signer-workflow': 'actions/attest-demo/.github/workflows/release.yml' });
    assert.deepEqual(
      failing(r).map((f) => f.split(':')[0]),
      ['IDENTITY'],
    );
    assert.match(failing(r)[0]!, /build-python\.yml@refs\/heads\/main.*release\\\.yml/);
  });

  test('--signer-repo: any workflow of that repository', async () => {
    assert.ok(verified(await run(REUSABLE, { owner: 'malancas', 'signer-repo': 'github/artifact-attestations-workflows' })));
    assert.equal(verified(await run(REUSABLE, { owner: 'malancas', 'signer-repo': 'malancas/attest-demo' })), false);
  });

  test("usage errors: a signer without an owner or repository, both signers, an owner that is not the repository's", async () => {
    const usage = (flags: PolicyFlagValues, re: RegExp) =>
      assert.rejects(policyFromFlags(flags), (e: unknown) => e instanceof LensError && e.code === 'USAGE' && re.test(e.message));
    await usage({ 'signer-repo': 'a/b' }, /go with --owner or --repo/);
    await usage({ owner: 'a', 'signer-repo': 'a/b', 'signer-workflow': 'a/b/.github/workflows/x.yml' }, /not both/);
    await usage({ owner: 'a', repo: 'b/c' }, /not the owner of the repository b\/c/);
    await usage({ repo: 'nope' }, /--repo takes ORG\/NAME/);
  });

  test('an identity flag given as well still wins for the SAN, the claims stay', async () => {
    const p = await policyFromFlags({ owner: 'actions', 'certificate-identity': 'https://example.com/x' });
    assert.deepEqual(p.identity, { exact: 'https://example.com/x' });
    assert.ok(p.github?.sourceRepositoryOwnerUri);
    assert.equal(p.sources.github, 'cli');
  });
});

describe('the keys of the policy file', () => {
  const parse = (yaml: string) => parsePolicyFile(yaml, '/work/.provenance-lens.yaml');

  test("owner, repository and signerWorkflow: gh's meaning, no ref pinned", () => {
    const { policy, diagnostics } = parse(`version: 1
images:
  - image: ghcr.io/malancas/**
    github:
      repository: malancas/attest-demo
      signerWorkflow: github/artifact-attestations-workflows/.github/workflows/attest.yml
`);
    assert.deepEqual(diagnostics, []);
    const p: ImagePolicy = policyForImage(policy, 'ghcr.io/malancas/attest-demo:v1.0.0');
    assert.equal(p.github?.sourceRepositoryRef, undefined, 'no ref pinned, though the image has a tag');
    assert.ok(
      matches(p.identity!, 'https://github.com/github/artifact-attestations-workflows/.github/workflows/attest.yml@09b495c3f12c7881b3cc17209a327792065c1a1d'),
    );
    assert.ok(matches(p.github!.sourceRepositoryOwnerUri!, 'https://github.com/malancas'));
    assert.ok(matches(p.github!.sourceRepositoryUri!, 'https://github.com/Malancas/attest-demo'));
    assert.equal(p.slsa, undefined, 'gh reads no provenance content');
  });

  test('an owner alone is a statement about all its repositories: nothing guessed from the image name', () => {
    const { policy } = parse('version: 1\nimages:\n  - image: ghcr.io/acme/**\n    github: { owner: acme }\n');
    const p = policyForImage(policy, 'ghcr.io/acme/tool:v2');
    assert.equal(p.github?.sourceRepositoryUri, undefined);
    assert.ok(matches(p.identity!, 'https://github.com/acme/other/.github/workflows/release.yml@refs/heads/main'));
    assert.equal(matches(p.identity!, 'https://github.com/evil/acme/.github/workflows/release.yml@refs/heads/main'), false);
  });

  test("ref, when written, pins the source ref and the caller's workflow at it", () => {
    const { policy } = parse(
      'version: 1\nimages:\n  - image: ghcr.io/acme/app\n    github: { owner: acme, repository: acme/app, workflow: release.yml, ref: "refs/tags/{{tag}}" }\n',
    );
    const p = policyForImage(policy, 'ghcr.io/acme/app:v2.0.0');
    assert.deepEqual(p.github?.sourceRepositoryRef, { exact: 'refs/tags/v2.0.0' });
    assert.ok(matches(p.identity!, 'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v2.0.0'));
    assert.equal(matches(p.identity!, 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main'), false);
  });

  test('conflicts and bad values are diagnosed at their key', () => {
    const { policy, diagnostics } = parse(`version: 1
images:
  - image: ghcr.io/acme/app
    github:
      owner: other
      repository: acme/app
      signerWorkflow: acme/app/release.yml
      signerRepository: acme/workflows
`);
    assert.equal(policy, undefined);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.at]),
      [
        ['CONFLICT', 'images[0].github.owner'],
        ['INVALID_VALUE', 'images[0].github.signerWorkflow'],
        ['CONFLICT', 'images[0].github.signerRepository'],
      ],
    );
  });
});

describe('githubAttestationPolicy', () => {
  test('every value is escaped and the owner part of an owner-only identity takes one path segment', () => {
    const p = githubAttestationPolicy({ owner: 'a.b' });
    assert.equal(matches(p.identity, 'https://github.com/aXb/r/.github/workflows/w.yml@x'), false);
    assert.equal(matches(p.identity, 'https://github.com/a.b/r/x/.github/workflows/w.yml@x'), false);
    assert.ok(matches(p.identity, 'https://github.com/A.B/r/.github/workflows/w.yml@refs/tags/v1'));
  });
});

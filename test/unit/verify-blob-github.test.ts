// `provenance-lens verify-blob` on real GitHub artifact attestations, with no --trusted-root: the
// `.jsonl` gh attestation download wrote for a wheel from GitHub's instance, and a public-good one;
// the root used is reported, a wrong digest and a wrong workflow fail naming why, and a `.jsonl` of
// several bundles is verified and reported bundle by bundle.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlobVerification } from '../../src/verify/bundle/verify-blob';
import { cli } from '../support/cli';
import { realFixture } from '../support/real-fixtures';

const GH = realFixture('sigstore-bundles', 'gh-cli', 'github_provenance_demo-0.0.12-py3-none-any-bundle.jsonl');
const PUBLIC = realFixture('sigstore-bundles', 'gh-cli', 'reusable-workflow-attestation.sigstore.json');
const WHEEL = 'sha256:ae57936def59bc4c75edd3a837d89bcefc6d3a5e31d55a6fa7a71624f92c3c3b';
const PUBLIC_WHEEL = 'sha256:49a3aa6075e0f49f82843e74b5baa614ad2a588e6675612bf108a0a008c5ac25';
const ISSUER = 'https://token.actions.githubusercontent.com';
const GH_IDENTITY = 'https://github.com/actions/attest-demo/.github/workflows/build-python.yml@refs/heads/main';
const PUBLIC_IDENTITY = 'https://github.com/github/artifact-attestations-workflows/.github/workflows/attest.yml@09b495c3f12c7881b3cc17209a327792065c1a1d';

const blob = async (bundle: string, artifact: string, identity: string, extra: string[] = []) => {
  const r = await cli(['verify-blob', '--bundle', bundle, '--certificate-identity', identity, '--certificate-oidc-issuer', ISSUER, ...extra, artifact]);
  return {
    ...r,
    json: extra.includes('--json')
      ? (JSON.parse(r.stdout) as BlobVerification & { bundles?: Array<BlobVerification & { origin: string }>; verified: boolean })
      : undefined,
  };
};
const fails = (r: BlobVerification) => r.checks.filter((c) => c.status === 'fail').map((c) => c.code);

describe('verify-blob: real GitHub attestations, no trusted root given', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pl-blob-gh-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("GitHub's instance: verified against GitHub's embedded root, which the output names", async () => {
    const r = await blob(GH, WHEEL, GH_IDENTITY, ['--json']);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.json?.trustRoot.instance, 'github');
    const text = await blob(GH, WHEEL, GH_IDENTITY);
    assert.match(
      text.stdout,
      /^INFO {2}TRUST_ROOT {8}Using the github trusted root from embedded provenance-lens@github-seeds\.json \(https:\/\/tuf-repo\.github\.com\)/m,
    );
    assert.match(text.stdout, /\nVerified: signed by https:\/\/github\.com\/actions\/attest-demo\/\.github\/workflows\/build-python\.yml@refs\/heads\/main/);
  });

  test('public good: verified against the public-good root', async () => {
    const r = await blob(PUBLIC, PUBLIC_WHEEL, PUBLIC_IDENTITY, ['--json']);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.json?.trustRoot.instance, 'sigstore-public-good');
  });

  test('a wrong digest fails ARTIFACT, naming the digest the statement is about', async () => {
    const r = await blob(GH, `sha256:${'0'.repeat(64)}`, GH_IDENTITY);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /NOT verified: None of the statement's 1 subject\(s\) has this artifact's digest \(sha256:0{64}\): it is about sha256:ae57936def59bc4c75edd3a837d89bcefc6d3a5e31d55a6fa7a71624f92c3c3b\./,
    );
  });

  test('a wrong workflow fails IDENTITY, naming both', async () => {
    const r = await blob(GH, WHEEL, GH_IDENTITY.replace('build-python.yml', 'release.yml'), ['--json']);
    assert.equal(r.code, 1);
    assert.deepEqual(fails(r.json!), ['IDENTITY']);
    assert.equal(r.json?.trustRoot.instance, 'github');
  });

  test('a .jsonl of several bundles: each verified and reported; verified only if every one is', async () => {
    const line = (p: string) => JSON.stringify(JSON.parse(readFileSync(p, 'utf8')));
    const twice = join(dir, 'twice.jsonl');
    writeFileSync(twice, `${line(GH)}\n${line(GH)}\n`);
    const both = await blob(twice, WHEEL, GH_IDENTITY, ['--json']);
    assert.equal(both.code, 0, both.stdout);
    assert.deepEqual(
      both.json?.bundles?.map((b) => [b.origin, b.verified, b.trustRoot.instance]),
      [
        [`${twice}:1`, true, 'github'],
        [`${twice}:2`, true, 'github'],
      ],
    );

    const mixed = join(dir, 'mixed.jsonl');
    writeFileSync(mixed, `${line(GH)}\n${line(PUBLIC)}\n`);
    const r = await blob(mixed, WHEEL, GH_IDENTITY, ['--json']);
    assert.equal(r.code, 1);
    assert.equal(r.json?.verified, false);
    assert.deepEqual(
      r.json?.bundles?.map((b) => [b.origin, b.verified, b.trustRoot.instance, fails(b)]),
      [
        [`${mixed}:1`, true, 'github', []],
        [`${mixed}:2`, false, 'sigstore-public-good', ['ARTIFACT', 'IDENTITY']],
      ],
    );
    const text = await blob(mixed, WHEEL, GH_IDENTITY);
    assert.match(text.stdout, new RegExp(`^Bundle ${mixed.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2:$`, 'm'));
  });
});

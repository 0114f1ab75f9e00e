import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageDiff } from '../../src/diff';
import { cli } from '../support/cli';
import { realFixtureDir } from '../support/real-fixtures';

// `diff` on two real releases: slsa-github-generator's example image built by generator v1.7.0
// and v1.8.0 (test/fixtures/real/SOURCES.md). The generator signs with its own workflow at its
// own tag, so the signer changes with each generator version; the example package was built from
// a new commit on the same branch, which is how branches move, not a moved tag. The expected
// values are read from the layouts' own bytes here, not from the engine.

const GITHUB = 'https://token.actions.githubusercontent.com';
const generator = (version: string): string =>
  `https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/${version}`;
const dir = (version: string): string => realFixtureDir('cosign-signatures', 'slsa-github-generator-container', version, 'container_workflow_dispatch');
const layout = (version: string): string => `oci-layout:${dir(version)}`;

/** What the layout itself says: its index digest, linux/amd64's digest, and the commit its signed provenance names. */
function facts(version: string): { index: string; amd64: string; commit: string; ref: string } {
  const blob = (digest: string): unknown => JSON.parse(readFileSync(join(dir(version), 'blobs', 'sha256', digest.slice('sha256:'.length)), 'utf8'));
  type Entry = { digest: string; annotations?: Record<string, string>; platform?: { os: string; architecture: string } };
  const layoutIndex = JSON.parse(readFileSync(join(dir(version), 'index.json'), 'utf8')) as { manifests: Entry[] };
  const index = layoutIndex.manifests.find((m) => m.annotations?.kind === 'dev.cosignproject.cosign/imageIndex')!.digest;
  const amd64 = (blob(index) as { manifests: Entry[] }).manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64')!.digest;
  const atts = layoutIndex.manifests.find((m) => m.annotations?.kind === 'dev.cosignproject.cosign/atts')!.digest;
  const envelope = blob((blob(atts) as { layers: Entry[] }).layers[0]!.digest) as { payload: string };
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as {
    predicate: { invocation: { configSource: { uri: string; digest: { sha1: string } } } };
  };
  const source = statement.predicate.invocation.configSource;
  return { index, amd64, commit: source.digest.sha1, ref: source.uri.slice(source.uri.lastIndexOf('@') + 1) };
}

async function diff(args: string[]): Promise<{ code: number; diff: ImageDiff; stderr: string }> {
  const r = await cli(['diff', ...args, '--json']);
  assert.equal(r.stderr, '', r.stderr);
  return { code: r.code, diff: JSON.parse(r.stdout) as ImageDiff, stderr: r.stderr };
}

describe('diff of slsa-github-generator v1.7.0 and v1.8.0 example images (real)', () => {
  const [v7, v8] = [facts('v1.7.0'), facts('v1.8.0')];

  test('the fixtures are what the test says: one branch, two commits', () => {
    assert.equal(v7.ref, 'refs/heads/main');
    assert.equal(v8.ref, v7.ref);
    assert.notEqual(v7.commit, v8.commit);
    assert.notEqual(v7.amd64, v8.amd64);
  });

  test('--json: both digests, the platform rebuilt, the signer changed, the source commit changed; no SAME_REF_OTHER_COMMIT on a branch', async () => {
    const { code, diff: d } = await diff([layout('v1.7.0'), layout('v1.8.0')]);
    assert.equal(code, 0);
    assert.deepEqual(d.old, { reference: layout('v1.7.0'), digest: v7.index });
    assert.deepEqual(d.new, { reference: layout('v1.8.0'), digest: v8.index });
    assert.equal(d.changed, true);
    assert.deepEqual(d.platforms, { added: [], removed: [], changed: [{ platform: 'linux/amd64', old: v7.amd64, new: v8.amd64 }], unchanged: [] });
    assert.deepEqual(d.signers, {
      old: [{ identity: generator('v1.7.0'), issuer: GITHUB }],
      new: [{ identity: generator('v1.8.0'), issuer: GITHUB }],
      changed: true,
    });
    assert.deepEqual(d.attestations, { added: [], removed: [], unsigned: [] });
    assert.deepEqual(
      d.warnings.map((w) => w.code),
      ['SIGNER_CHANGED'],
    );
    assert.match(d.warnings[0]!.message, /signed by .*@refs\/tags\/v1\.8\.0 .*no longer by .*@refs\/tags\/v1\.7\.0/);
    const field = (platform: string, name: string, from: string) => d.provenance.find((c) => c.platform === platform && c.field === name && c.from === from);
    // The signed provenance (cosign .att on the index) and BuildKit's statement on the platform both name the new commit.
    assert.deepEqual(field('index', 'source.commit', 'cosign-tag'), {
      platform: 'index',
      field: 'source.commit',
      old: v7.commit,
      new: v8.commit,
      from: 'cosign-tag',
    });
    assert.deepEqual(field('linux/amd64', 'source.commit', 'buildkit-index'), {
      platform: 'linux/amd64',
      field: 'source.commit',
      old: v7.commit,
      new: v8.commit,
      from: 'buildkit-index',
    });
    assert.deepEqual(field('index', 'builder.id', 'cosign-tag'), {
      platform: 'index',
      field: 'builder.id',
      old: generator('v1.7.0'),
      new: generator('v1.8.0'),
      from: 'cosign-tag',
    });
    // The same ref on both sides is no change; the base image, rebuilt, is one material that changed.
    assert.equal(
      d.provenance.find((c) => c.field === 'source.ref'),
      undefined,
    );
    const golang = d.provenance.filter((c) => c.field.startsWith('materials.pkg:docker/golang@1.20'));
    assert.equal(golang.length, 1, JSON.stringify(golang));
    assert.equal(golang[0]!.field, 'materials.pkg:docker/golang@1.20?platform=linux%2Famd64');
    assert.match(golang[0]!.old!, /^sha256:[0-9a-f]{64}$/);
    assert.match(golang[0]!.new!, /^sha256:[0-9a-f]{64}$/);
    assert.notEqual(golang[0]!.old, golang[0]!.new);
    // Nothing that changes with every run by design.
    assert.deepEqual(
      d.provenance.filter((c) => /started|finished|invocation|created/i.test(c.field)),
      [],
    );
    assert.deepEqual([d.sbom, d.notes], [[], []]);
  });

  test('text: the warning before everything else, then platforms, signers and provenance', async () => {
    const r = await cli(['diff', layout('v1.7.0'), layout('v1.8.0')]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.deepEqual(lines.slice(0, 3), ['Comparing', `  old  ${layout('v1.7.0')}  ${v7.index}`, `  new  ${layout('v1.8.0')}  ${v8.index}`]);
    assert.equal(lines[4], 'Warnings:');
    assert.match(lines[5]!, /^ {2}! SIGNER_CHANGED: The new image is signed by /);
    assert.deepEqual(lines.slice(7, 9), ['Platforms: 1 rebuilt', `  ~ linux/amd64  ${v7.amd64.slice(0, 19)} → ${v8.amd64.slice(0, 19)}`]);
    assert.deepEqual(lines.slice(9, 12), [
      'Signers: changed',
      `  - ${generator('v1.7.0')} (issuer ${GITHUB})`,
      `  + ${generator('v1.8.0')} (issuer ${GITHUB})`,
    ]);
    assert.ok(lines.includes(`    source.commit: ${v7.commit} → ${v8.commit}`), r.stdout);
  });

  test('an image compared with itself: nothing changed, no warning', async () => {
    const { code, diff: d } = await diff([layout('v1.8.0'), layout('v1.8.0')]);
    assert.equal(code, 0);
    assert.equal(d.changed, false);
    assert.deepEqual(d.platforms, { added: [], removed: [], changed: [], unchanged: ['linux/amd64'] });
    assert.deepEqual(d.signers, {
      old: [{ identity: generator('v1.8.0'), issuer: GITHUB }],
      new: [{ identity: generator('v1.8.0'), issuer: GITHUB }],
      changed: false,
    });
    assert.deepEqual([d.attestations, d.provenance, d.sbom, d.warnings, d.notes], [{ added: [], removed: [], unsigned: [] }, [], [], [], []]);
    const text = await cli(['diff', layout('v1.8.0'), layout('v1.8.0')]);
    assert.equal(text.stdout.split('\n')[4], 'No change: the same image, with the same signers, attestations, provenance and SBOMs.');
  });

  test('--fail-on: 1 when a named warning occurs (repeatable, comma-separated), 0 when none does, 2 for an unknown code', async () => {
    const refs = [layout('v1.7.0'), layout('v1.8.0')];
    assert.equal((await cli(['diff', ...refs, '--fail-on', 'SIGNER_CHANGED'])).code, 1);
    assert.equal((await cli(['diff', ...refs, '--fail-on', 'PLATFORM_REMOVED,ATTESTATION_DROPPED', '--fail-on', 'SAME_REF_OTHER_COMMIT'])).code, 0);
    assert.equal((await cli(['diff', ...refs, '--fail-on', 'PLATFORM_REMOVED', '--fail-on', 'ATTESTATION_DROPPED,SIGNER_CHANGED'])).code, 1);
    const bad = await cli(['diff', ...refs, '--fail-on', 'SIGNER_CHANGE']);
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /--fail-on takes a warning code \(SIGNER_CHANGED, SAME_REF_OTHER_COMMIT, PLATFORM_REMOVED, ATTESTATION_DROPPED\), got "SIGNER_CHANGE"\. \[USAGE\]/,
    );
    assert.equal((await cli(['diff', layout('v1.7.0')])).code, 2);
  });

  test('under a policy: each verdict is reported, and only the signers it verifies count', async () => {
    const pinned = ['--certificate-identity', generator('v1.8.0'), '--certificate-oidc-issuer', GITHUB, '--coverage', 'signatures-or-attestations'];
    const { code, diff: d } = await diff([layout('v1.7.0'), layout('v1.8.0'), ...pinned]);
    // The policy refuses v1.7.0's signer: the comparison still runs (exit 0) and says so.
    assert.equal(code, 0);
    assert.equal(d.old.verdict?.state, 'failed');
    assert.deepEqual(
      d.old.verdict?.causes.map((c) => c.code),
      ['IDENTITY_MISMATCH'],
    );
    assert.deepEqual(d.new.verdict, { state: 'verified', causes: [] });
    assert.deepEqual(d.signers, { old: [], new: [{ identity: generator('v1.8.0'), issuer: GITHUB }], changed: true });
    assert.match(d.warnings.find((w) => w.code === 'SIGNER_CHANGED')!.message, /the old one had no signature or attestation that verifies under the policy/);
  });
});

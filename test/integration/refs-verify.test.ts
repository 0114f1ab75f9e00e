// `provenance-lens refs --verify`: a project tree whose Dockerfile, Kubernetes manifest, Helm values
// and compose file name images in a real registry (test/support/registry.ts), one signed by the
// project's test Sigstore (org/app, keyless from its release workflow), one pushed unsigned
// (org/base), and third-party images the policy says nothing about (golang, alpine). Each
// reference gets the verdict `verify` gives; the third-party ones are "no policy" and never
// fetched; each image is read once however many files name it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cli } from '../support/cli';
import { pushMultiArchIndex } from '../support/fixtures';
import type { PushedIndex } from '../support/fixtures';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import { GITHUB_ISSUER } from '../support/sigstore/ca';
import type { MiniSigstore } from '../support/sigstore/mini-sigstore';
import { createMiniSigstore } from '../support/sigstore/mini-sigstore';
import type { SignedRelease } from '../support/sigstore/release';
import { pushSignedRelease } from '../support/sigstore/release';

const TAG = 'v1.0.0';
const PLATFORMS = ['linux/amd64', 'linux/arm64'];

interface RefJson {
  reference: string | null;
  line: number;
  column: number;
  via: string;
  verdict?: {
    state: string;
    digest?: string;
    coverage?: string;
    causes?: { code: string; message: string }[];
    policyEntry?: string;
    error?: { code: string; message: string };
  };
}
interface Out {
  files: { file: string; kind: string; references: RefJson[] }[];
  summary: Record<string, number>;
}

describe('refs --verify: verdicts where the references are written', () => {
  let reg: TestRegistry;
  let mini: MiniSigstore;
  let dir: string;
  let rootPath: string;
  let app: SignedRelease;
  let base: PushedIndex;
  let identity: string;
  let policy: string;

  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };

  before(async () => {
    [reg, mini] = await Promise.all([startRegistry(), createMiniSigstore()]);
    dir = mkdtempSync(join(tmpdir(), 'pl-refs-verify-'));
    rootPath = await mini.writeTrustedRoot(dir);
    const signer = await mini.githubIdentity({ repository: 'org/app', ref: `refs/tags/${TAG}` });
    identity = signer.identity;
    app = await pushSignedRelease(reg, 'org/app', { sigstore: mini, tag: TAG, platforms: PLATFORMS, signer, sourceRepository: 'org/app' });
    base = await pushMultiArchIndex(reg, 'org/base', { tag: '1.0', platforms: PLATFORMS });
    const h = reg.host;
    write(
      'project/Dockerfile',
      [`ARG REGISTRY=${h}`, 'FROM golang:1.22 AS build', 'FROM ${REGISTRY}/org/base:1.0', 'COPY --from=build /out /app', `FROM ${h}/org/app:${TAG}`, ''].join(
        '\n',
      ),
    );
    write(
      'project/deploy/app.yaml',
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: { name: app }',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: app',
        `          image: ${h}/org/app:${TAG}`,
        '        - name: sidecar',
        '          image: alpine:3.20',
        '',
      ].join('\n'),
    );
    write('project/chart/values.yaml', ['image:', `  registry: ${h}`, '  repository: org/app', `  tag: ${TAG}`, ''].join('\n'));
    write('project/compose.yaml', ['services:', '  app:', `    image: ${h}/org/app:\${APP_TAG}`, ''].join('\n'));
    policy = join(dir, '.provenance-lens.yaml');
    writeFileSync(
      policy,
      [
        'version: 1',
        'defaults:',
        `  trustedRoot: ${rootPath}`,
        '  github: { repository: org/app, workflow: release.yml }',
        '  attestations: []',
        'images:',
        `  - image: ${h}/org/app`,
        `  - image: ${h}/org/base`,
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await reg?.stop();
    await mini?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test('JSON: each reference with its verdict; images without a policy entry are "no-policy"; a summary; exit 1 for the unsigned image', async () => {
    const r = await cli(['refs', '--verify', '--policy', policy, '--insecure-registry', reg.host, '--json', '-v', join(dir, 'project')]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const out = JSON.parse(r.stdout) as Out;
    const rows = out.files.flatMap((f) =>
      f.references.map((s) => [f.file.slice(dir.length + 1), s.line, s.reference, s.verdict?.state, s.verdict?.error?.code]),
    );
    const h = reg.host;
    assert.deepEqual(rows, [
      ['project/Dockerfile', 2, 'golang:1.22', 'no-policy', undefined],
      ['project/Dockerfile', 3, `${h}/org/base:1.0`, 'unsigned', undefined],
      ['project/Dockerfile', 5, `${h}/org/app:${TAG}`, 'verified', undefined],
      // A folder's files before its subfolders (docs/refs-json.md).
      ['project/compose.yaml', 3, null, 'not-checked', 'UNRESOLVED'],
      ['project/chart/values.yaml', 3, `${h}/org/app:${TAG}`, 'verified', undefined],
      ['project/deploy/app.yaml', 9, `${h}/org/app:${TAG}`, 'verified', undefined],
      ['project/deploy/app.yaml', 11, 'alpine:3.20', 'no-policy', undefined],
    ]);
    const verified = out.files[0]!.references[2]!.verdict!;
    assert.equal(verified.digest, app.index.digest);
    assert.equal(verified.policyEntry, `${h}/org/app`);
    assert.deepEqual(verified.causes, []);
    assert.match(verified.coverage!, new RegExp(`^index signed by ${identity.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    const unsigned = out.files[0]!.references[1]!.verdict!;
    assert.equal(unsigned.digest, base.digest);
    assert.equal(unsigned.causes![0]!.code, 'NO_SIGNATURE');
    assert.deepEqual(out.files.find((f) => f.file.endsWith('compose.yaml'))!.references[0]!.verdict, {
      state: 'not-checked',
      error: { code: 'UNRESOLVED', message: 'needs APP_TAG' },
    });
    assert.deepEqual(out.summary, { images: 3, verified: 1, excepted: 0, failed: 0, unsigned: 1, unpinned: 0, notChecked: 1, exitCode: 1, noPolicy: 2 });
    // One walk per image, however many files name it; nothing asked of Docker Hub for golang or alpine.
    const tagReads = r.stderr.split('\n').filter((l) => l.includes(`/v2/org/app/manifests/${TAG}`));
    assert.equal(tagReads.length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /docker\.io|registry-1|golang|alpine/);
  });

  test('text: the verdict on each row, the first cause beside a failure, a summary line', async () => {
    const r = await cli(['refs', '--verify', '--policy', policy, '--insecure-registry', reg.host, join(dir, 'project', 'Dockerfile')]);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines[0], `${join(dir, 'project', 'Dockerfile')} (dockerfile): 3 references`);
    assert.match(lines[1]!, /^ {2}2:6 +golang:1\.22 +FROM {2}no policy for this image$/);
    assert.match(lines[2]!, /^ {2}3:6 +\S+\/org\/base:1\.0 +FROM {2}unsigned: The image is not signed/);
    assert.match(lines[3]!, /^ {2}5:6 +\S+\/org\/app:v1\.0\.0 +FROM {2}verified$/);
    assert.equal(lines.at(-1), 'Summary: 1 verified, 1 unsigned, 1 no policy; exit 1.');
  });

  test('signer flags pin every image: each reference is verified against them; a wrong identity fails (exit 1), the right one passes (exit 0)', async () => {
    const file = join(dir, 'project', 'chart', 'values.yaml');
    const flags = ['--trusted-root', rootPath, '--certificate-oidc-issuer', GITHUB_ISSUER, '--insecure-registry', reg.host, '--json'];
    const good = await cli(['refs', '--verify', '--certificate-identity', identity, ...flags, file]);
    assert.equal(good.code, 0, good.stdout + good.stderr);
    assert.equal((JSON.parse(good.stdout) as Out).files[0]!.references[0]!.verdict!.state, 'verified');
    const wrong = await cli(['refs', '--verify', '--certificate-identity', identity.replace('org/app', 'org/other'), ...flags, file]);
    assert.equal(wrong.code, 1);
    const verdict = (JSON.parse(wrong.stdout) as Out).files[0]!.references[0]!.verdict!;
    assert.equal(verdict.state, 'failed');
    assert.equal(verdict.causes![0]!.code, 'IDENTITY_MISMATCH');
  });

  test('usage errors (exit 2, before any file is read): no policy at all; a policy file with errors', async () => {
    const none = await cli(['refs', '--verify', join(dir, 'project')]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /refs --verify needs a policy: --policy \.provenance-lens\.yaml/);
    assert.equal(none.stdout, '');
    const bad = join(dir, 'bad-policy.yaml');
    writeFileSync(bad, 'version: 1\nimages:\n  - image: [\n');
    const broken = await cli(['refs', '--verify', '--policy', bad, join(dir, 'project')]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /The policy file has errors, so none of it is used/);
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import { GITHUB_ISSUER } from '../support/sigstore/ca';
import type { MiniSigstore } from '../support/sigstore/mini-sigstore';
import { createMiniSigstore } from '../support/sigstore/mini-sigstore';
import { pushSignedRelease } from '../support/sigstore/release';

// `verify --release` marks an image whose signers are not those of the release before it (the
// previous tag by semver in the same repository), when the policy pins no signer: org/moved was
// signed by its release workflow up to v1.1.0 and by another workflow at v1.2.0; org/steady by the
// same workflow throughout. A policy that pins the signer settles the question, so nothing is
// looked up then.

const TAG = 'v1.2.0';
const release = (workflowPath: string) => ({ repository: 'org/app', ref: 'refs/heads/main', workflowPath });

interface Row {
  reference: string;
  signerChanged?: boolean;
  previousRelease?: string;
  verdict?: { state: string };
}

describe('verify --release: signerChanged against the previous release', () => {
  let reg: TestRegistry;
  let mini: MiniSigstore;
  let dir: string;
  let rootPath: string;
  let identity: string;

  before(async () => {
    [reg, mini] = await Promise.all([startRegistry(), createMiniSigstore()]);
    dir = await mkdtemp(join(tmpdir(), 'pl-release-signer-'));
    rootPath = await mini.writeTrustedRoot(dir);
    const releaseWorkflow = await mini.githubIdentity(release('.github/workflows/release.yml'));
    const other = await mini.githubIdentity(release('.github/workflows/other.yml'));
    identity = releaseWorkflow.identity!;
    const push = (repo: string, tag: string, signer: typeof other, seed: string) =>
      pushSignedRelease(reg, repo, { sigstore: mini, tag, signer, contentSeed: seed, platforms: ['linux/amd64'] });
    // v1.2.0-rc.1 is a prerelease: the release before v1.2.0 is v1.1.0, not it.
    await push('org/moved', 'v1.0.0', other, 'm0');
    await push('org/moved', 'v1.1.0', releaseWorkflow, 'm1');
    await push('org/moved', 'v1.2.0-rc.1', other, 'm2');
    await push('org/moved', TAG, other, 'm3');
    await push('org/steady', 'v1.1.0', releaseWorkflow, 's1');
    await push('org/steady', TAG, releaseWorkflow, 's2');
    await push('org/first', TAG, releaseWorkflow, 'f1');
    await writeFile(
      join(dir, '.goreleaser.yaml'),
      [
        'version: 2',
        'project_name: app',
        'dockers_v2:',
        '  - id: app',
        '    images:',
        ...['moved', 'steady', 'first'].map((r) => `      - "{{ .Env.REGISTRY }}/org/${r}"`),
        '    tags:',
        '      - "{{ .Tag }}"',
        '    platforms: [linux/amd64]',
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await reg?.stop();
    await mini?.dispose();
  });

  const run = (...more: string[]) =>
    cli([
      'verify',
      '--release',
      join(dir, '.goreleaser.yaml'),
      '--tag',
      TAG,
      '--env',
      `REGISTRY=${reg.host}`,
      '--insecure-registry',
      reg.host,
      '--trusted-root',
      rootPath,
      ...more,
    ]);
  const ref = (repo: string, tag = TAG) => `${reg.host}/org/${repo}:${tag}`;

  test('no signer pinned: a changed signer is marked, with the release it was compared with', async () => {
    const r = await run('--json');
    assert.equal(r.code, 1, r.stderr); // unpinned: not verified
    const rows = (JSON.parse(r.stdout) as { images: Row[] }).images;
    assert.deepEqual(
      rows.map((i) => [i.reference, i.verdict?.state, i.signerChanged, i.previousRelease]),
      [
        [ref('moved'), 'unpinned', true, ref('moved', 'v1.1.0')],
        [ref('steady'), 'unpinned', false, ref('steady', 'v1.1.0')],
        // No earlier release: nothing to compare, so no answer either way.
        [ref('first'), 'unpinned', undefined, undefined],
      ],
    );
    const text = await run();
    // The line is wrapped to the table's width: its continuation lines are indented by two.
    const lines = text.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith(`${ref('moved')}: SIGNER CHANGED: `));
    let said = lines[at] ?? '';
    for (let i = at + 1; at >= 0 && /^ {2}\S/.test(lines[i] ?? ''); i++) said += ` ${lines[i]!.trim()}`;
    assert.equal(
      said,
      `${ref('moved')}: SIGNER CHANGED: signed by other signers than ${ref('moved', 'v1.1.0')}; \`provenance-lens diff ${ref('moved', 'v1.1.0')} ${ref('moved')}\` shows who.`,
    );
    assert.deepEqual(lines.filter((l) => l.includes('SIGNER CHANGED')).length, 1, text.stdout);
  });

  test('the signer pinned by the policy: no previous release is read, no mark', async () => {
    const r = await run('--json', '--certificate-identity', identity, '--certificate-oidc-issuer', GITHUB_ISSUER);
    const rows = (JSON.parse(r.stdout) as { images: Row[] }).images;
    assert.deepEqual(
      rows.map((i) => [i.reference, i.verdict?.state, 'signerChanged' in i]),
      [
        [ref('moved'), 'failed', false],
        [ref('steady'), 'verified', false],
        [ref('first'), 'verified', false],
      ],
    );
  });
});

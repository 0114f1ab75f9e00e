import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli';
import { pushMultiArchIndex } from '../support/fixtures';
import type { PushedIndex } from '../support/fixtures';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import { GITHUB_ISSUER } from '../support/sigstore/ca';
import { SLSA_PROVENANCE_V1 } from '../support/sigstore/in-toto';
import type { MiniSigstore } from '../support/sigstore/mini-sigstore';
import { createMiniSigstore } from '../support/sigstore/mini-sigstore';
import type { SignedRelease } from '../support/sigstore/release';
import { pushSignedRelease } from '../support/sigstore/release';

// `provenance-lens verify --release`: a GoReleaser config written here, pointing at a real
// registry (REGISTRY from --env) where the mini Sigstore pushed a signed release: org/app signed
// on its index (.sig + .att), org/agent signed per platform (cosign v3 referrers), org/tools
// pushed unsigned, and one image on a registry whose variable is not given. One table, a row
// per image and platform, and the exit code a release job acts on.
const TAG = 'v1.0.0';
const PLATFORMS = ['linux/amd64', 'linux/arm64'];
const SLSA = SLSA_PROVENANCE_V1.replace('https://', '');
const short = (digest: string) => digest.slice(0, 'sha256:'.length + 12);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/**
 * Cells of the table, from its header to the first blank line: each image's reference on a line of
 * its own, then its rows, indented (columns are separated by two spaces or more; cells never hold
 * two). Returned as [image, platform, digest, state, signed by, attestations] rows, and an image
 * that was not checked as [image, its indented line].
 */
function cells(stdout: string): string[][] {
  // A long "not checked" reason is wrapped onto lines indented by four.
  const lines = stdout.replace(/\n {4}/g, ' ').split('\n');
  const start = lines.findIndex((l) => l.startsWith('  PLATFORM  '));
  const end = lines.indexOf('', start);
  const rows: string[][] = [lines[start]!.trim().split(/ {2,}/)];
  let image = '';
  for (const l of lines.slice(start + 1, end)) {
    if (!l.startsWith('  ')) image = l;
    else rows.push(l.startsWith('  not checked: ') ? [image, l.trim()] : [image, ...l.trim().split(/ {2,}/)]);
  }
  return rows;
}
const shortId = (identity: string) => identity.replace(/^https:\/\/github\.com\/([^/]+\/[^/]+)\/\.github\/workflows\/(.+)@refs\/tags\/(.+)$/, '$1/$2@$3');

const CONFIG = (images: string[]) =>
  [
    'version: 2',
    'project_name: app',
    'dockers_v2:',
    '  - id: app',
    '    images:',
    ...images.map((i) => `      - "${i}"`),
    '    tags:',
    '      - "{{ .Tag }}"',
    '    platforms: [linux/amd64, linux/arm64]',
    '',
  ].join('\n');

describe('verify --release: every image a GoReleaser release publishes, one table', () => {
  let reg: TestRegistry;
  let mini: MiniSigstore;
  let dir: string;
  let rootPath: string;
  let app: SignedRelease;
  let agent: SignedRelease;
  let tools: PushedIndex;
  let identity: string;

  before(async () => {
    [reg, mini] = await Promise.all([startRegistry(), createMiniSigstore()]);
    dir = await mkdtemp(join(tmpdir(), 'pl-verify-release-'));
    rootPath = await mini.writeTrustedRoot(dir);
    const signer = await mini.githubIdentity({ repository: 'org/app', ref: `refs/tags/${TAG}` });
    app = await pushSignedRelease(reg, 'org/app', { sigstore: mini, tag: TAG, platforms: PLATFORMS, signer, sourceRepository: 'org/app' });
    agent = await pushSignedRelease(reg, 'org/agent', {
      sigstore: mini,
      tag: TAG,
      platforms: PLATFORMS,
      signer,
      sourceRepository: 'org/app',
      cosignSignatures: [],
      cosignAttestations: [],
      referrers: PLATFORMS,
    });
    tools = await pushMultiArchIndex(reg, 'org/tools', { tag: TAG, platforms: PLATFORMS });
    identity = signer.identity;
  });
  after(async () => {
    await reg?.stop();
    await mini?.dispose();
  });

  const config = async (name: string, images: string[]): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, CONFIG(images));
    return path;
  };
  /** `verify --release` of `file` at TAG, expecting `signer` from GitHub Actions' issuer. */
  const releaseArgs = (file: string, signer: string): string[] => [
    'verify',
    '--release',
    file,
    '--tag',
    TAG,
    '--env',
    `REGISTRY=${reg.host}`,
    '--trusted-root',
    rootPath,
    '--certificate-identity',
    signer,
    '--certificate-oidc-issuer',
    GITHUB_ISSUER,
  ];
  const run = (file: string, extra: string[] = []) => cli([...releaseArgs(file, identity), '--require-attestation', SLSA_PROVENANCE_V1, ...extra]);
  const digestOf = (r: SignedRelease | PushedIndex, platform: string) => ('index' in r ? r.index : r).platforms.find((p) => p.key === platform)!.digest;

  test('signed images, an unsigned one and an unresolved template: exact rows; exit 1 (an unsigned image is a definite "no")', async () => {
    const file = await config('.goreleaser.yaml', [
      '{{ .Env.REGISTRY }}/org/app',
      '{{ .Env.REGISTRY }}/org/agent',
      '{{ .Env.REGISTRY }}/org/tools',
      '{{ .Env.PRIME_REGISTRY }}/org/app',
    ]);
    const r = await run(file);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], `${file} at ${TAG}: 4 images`);
    const ref = (repo: string) => `${reg.host}/${repo}:${TAG}`;
    // GitHub workflow identities are shortened in the table (`org/app/release.yml@v1.0.0`); JSON keeps them whole.
    assert.equal(shortId(identity), 'org/app/release.yml@v1.0.0');
    assert.deepEqual(cells(r.stdout), [
      ['PLATFORM', 'DIGEST', 'STATE', 'SIGNED BY', 'ATTESTATIONS'],
      ...PLATFORMS.map((p) => [ref('org/app'), p, short(digestOf(app, p)), 'verified', `${shortId(identity)} (index)`, SLSA]),
      ...PLATFORMS.map((p) => [ref('org/agent'), p, short(digestOf(agent, p)), 'verified', shortId(identity), SLSA]),
      ...PLATFORMS.map((p) => [ref('org/tools'), p, short(digestOf(tools, p)), 'unsigned', '-', `missing ${SLSA}`]),
      ['<.Env.PRIME_REGISTRY>/org/app:v1.0.0', 'not checked: needs .Env.PRIME_REGISTRY [UNRESOLVED]'],
    ]);
    const below = lines.slice(lines.indexOf('', 3) + 1);
    assert.deepEqual(below, [
      `${ref('org/tools')}: NOT VERIFIED (unsigned)`,
      '  - The image is not signed: no signature on its index or on linux/amd64 and linux/arm64.',
      `  - linux/amd64 and linux/arm64 have no verified ${SLSA_PROVENANCE_V1} attestation, which the policy requires:`,
      "    only BuildKit's unsigned statement is there, which does not count.",
      'Unresolved: .Env.PRIME_REGISTRY (set it with --env NAME=VALUE).',
      'Summary: 2 verified, 1 unsigned, 1 not checked; exit 1.',
      '',
    ]);
    assert.ok(
      lines.every((l) => l.length <= 120),
      `a line is wider than 120 columns:\n${lines.filter((l) => l.length > 120).join('\n')}`,
    );
  });

  test('JSON: release, images with section, template, reference, verdict or error, platforms; summary', async () => {
    const file = await config('json.goreleaser.yaml', ['{{ .Env.REGISTRY }}/org/app', '{{ .Env.PRIME_REGISTRY }}/org/app']);
    const r = await run(file, ['--json']);
    assert.equal(r.code, 2, 'nothing failed, one image could not be checked');
    const out = JSON.parse(r.stdout) as {
      release: { file: string; tag: string };
      images: Array<{
        section: string;
        index: number;
        template: string;
        reference: string | null;
        digest?: string;
        verdict?: { state: string; coverage: string };
        error?: { code: string; unresolved?: string[] };
        platforms: Array<Record<string, unknown>>;
      }>;
      summary: Record<string, number>;
    };
    assert.deepEqual(out.release, { file, tag: TAG });
    assert.deepEqual(
      out.images.map((i) => [i.section, i.index, i.template, i.reference, i.verdict?.state, i.error?.code]),
      [
        ['dockers_v2', 0, '{{ .Env.REGISTRY }}/org/app:{{ .Tag }}', `${reg.host}/org/app:${TAG}`, 'verified', undefined],
        ['dockers_v2', 0, '{{ .Env.PRIME_REGISTRY }}/org/app:{{ .Tag }}', null, undefined, 'UNRESOLVED'],
      ],
    );
    assert.equal(out.images[0]!.digest, app.index.digest);
    assert.equal(
      out.images[0]!.verdict!.coverage,
      `index signed by ${identity}; linux/amd64 and linux/arm64 covered through the index; no platform-level signature; verified attestations: ${SLSA_PROVENANCE_V1} on the index`,
    );
    assert.deepEqual(
      out.images[0]!.platforms,
      PLATFORMS.map((p) => ({
        platform: p,
        digest: digestOf(app, p),
        state: 'verified',
        signedBy: [`${identity} (index)`],
        attestations: [SLSA_PROVENANCE_V1],
        missing: [],
      })),
    );
    assert.deepEqual(out.images[1]!.error, { code: 'UNRESOLVED', message: 'needs .Env.PRIME_REGISTRY', unresolved: ['.Env.PRIME_REGISTRY'] });
    assert.deepEqual(out.summary, { images: 2, verified: 1, excepted: 0, failed: 0, unsigned: 0, unpinned: 0, notChecked: 1, exitCode: 2 });
  });

  test('every image verified: exit 0; the wrong signer: exit 1; an image not pushed: not checked, exit 2', async () => {
    const good = await config('good.goreleaser.yaml', ['{{ .Env.REGISTRY }}/org/app', '{{ .Env.REGISTRY }}/org/agent']);
    const ok = await run(good);
    assert.equal(ok.code, 0, ok.stdout);
    assert.match(ok.stdout, /^Summary: 2 verified; exit 0\.$/m);

    const wrong = await cli(releaseArgs(good, identity.replace('org/app', 'org/other')));
    assert.equal(wrong.code, 1);
    // Failed rows name the signer seen, and the causes below say whom the policy expects.
    assert.deepEqual(
      cells(wrong.stdout)
        .slice(1)
        .map((c) => [c[3], c[4]]),
      [
        ['failed', `${shortId(identity)} (index)`],
        ['failed', `${shortId(identity)} (index)`],
        ['failed', shortId(identity)],
        ['failed', shortId(identity)],
      ],
    );
    const expected = identity.replace('org/app', 'org/other');
    const causes = wrong.stdout.replace(/\n {4}/g, ' ');
    assert.match(causes, new RegExp(`^  - The index is signed by "${escape(identity)}", but the policy expects "${escape(expected)}"\\.$`, 'm'));
    assert.match(
      causes,
      new RegExp(`^  - linux/amd64 and linux/arm64 are signed by "${escape(identity)}", but the policy expects "${escape(expected)}"\\.$`, 'm'),
    );
    assert.doesNotMatch(wrong.stdout, /does not verify/);

    const missing = await config('missing.goreleaser.yaml', ['{{ .Env.REGISTRY }}/org/app', '{{ .Env.REGISTRY }}/org/never-pushed']);
    const r = await run(missing);
    assert.equal(r.code, 2, r.stdout);
    const row = cells(r.stdout).find((c) => c[0] === `${reg.host}/org/never-pushed:${TAG}`)!;
    assert.match(row[1]!, /^not checked: .*\[(NOT_FOUND|MANIFEST_UNKNOWN)\]$/);
  });

  test('a policy file applies per image with the release tag; an exception makes an unsigned image excepted (exit 0)', async () => {
    const file = await config('policy.goreleaser.yaml', ['{{ .Env.REGISTRY }}/org/app', '{{ .Env.REGISTRY }}/org/tools']);
    const policy = join(dir, '.provenance-lens.yaml');
    await writeFile(
      policy,
      [
        'version: 1',
        'defaults:',
        `  trustedRoot: ${rootPath}`,
        '  github: { repository: org/app, workflow: release.yml }',
        '  attestations: [slsa-provenance]',
        'images:',
        `  - image: ${reg.host}/org/tools`,
        '    exception: { reason: "third-party tool, signed upstream" }',
        '',
      ].join('\n'),
    );
    const r = await cli(['verify', '--release', file, '--tag', TAG, '--env', `REGISTRY=${reg.host}`, '--policy', policy]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(
      cells(r.stdout)
        .slice(1)
        .map((c) => [c[0]!.replace(`${reg.host}/`, ''), c[1], c[3], c[4]]),
      [
        ['org/app:v1.0.0', 'linux/amd64', 'verified', `${shortId(identity)} (index)`],
        ['org/app:v1.0.0', 'linux/arm64', 'verified', `${shortId(identity)} (index)`],
        ['org/tools:v1.0.0', 'linux/amd64', 'excepted', '-'],
        ['org/tools:v1.0.0', 'linux/arm64', 'excepted', '-'],
      ],
    );
    assert.match(r.stdout, /: EXCEPTED: not signed, excepted by the policy: third-party tool, signed upstream/);
  });

  test('usage errors (exit 2): no tag, a reference beside --release, --tag without --release, an unreadable file, a bad --env', async () => {
    const file = await config('usage.goreleaser.yaml', ['{{ .Env.REGISTRY }}/org/app']);
    const cases: Array<[string[], RegExp]> = [
      [['verify', '--release', file], /needs the tag being released: --tag vX\.Y\.Z/],
      [['verify', '--release', file, '--tag', TAG, `${reg.host}/org/app:${TAG}`], /takes the GoReleaser file as its value and no reference/],
      [['verify', `${reg.host}/org/app:${TAG}`, '--tag', TAG], /--tag and --env apply to --release only/],
      [['verify', '--release', join(dir, 'nope.yaml'), '--tag', TAG], /Cannot read the GoReleaser file .*nope\.yaml: ENOENT/],
      [['verify', '--release', file, '--tag', TAG, '--env', 'REGISTRY'], /--env takes NAME=VALUE, got "REGISTRY"/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
  });
});

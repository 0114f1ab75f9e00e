// Every image reference of the real GoReleaser configs in test/fixtures/real/goreleaser
// (test/fixtures/real/SOURCES.md: rancher/fleet before and after dockers_v2, goreleaser's own), found with its exact
// position and rendered for a release. The values of the environment are the ones fleet's release
// workflow (rancher-fleet/HEAD.release.yml) gives goreleaser: IS_HOTFIX, STAGE_REGISTRY, PRIME_REGISTRY.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeGoreleaser } from '../../src/goreleaser/analyze';
import { referencesAt } from '../../src/goreleaser/references';
import { resolveRelease } from '../../src/goreleaser/resolve';
import type { ResolvedImage } from '../../src/goreleaser/resolve';
import { contextFromTag } from '../../src/goreleaser/template-context';
import { realFixture } from '../support/real-fixtures';

const FLEET_PRE = 'rancher-fleet/9a9666e4-pre-dockers_v2.goreleaser.yaml';
const FLEET_HEAD = 'rancher-fleet/HEAD.goreleaser.yaml';
const GORELEASER = 'goreleaser/HEAD.goreleaser.yaml';

const read = (f: string): string => readFileSync(realFixture('goreleaser', f), 'utf8');
const release = (env: Record<string, string> = {}) =>
  contextFromTag('v0.12.0', {
    commit: '9a9666e454b254cda7828b3eebc6e1ead407ee45',
    env: { STAGE_REGISTRY: 'stage.example.com', PRIME_REGISTRY: 'registry.suse.com', ...env },
  });

type Row = [section: string, index: number, role: string, line: number, column: number, template: string, reference: string | null];
const row = (i: ResolvedImage): Row => [i.section, i.index, i.role, i.range.line, i.range.column, i.template, i.reference];

/** Offsets point at the scalar: the text there is the template, quoted as in the file. */
function assertOffsets(text: string, images: readonly ResolvedImage[]): void {
  for (const i of images) {
    const scalar = i.pair ? i.pair.image : i.scalar!;
    assert.equal(text.slice(i.range.start, i.range.end), JSON.stringify(scalar.text), `${i.section}[${i.index}] ${i.template}`);
    if (i.pair && !i.pair.tag.defaulted) assert.equal(text.slice(i.pair.tag.range.start, i.pair.tag.range.end), JSON.stringify(i.pair.tag.text));
  }
}

test('fleet before dockers_v2: 8 per-arch dockers images and 2 manifest lists of 2, every one at its line and column', () => {
  const text = read(FLEET_PRE);
  const analysis = analyzeGoreleaser(text);
  const r = resolveRelease(analysis, release());
  assert.deepEqual(r.images.map(row), [
    ['dockers', 0, 'image', 127, 7, 'docker.io/rancher/fleet:{{ .Tag }}-linux-amd64', 'docker.io/rancher/fleet:v0.12.0-linux-amd64'],
    ['dockers', 1, 'image', 154, 7, 'docker.io/rancher/fleet:{{ .Tag }}-linux-arm64', 'docker.io/rancher/fleet:v0.12.0-linux-arm64'],
    ['dockers', 2, 'image', 177, 7, 'docker.io/rancher/fleet-agent:{{ .Tag }}-linux-amd64', 'docker.io/rancher/fleet-agent:v0.12.0-linux-amd64'],
    ['dockers', 3, 'image', 198, 7, 'docker.io/rancher/fleet-agent:{{ .Tag }}-linux-arm64', 'docker.io/rancher/fleet-agent:v0.12.0-linux-arm64'],
    ['dockers', 4, 'image', 229, 7, '{{ .Env.STAGE_REGISTRY }}/rancher/fleet:{{ .Tag }}-linux-amd64', 'stage.example.com/rancher/fleet:v0.12.0-linux-amd64'],
    ['dockers', 5, 'image', 258, 7, '{{ .Env.STAGE_REGISTRY }}/rancher/fleet:{{ .Tag }}-linux-arm64', 'stage.example.com/rancher/fleet:v0.12.0-linux-arm64'],
    [
      'dockers',
      6,
      'image',
      283,
      7,
      '{{ .Env.STAGE_REGISTRY }}/rancher/fleet-agent:{{ .Tag }}-linux-amd64',
      'stage.example.com/rancher/fleet-agent:v0.12.0-linux-amd64',
    ],
    [
      'dockers',
      7,
      'image',
      306,
      7,
      '{{ .Env.STAGE_REGISTRY }}/rancher/fleet-agent:{{ .Tag }}-linux-arm64',
      'stage.example.com/rancher/fleet-agent:v0.12.0-linux-arm64',
    ],
    ['docker_manifests', 0, 'manifest', 325, 20, 'docker.io/rancher/fleet:{{ .Tag }}', 'docker.io/rancher/fleet:v0.12.0'],
    ['docker_manifests', 0, 'manifest-input', 329, 7, 'docker.io/rancher/fleet:{{ .Tag }}-linux-amd64', 'docker.io/rancher/fleet:v0.12.0-linux-amd64'],
    ['docker_manifests', 0, 'manifest-input', 330, 7, 'docker.io/rancher/fleet:{{ .Tag }}-linux-arm64', 'docker.io/rancher/fleet:v0.12.0-linux-arm64'],
    ['docker_manifests', 1, 'manifest', 332, 20, 'docker.io/rancher/fleet-agent:{{ .Tag }}', 'docker.io/rancher/fleet-agent:v0.12.0'],
    [
      'docker_manifests',
      1,
      'manifest-input',
      336,
      7,
      'docker.io/rancher/fleet-agent:{{ .Tag }}-linux-amd64',
      'docker.io/rancher/fleet-agent:v0.12.0-linux-amd64',
    ],
    [
      'docker_manifests',
      1,
      'manifest-input',
      337,
      7,
      'docker.io/rancher/fleet-agent:{{ .Tag }}-linux-arm64',
      'docker.io/rancher/fleet-agent:v0.12.0-linux-arm64',
    ],
  ]);
  assertOffsets(text, r.images);
  assert.deepEqual(
    r.images.map((i) => i.id),
    [
      'fleet-amd64-public',
      'fleet-arm64-public',
      'fleet-agent-amd64-public',
      'fleet-agent-arm64-public',
      'fleet-amd64-private',
      'fleet-arm64-private',
      'fleet-agent-amd64-private',
      'fleet-agent-arm64-private',
      'fleet-manifest-public',
      'fleet-manifest-public',
      'fleet-manifest-public',
      'fleet-agent-manifest-public',
      'fleet-agent-manifest-public',
      'fleet-agent-manifest-public',
    ],
  );
  // Platforms from --platform in build_flag_templates; a manifest has those of the images it assembles.
  assert.deepEqual(r.images[1]!.platforms, ['linux/arm64/v8']);
  assert.deepEqual(r.images[8]!.platforms, ['linux/amd64', 'linux/arm64/v8']);
  // The config's env: IS_HOTFIX renders "false" (not set in the job), so skip_push is false: everything is pushed.
  assert.equal(r.context.env.IS_HOTFIX, 'false');
  assert.deepEqual(
    r.images.map((i) => i.published),
    [true, true, true, true, true, true, true, true, true, undefined, undefined, true, undefined, undefined],
  );
  assert.deepEqual(
    analysis.config.sections.map((s) => [s.name, s.keyRange.line, s.entries]),
    [
      ['dockers', 107, 8],
      ['docker_manifests', 323, 2],
      ['docker_signs', 353, 1],
    ],
  );
});

test('fleet before dockers_v2: docker_signs signs the 4 private per-arch images and claims rancher/fleet for all of them', () => {
  const r = resolveRelease(analyzeGoreleaser(read(FLEET_PRE)), release());
  assert.equal(r.signs.length, 1);
  const [s] = r.signs;
  assert.deepEqual([s!.id, s!.artifacts, s!.identity?.range.line, s!.identity?.range.column], ['prime', 'all', 373, 9]);
  assert.deepEqual(
    s!.signs.map((i) => i.reference),
    [
      'stage.example.com/rancher/fleet:v0.12.0-linux-amd64',
      'stage.example.com/rancher/fleet:v0.12.0-linux-arm64',
      'stage.example.com/rancher/fleet-agent:v0.12.0-linux-amd64',
      'stage.example.com/rancher/fleet-agent:v0.12.0-linux-arm64',
    ],
  );
  // `contains "agent" "${artifact}"` is always false, so the agent images claim rancher/fleet too.
  assert.deepEqual(
    s!.claims.map((c) => c.identity),
    Array(4).fill('registry.suse.com/rancher/fleet'),
  );
});

test('fleet before dockers_v2: the hotfix release pushes only the private images', () => {
  const r = resolveRelease(analyzeGoreleaser(read(FLEET_PRE)), release({ IS_HOTFIX: 'true' }));
  const pushed = r.images.filter((i) => i.published === true).map((i) => i.id);
  assert.deepEqual(pushed, ['fleet-amd64-private', 'fleet-arm64-private', 'fleet-agent-amd64-private', 'fleet-agent-arm64-private']);
  assert.deepEqual(new Set(r.images.filter((i) => i.published === false).map((i) => i.skip)), new Set(['skip_push']));
});

test('fleet HEAD: dockers_v2 images x tags, the shared tag list reached through *docker_tags keeps its original position', () => {
  const text = read(FLEET_HEAD);
  const analysis = analyzeGoreleaser(text);
  const r = resolveRelease(analysis, release());
  assert.deepEqual(r.images.map(row), [
    ['dockers_v2', 0, 'image', 119, 7, 'docker.io/rancher/fleet:{{ .Tag }}', 'docker.io/rancher/fleet:v0.12.0'],
    ['dockers_v2', 1, 'image', 144, 7, 'docker.io/rancher/fleet-agent:{{ .Tag }}', 'docker.io/rancher/fleet-agent:v0.12.0'],
    ['dockers_v2', 2, 'image', 157, 7, '{{ .Env.STAGE_REGISTRY }}/rancher/fleet:{{ .Tag }}', 'stage.example.com/rancher/fleet:v0.12.0'],
    ['dockers_v2', 3, 'image', 174, 7, '{{ .Env.STAGE_REGISTRY }}/rancher/fleet-agent:{{ .Tag }}', 'stage.example.com/rancher/fleet-agent:v0.12.0'],
  ]);
  assertOffsets(text, r.images);
  assert.deepEqual(
    r.images.map((i) => [i.pair!.tag.range.line, i.pair!.tag.range.column, i.pair!.tag.aliasRange?.line, i.pair!.tag.aliasRange?.column]),
    [
      [121, 7, undefined, undefined],
      [121, 7, 145, 11],
      [121, 7, 158, 11],
      [121, 7, 175, 11],
    ],
  );
  assert.deepEqual(
    r.images.map((i) => i.platforms),
    Array(4).fill(['linux/amd64', 'linux/arm64']),
  );
  // A hover on the anchored tag belongs to all four; on `*docker_tags` of the agent entry, to that one.
  assert.equal(referencesAt(analysis.references, r.images[0]!.pair!.tag.range.start + 3).length, 4);
  assert.deepEqual(
    referencesAt(analysis.references, r.images[1]!.pair!.tag.aliasRange!.start + 1).map((x) => x.id),
    ['fleet-agent-public'],
  );
  assert.deepEqual(
    analysis.config.sections.map((s) => [s.name, s.keyRange.line, s.keyRange.column, s.entries]),
    [
      ['dockers_v2', 110, 1, 4],
      ['docker_signs', 185, 1, 2],
    ],
  );
  // Build `tags` do not exist here, but the build ldflags' {{ .Tag }} must never count as an image.
  assert.equal(analysis.references.length, 4);
});

test('fleet HEAD: each docker_signs entry signs one private image and claims the PRIME registry', () => {
  const r = resolveRelease(analyzeGoreleaser(read(FLEET_HEAD)), release());
  assert.deepEqual(
    r.signs.map((s) => [s.id, s.artifacts, s.signs.map((i) => i.reference), s.claims.map((c) => c.identity)]),
    [
      ['prime-fleet', '', ['stage.example.com/rancher/fleet:v0.12.0'], ['registry.suse.com/rancher/fleet:v0.12.0']],
      ['prime-fleet-agent', '', ['stage.example.com/rancher/fleet-agent:v0.12.0'], ['registry.suse.com/rancher/fleet-agent:v0.12.0']],
    ],
  );
  const info = r.diagnostics.filter((d) => d.code === 'sign-identity-other-repository');
  assert.deepEqual(
    info.map((d) => [d.severity, d.range.line, d.range.column]),
    [
      ['info', 192, 9],
      ['info', 203, 9],
    ],
  );
  assert.match(info[1]!.message, /`stage\.example\.com\/rancher\/fleet-agent:v0\.12\.0` → claims `registry\.suse\.com\/rancher\/fleet-agent:v0\.12\.0`/);
  assert.doesNotMatch(info[1]!.message, /repository path differs/);
});

test("goreleaser's own config: 2 images x 3 tags; the nightly tag renders empty on a release and is not pushed", () => {
  const text = read(GORELEASER);
  const r = resolveRelease(analyzeGoreleaser(text), release());
  assert.deepEqual(r.images.map(row), [
    ['dockers_v2', 0, 'image', 121, 9, 'goreleaser/goreleaser:v{{ .Version }}', 'goreleaser/goreleaser:v0.12.0'],
    ['dockers_v2', 0, 'image', 121, 9, 'goreleaser/goreleaser:{{ if .IsNightly }}nightly{{ end }}', null],
    ['dockers_v2', 0, 'image', 121, 9, 'goreleaser/goreleaser:{{ if not .IsNightly }}latest{{ end }}', 'goreleaser/goreleaser:latest'],
    ['dockers_v2', 0, 'image', 122, 9, 'ghcr.io/goreleaser/goreleaser:v{{ .Version }}', 'ghcr.io/goreleaser/goreleaser:v0.12.0'],
    ['dockers_v2', 0, 'image', 122, 9, 'ghcr.io/goreleaser/goreleaser:{{ if .IsNightly }}nightly{{ end }}', null],
    ['dockers_v2', 0, 'image', 122, 9, 'ghcr.io/goreleaser/goreleaser:{{ if not .IsNightly }}latest{{ end }}', 'ghcr.io/goreleaser/goreleaser:latest'],
  ]);
  assertOffsets(text, r.images);
  assert.deepEqual(
    r.images.map((i) => [i.pair!.tag.range.line, i.pair!.tag.range.column]),
    [
      [124, 9],
      [125, 9],
      [126, 9],
      [124, 9],
      [125, 9],
      [126, 9],
    ],
  );
  assert.deepEqual(
    r.images.map((i) => [i.published, i.skip]),
    [
      [true, undefined],
      [false, 'empty'],
      [true, undefined],
      [true, undefined],
      [false, 'empty'],
      [true, undefined],
    ],
  );
  assert.deepEqual(r.images[1]!.unresolved, []);
  // artifacts: manifests signs dockers_v2 images too (sign_docker.go), every published one.
  assert.deepEqual(
    r.signs[0]!.signs.map((i) => i.reference),
    ['goreleaser/goreleaser:v0.12.0', 'goreleaser/goreleaser:latest', 'ghcr.io/goreleaser/goreleaser:v0.12.0', 'ghcr.io/goreleaser/goreleaser:latest'],
  );
  const nightly = resolveRelease(analyzeGoreleaser(text), contextFromTag('v2.13.0', { nightly: true }));
  assert.deepEqual(
    nightly.images.filter((i) => i.reference).map((i) => i.reference),
    ['goreleaser/goreleaser:v2.13.0', 'goreleaser/goreleaser:nightly', 'ghcr.io/goreleaser/goreleaser:v2.13.0', 'ghcr.io/goreleaser/goreleaser:nightly'],
  );
});

test('counts and diagnostic codes of every real config', () => {
  const expected: Record<string, { refs: number; bySection: Record<string, number>; signs: number; codes: string[] }> = {
    [FLEET_PRE]: {
      refs: 14,
      bySection: { dockers: 8, docker_manifests: 6 },
      signs: 1,
      codes: [
        'manifest-list-default-provenance',
        'manifest-list-default-provenance',
        'manifest-list-default-provenance',
        'manifest-list-default-provenance',
        'contains-argument-order',
        'sign-identity-other-repository',
      ],
    },
    [FLEET_HEAD]: { refs: 4, bySection: { dockers_v2: 4 }, signs: 2, codes: ['sign-identity-other-repository', 'sign-identity-other-repository'] },
    [GORELEASER]: { refs: 6, bySection: { dockers_v2: 6 }, signs: 1, codes: [] },
  };
  for (const [file, want] of Object.entries(expected)) {
    const analysis = analyzeGoreleaser(read(file));
    const r = resolveRelease(analysis, release());
    const bySection: Record<string, number> = {};
    for (const ref of analysis.references) bySection[ref.section] = (bySection[ref.section] ?? 0) + 1;
    assert.equal(analysis.references.length, want.refs, file);
    assert.deepEqual(bySection, want.bySection, file);
    assert.equal(r.signs.length, want.signs, file);
    assert.deepEqual(
      [...analysis.diagnostics, ...r.diagnostics].sort((a, b) => a.range.start - b.range.start).map((d) => d.code),
      want.codes,
      file,
    );
    assert.ok(
      r.images.every((i) => i.unresolved.length === 0 && !i.error),
      file,
    );
  }
});

test('without the registries, the private references are unresolved and name the variable', () => {
  const r = resolveRelease(analyzeGoreleaser(read(FLEET_HEAD)), contextFromTag('v0.12.0'));
  const priv = r.images.filter((i) => i.reference === null);
  assert.deepEqual(
    priv.map((i) => [i.id, i.unresolved, i.preview]),
    [
      ['fleet-private', ['.Env.STAGE_REGISTRY'], '<.Env.STAGE_REGISTRY>/rancher/fleet:v0.12.0'],
      ['fleet-agent-private', ['.Env.STAGE_REGISTRY'], '<.Env.STAGE_REGISTRY>/rancher/fleet-agent:v0.12.0'],
    ],
  );
  const unresolved = r.diagnostics.filter((d) => d.code === 'template-unresolved');
  assert.deepEqual(
    unresolved.map((d) => [d.range.line, d.range.column, d.variables]),
    [
      [157, 7, ['.Env.STAGE_REGISTRY']],
      [174, 7, ['.Env.STAGE_REGISTRY']],
    ],
  );
});

test("fleet's release workflow is YAML but not a GoReleaser config: no images, and its env mapping is reported", () => {
  const analysis = analyzeGoreleaser(read('rancher-fleet/HEAD.release.yml'));
  assert.deepEqual(analysis.references, []);
  assert.deepEqual(
    analysis.diagnostics.map((d) => [d.code, d.range.line, d.message]),
    [['unexpected-shape', 14, 'env should be a list of strings.']],
  );
});

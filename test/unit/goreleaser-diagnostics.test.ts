// Diagnostics on small configs that each show one trap, and YAML that does not parse: a
// diagnostic with a position, never an exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeGoreleaser } from '../../src/goreleaser/analyze';
import { resolveRelease } from '../../src/goreleaser/resolve';
import type { TemplateContext } from '../../src/goreleaser/template-context';
import { contextFromTag } from '../../src/goreleaser/template-context';
import type { GoreleaserDiagnostic } from '../../src/goreleaser/types';

const yaml = (lines: string[]): string => `${lines.join('\n')}\n`;
const all = (text: string, context: TemplateContext = contextFromTag('v1.2.0')): GoreleaserDiagnostic[] => {
  const a = analyzeGoreleaser(text);
  return [...a.diagnostics, ...resolveRelease(a, context).diagnostics].sort((x, y) => x.range.start - y.range.start);
};
const brief = (ds: readonly GoreleaserDiagnostic[]) => ds.map((d) => [d.code, d.severity, d.range.line, d.range.column]);

const perArch = (flagsAmd: string, flagsArm: string, use = 'use: buildx') =>
  yaml([
    'dockers:',
    '  - id: amd64',
    `    ${use}`,
    '    image_templates: ["ghcr.io/o/app:{{ .Tag }}-amd64"]',
    `    build_flag_templates: ["--platform=linux/amd64"${flagsAmd}]`,
    '  - id: arm64',
    `    ${use}`,
    '    goarch: arm64',
    '    image_templates: ["ghcr.io/o/app:{{ .Tag }}-arm64"]',
    `    build_flag_templates: ["--platform=linux/arm64"${flagsArm}]`,
    'docker_manifests:',
    '  - name_template: "ghcr.io/o/app:{{ .Tag }}"',
    '    image_templates:',
    '      - "ghcr.io/o/app:{{ .Tag }}-amd64"',
    '      - "ghcr.io/o/app:{{.Tag}}-arm64"',
  ]);

test('docker_manifests of per-arch images built with --provenance/--sbom/--attest: the "is a manifest list" error, with the flags as related', () => {
  const ds = all(perArch(', "--provenance=true", "--sbom=true"', ', "--attest=type=sbom"'));
  assert.deepEqual(brief(ds), [
    ['manifest-list-attestations', 'error', 14, 9],
    ['manifest-list-attestations', 'error', 15, 9],
  ]);
  const [amd, arm] = ds;
  assert.match(amd!.message, /dockers\[0\] builds with provenance and an SBOM/);
  assert.match(amd!.message, /"… is a manifest list"/);
  assert.match(amd!.message, /`dockers_v2`.*`docker buildx imagetools create`.*`--provenance=false` and `--sbom=false`/s);
  assert.deepEqual(
    amd!.related!.map((r) => [r.range.line, r.range.column, r.message]),
    [
      [5, 75, 'dockers[0] asks for provenance and an SBOM here'],
      [5, 54, 'dockers[0] asks for provenance and an SBOM here'],
    ],
  );
  assert.match(arm!.message, /dockers\[1\] builds with an SBOM \(`--attest=type=sbom`\)/);
});

test('the last flag of a kind wins: --provenance=false after --provenance=true clears the trap', () => {
  assert.deepEqual(all(perArch(', "--provenance=true", "--provenance=false", "--sbom=false"', ', "--provenance=false"')), []);
  assert.deepEqual(brief(all(perArch(', "--provenance=false", "--sbom"', ', "--provenance=false"'))), [['manifest-list-attestations', 'error', 14, 9]]);
});

test('buildx and docker attach provenance by default: a warning unless --provenance=false; podman does not', () => {
  const buildx = all(perArch('', ', "--provenance=false"'));
  assert.deepEqual(brief(buildx), [['manifest-list-default-provenance', 'warning', 14, 9]]);
  assert.match(buildx[0]!.message, /`use: buildx` and no `--provenance=false`.*containerd image store.*Docker Engine 29/s);
  assert.deepEqual(
    buildx[0]!.related!.map((r) => [r.range.line, r.range.column]),
    [[3, 10]],
  );
  const docker = all(perArch('', '', '# use: docker is the default'));
  assert.deepEqual(brief(docker), [
    ['manifest-list-default-provenance', 'warning', 14, 9],
    ['manifest-list-default-provenance', 'warning', 15, 9],
  ]);
  assert.match(docker[0]!.message, /`use: docker`/);
  assert.deepEqual(all(perArch('', '', 'use: podman')), []);
  const templated = all(perArch(', "--provenance={{ .Env.PROVENANCE }}"', ', "--provenance=false"'));
  assert.match(templated.find((d) => d.code === 'manifest-list-default-provenance')!.message, /a templated `--provenance` flag/);
});

test('dockers_v2 with provenance is the way out: no trap', () => {
  const text = yaml(['dockers_v2:', '  - images: [ghcr.io/o/app]', '    flags: ["--provenance=mode=max", "--sbom=true"]']);
  assert.deepEqual(all(text), []);
});

test('a manifest of images this file does not build is not judged', () => {
  const text = yaml(['docker_manifests:', '  - name_template: ghcr.io/o/app:{{ .Tag }}', '    image_templates: ["ghcr.io/o/app:{{ .Tag }}-amd64"]']);
  assert.deepEqual(all(text), []);
});

test('--sign-container-identity naming another repository: info with what the payload claims; the same repository: nothing', () => {
  const text = (identity: string[]) =>
    yaml([
      'dockers_v2:',
      '  - images: ["ghcr.io/o/app"]',
      'docker_signs:',
      '  - args:',
      ...identity.map((a) => `      - "${a}"`),
      '      - "${artifact}@${digest}"',
    ]);
  const other = all(text(['sign', '--sign-container-identity=registry.example.com/o/app:{{ .Tag }}']));
  assert.deepEqual(brief(other), [['sign-identity-other-repository', 'info', 6, 9]]);
  assert.match(other[0]!.message, /`ghcr\.io\/o\/app:v1\.2\.0` → claims `registry\.example\.com\/o\/app:v1\.2\.0`/);
  assert.match(other[0]!.message, /critical\.identity\.docker-reference/);
  assert.deepEqual(all(text(['sign', '--sign-container-identity', 'ghcr.io/o/app:{{ .Tag }}'])), []);
  // docker.io normalisation: o/app and docker.io/o/app are one repository.
  assert.deepEqual(all(text(['sign', '--sign-container-identity=docker.io/o/app']).replace('ghcr.io/o/app', 'o/app')), []);
});

test('contains "agent" "${artifact}" asks the wrong question', () => {
  const text = (expr: string) =>
    yaml([
      'dockers_v2:',
      '  - images: [ghcr.io/o/app-agent]',
      'docker_signs:',
      '  - args:',
      `      - '--sign-container-identity=ghcr.io/o/app{{ if ${expr} }}-agent{{ end }}'`,
      '      - "${artifact}"',
    ]);
  const wrong = all(text('contains "agent" "${artifact}"'));
  assert.deepEqual(brief(wrong), [
    ['contains-argument-order', 'warning', 5, 9],
    ['sign-identity-other-repository', 'info', 5, 9],
  ]);
  assert.match(wrong[0]!.message, /Write `contains "\$\{artifact\}" "agent"`/);
  assert.deepEqual(all(text('contains "${artifact}" "agent"')), []);
});

test('docker_signs that match nothing in the file, and an invalid artifacts value', () => {
  const legacy = yaml(['dockers:', '  - image_templates: [ghcr.io/o/app]', '    use: podman', 'docker_signs:', '  - cmd: cosign']);
  const d = all(legacy);
  assert.deepEqual(brief(d), [['sign-covers-nothing', 'warning', 5, 5]]);
  assert.match(d[0]!.message, /images built by dockers_v2 \(`artifacts` is not set\).*nothing will be signed/);
  const ids = all(yaml(['dockers_v2:', '  - id: app', '    images: [ghcr.io/o/app]', 'docker_signs:', '  - artifacts: images', '    ids: [nope]']));
  assert.deepEqual(brief(ids), [['sign-covers-nothing', 'warning', 5, 16]]);
  assert.match(ids[0]!.message, /with ids nope/);
  assert.deepEqual(brief(all(yaml(['docker_signs:', '  - artifacts: everything']))), [['sign-covers-nothing', 'error', 2, 16]]);
  assert.deepEqual(all(yaml(['docker_signs:', '  - artifacts: none'])), []);
});

test('a template syntax error points at the scalar and, as related, at the character', () => {
  const d = all(yaml(['dockers_v2:', '  - images: ["ghcr.io/o/app:{{ .Tag }"]']));
  assert.deepEqual(brief(d), [['template-syntax', 'error', 2, 14]]);
  assert.match(d[0]!.message, /at 1:23 of `ghcr\.io\/o\/app:\{\{ \.Tag \}`: unrecognized character in action/);
  assert.deepEqual(
    d[0]!.related!.map((r) => [r.range.line, r.range.column]),
    [[2, 37]],
  );
});

test('an execution error (a field image templates do not have) and unresolved variables', () => {
  const text = yaml([
    'dockers:',
    '  - image_templates:',
    '      - "ghcr.io/o/app:{{ .Tag }}-{{ .Arch }}"',
    '      - "{{ .Env.REGISTRY }}/app:{{ .ShortCommit }}"',
    '    use: podman',
  ]);
  const a = analyzeGoreleaser(text);
  const r = resolveRelease(a, contextFromTag('v1.2.0'));
  assert.deepEqual(brief(r.diagnostics), [
    ['template-error', 'error', 3, 9],
    ['template-unresolved', 'info', 4, 9],
  ]);
  assert.match(r.diagnostics[0]!.message, /map has no entry for key "Arch"/);
  const error = r.images[0]!.error!;
  assert.deepEqual([error.range.line, error.range.column, error.message], [3, 38, 'map has no entry for key "Arch"']);
  assert.deepEqual(r.diagnostics[1]!.variables, ['.Env.REGISTRY', '.ShortCommit']);
  assert.match(r.diagnostics[1]!.message, /\.Env\.REGISTRY \(an environment variable of the release job\), \.ShortCommit \(the git checkout\)/);
});

test('a rendered reference that is not a valid image reference: build metadata in a tag', () => {
  const text = yaml(['dockers_v2:', '  - images: [ghcr.io/o/app]', '    tags: ["{{ .Version }}"]']);
  assert.deepEqual(all(text, contextFromTag('v1.2.0')), []);
  const d = all(text, contextFromTag('v1.2.0+build.7'));
  assert.deepEqual(brief(d), [['reference-invalid', 'warning', 2, 14]]);
  assert.match(d[0]!.message, /`ghcr\.io\/o\/app:1\.2\.0\+build\.7` is not a valid image reference/);
});

test('top-level env: rendered against the outer environment only, then overriding it', () => {
  const text = yaml([
    'env:',
    '  - REGISTRY={{ if isEnvSet "REGISTRY_OVERRIDE" }}{{ .Env.REGISTRY_OVERRIDE }}{{ else }}ghcr.io/o{{ end }}',
    '  - MIRROR={{ .Env.MIRROR_HOST }}/o',
    '  - LATER={{ .Env.REGISTRY }}',
    'dockers_v2:',
    '  - images: ["{{ .Env.REGISTRY }}/app", "{{ .Env.MIRROR }}/app"]',
    '    tags: ["{{ .Tag }}", ""]',
  ]);
  const a = analyzeGoreleaser(text);
  const plain = resolveRelease(a, contextFromTag('v1.2.0', { env: { REGISTRY: 'ignored.example.com' } }));
  assert.deepEqual(
    plain.images.map((i) => [i.reference, i.unresolved, i.skip]),
    [
      ['ghcr.io/o/app:v1.2.0', [], undefined],
      [null, [], 'empty'],
      [null, ['.Env.MIRROR_HOST'], undefined],
      [null, ['.Env.MIRROR_HOST'], 'empty'],
    ],
  );
  // GoReleaser renders every entry against the job's environment: LATER sees REGISTRY as the job had it.
  assert.equal(plain.context.env.LATER, 'ignored.example.com');
  const set = resolveRelease(a, contextFromTag('v1.2.0', { env: { REGISTRY_OVERRIDE: 'quay.io/o', MIRROR_HOST: 'mirror.example.com' } }));
  assert.deepEqual(
    set.images.filter((i) => i.reference).map((i) => i.reference),
    ['quay.io/o/app:v1.2.0', 'mirror.example.com/o/app:v1.2.0'],
  );
});

test('skip_push, auto on pre-releases, disable, and a skip that depends on an unset variable', () => {
  const text = yaml([
    'dockers:',
    '  - image_templates: [ghcr.io/o/a]',
    '    skip_push: auto',
    '  - image_templates: [ghcr.io/o/b]',
    '    skip_push: "{{ .Env.SKIP }}"',
    'docker_manifests:',
    '  - name_template: ghcr.io/o/m',
    '    skip_push: true',
    'dockers_v2:',
    '  - images: [ghcr.io/o/c]',
    '    disable: "{{ .IsSnapshot }}"',
  ]);
  const a = analyzeGoreleaser(text);
  const pub = (ctx: TemplateContext) => resolveRelease(a, ctx).images.map((i) => [i.published, i.skip]);
  assert.deepEqual(pub(contextFromTag('v1.0.0-rc.1')), [
    [false, 'prerelease'],
    [null, undefined],
    [false, 'skip_push'],
    [true, undefined],
  ]);
  assert.deepEqual(pub(contextFromTag('v1.0.0', { env: { SKIP: 'true' }, snapshot: true })), [
    [true, undefined],
    [false, 'skip_push'],
    [false, 'skip_push'],
    [false, 'disabled'],
  ]);
});

test('kos: repositories x tags, the default tag, bare naming; Go build tags are not image tags', () => {
  const text = yaml([
    'builds:',
    '  - id: app',
    '    tags: [netgo, osusergo]',
    'kos:',
    '  - id: app',
    '    repositories: [ghcr.io/o/app, "{{ .Env.MIRROR }}/app"]',
    '    tags: ["{{ .Tag }}", latest]',
    '    bare: true',
    '  - repository: ghcr.io/o/other',
  ]);
  const a = analyzeGoreleaser(text);
  const r = resolveRelease(a, contextFromTag('v1.2.0', { env: { MIRROR: 'quay.io/o' } }));
  assert.deepEqual(
    r.images.map((i) => [i.section, i.index, i.reference, i.range.line, i.pair!.tag.defaulted ?? false]),
    [
      ['kos', 0, 'ghcr.io/o/app:v1.2.0', 6, false],
      ['kos', 0, 'ghcr.io/o/app:latest', 6, false],
      ['kos', 0, 'quay.io/o/app:v1.2.0', 6, false],
      ['kos', 0, 'quay.io/o/app:latest', 6, false],
      ['kos', 1, null, 9, true],
    ],
  );
  assert.deepEqual(
    r.images.map((i) => i.platforms[0]),
    Array(5).fill('linux/amd64'),
  );
  // Without bare, ko names the image after the import path of main: without a go.mod module it is
  // not known, and the reference is unresolved instead of the bare repository.
  assert.deepEqual([r.images[4]!.unresolved, r.images[4]!.preview], [['.ModulePath'], 'ghcr.io/o/other/<.ModulePath>:latest']);
  assert.deepEqual(brief(a.diagnostics), []);
  assert.deepEqual(brief(r.diagnostics.filter((d) => d.code === 'ko-image-name')), [['ko-image-name', 'info', 9, 17]]);
});

test('dockers_v2 defaults: tags {{.Tag}}, both linux platforms, id from project_name', () => {
  const a = analyzeGoreleaser(yaml(['project_name: fleet', 'dockers_v2:', '  - images: [ghcr.io/o/fleet]']));
  const [img] = resolveRelease(a, contextFromTag('v0.13.0')).images;
  assert.deepEqual(
    [img!.reference, img!.id, img!.platforms, img!.pair!.tag.defaulted],
    ['ghcr.io/o/fleet:v0.13.0', 'fleet', ['linux/amd64', 'linux/arm64'], true],
  );
});

test('merge keys and anchors: values and flags reached through <<: keep the range of the original scalars', () => {
  const text = yaml([
    'x-base: &base',
    '  use: buildx',
    '  build_flag_templates: ["--provenance=true"]',
    'dockers:',
    '  - <<: *base',
    '    image_templates: ["ghcr.io/o/app:{{ .Tag }}-amd64"]',
    '  - <<: [*base]',
    '    use: podman',
    '    image_templates: ["ghcr.io/o/app:{{ .Tag }}-arm64"]',
    'docker_manifests:',
    '  - name_template: ghcr.io/o/app:{{ .Tag }}',
    '    image_templates: ["ghcr.io/o/app:{{ .Tag }}-amd64"]',
  ]);
  const a = analyzeGoreleaser(text);
  assert.deepEqual(
    a.config.dockers.map((d) => [d.use, d.useScalar?.range.line, d.buildFlags[0]?.range.line, d.buildFlags[0]?.aliasRange?.line]),
    [
      ['buildx', 2, 3, 5],
      ['podman', 8, 3, 7],
    ],
  );
  const ds = all(text);
  assert.deepEqual(brief(ds), [['manifest-list-attestations', 'error', 12, 23]]);
  assert.deepEqual(
    ds[0]!.related!.map((r) => r.range.line),
    [3],
  );
});

test('bad YAML gives diagnostics with positions, never an exception', () => {
  const cases: [string, string, RegExp, number][] = [
    ['unclosed flow sequence', 'dockers:\n  - image_templates: ["ghcr.io/o/app:{{ .Tag }}"\n', /end with a \]/, 3],
    ['duplicate key', 'dockers_v2:\n  - images: [a]\n    images: [b]\n', /unique/i, 3],
    ['tab indentation', 'dockers:\n\t- image_templates: [a]\n', /Tabs are not allowed/, 2],
    ['undefined alias', 'dockers_v2:\n  - images: *nope\n', /unknown anchor 'nope' referenced/, 2],
    ['bad block indentation', 'dockers:\n  - id: a\n   image_templates: [x]\n', /YAML:/, 3],
  ];
  for (const [name, text, message, line] of cases) {
    const a = analyzeGoreleaser(text);
    const yamlErrors = a.diagnostics.filter((d) => d.code === 'yaml-syntax');
    assert.ok(yamlErrors.length > 0, name);
    assert.equal(yamlErrors[0]!.severity, 'error', name);
    assert.match(yamlErrors[0]!.message, message, name);
    assert.equal(yamlErrors[0]!.range.line, line, `${name}: ${yamlErrors[0]!.message}`);
    assert.doesNotThrow(() => resolveRelease(a, contextFromTag('v1.0.0')), name);
  }
});

test('unexpected shapes are reported and skipped; empty input is an empty release', () => {
  assert.deepEqual(brief(analyzeGoreleaser('- a\n- b\n').diagnostics), [['unexpected-shape', 'warning', 1, 1]]);
  const shapes = analyzeGoreleaser(
    yaml(['dockers:', '  id: x', 'dockers_v2:', '  - images: ghcr.io/o/app', '  - 42', 'docker_manifests:', '  - image_templates: [[nested]]']),
  );
  assert.deepEqual(
    shapes.diagnostics.map((d) => [d.range.line, d.message]),
    [
      [2, 'dockers should be a list.'],
      [4, 'dockers_v2[0].images should be a list of strings.'],
      [5, 'Each entry of dockers_v2 should be a mapping.'],
      [7, 'docker_manifests[0].image_templates should hold strings only.'],
    ],
  );
  const twoDocs = analyzeGoreleaser('dockers_v2:\n  - images: [a]\n---\nb: 2\n');
  assert.deepEqual(brief(twoDocs.diagnostics), [['yaml-warning', 'warning', 3, 1]]);
  assert.equal(twoDocs.references.length, 1);
  for (const text of ['', '# only a comment\n', 'project_name: x\n', '\u0000{{[', '---\na: 1\n---\nb: 2\n']) {
    const a = analyzeGoreleaser(text);
    assert.deepEqual(a.references, [], JSON.stringify(text));
    assert.deepEqual(resolveRelease(a, contextFromTag(undefined)).images, []);
  }
});

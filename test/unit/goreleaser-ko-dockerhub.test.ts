// GoReleaser on real configs (test/fixtures/real/SOURCES.md): ko's image names (authzed/thumper,
// with the go.mod beside its configs), KO_DOCKER_REPO, Docker Hub written two ways (aquasecurity/trivy)
// and fleet's hotfix release, whose skipped manifests raise no manifest-list warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeGoreleaser } from '../../src/goreleaser/analyze';
import { resolveRelease } from '../../src/goreleaser/resolve';
import { contextFromTag } from '../../src/goreleaser/template-context';
import { goModulePath, moduleBeside } from '../../src/goreleaser/go-module';
import { buildModel } from '../../src/hovers/release-context';
import { goreleaserRelease } from '../../src/releases/goreleaser-release';
import { runCli } from '../../src/cli/run';
import { realFixture } from '../support/real-fixtures';

const read = (...p: string[]): string => readFileSync(realFixture('goreleaser', ...p), 'utf8');
const thumperModule = goModulePath(read('authzed-thumper', 'go.mod'));

test("go.mod beside thumper's configs names its module", () => {
  assert.equal(thumperModule, 'github.com/authzed/internal/thumper');
  assert.equal(goModulePath('// comment\nmodule "example.com/quoted" // trailing\n'), 'example.com/quoted');
});

test('thumper nightly: base_import_paths pushes <repository>/thumper, the base of ./cmd/thumper/ in its module', () => {
  const r = resolveRelease(analyzeGoreleaser(read('authzed-thumper', '.goreleaser.nightly.yaml')), contextFromTag('v1.2.3', { modulePath: thumperModule! }));
  assert.deepEqual(
    r.images.map((i) => [i.id, i.reference, i.range.line, i.range.column]),
    [
      ['dockerhub-ko', 'authzed/thumper:v1.2.3', 29, 17],
      ['ghcr-build', 'ghcr.io/authzed/thumper:v1.2.3', 40, 17],
      ['quay-build', 'quay.io/authzed/thumper:v1.2.3', 43, 17],
    ],
  );
});

test('thumper: without the module the name is unresolved (.ModulePath), never the bare repository', () => {
  const r = resolveRelease(analyzeGoreleaser(read('authzed-thumper', '.goreleaser.yaml')), contextFromTag('v1.2.3'));
  assert.deepEqual(r.images.map((i) => [i.reference, i.unresolved, i.preview]).slice(0, 2), [
    [null, ['.ModulePath'], 'authzed/zed/<.ModulePath>:latest'],
    [null, ['.ModulePath'], 'authzed/zed/<.ModulePath>:v1.2.3'],
  ]);
  assert.deepEqual(
    r.diagnostics.filter((d) => d.code === 'ko-image-name').map((d) => [d.range.line, d.variables]),
    [
      [31, ['.ModulePath']],
      [41, ['.ModulePath']],
      [44, ['.ModulePath']],
    ],
  );
});

test("release CLI reads the go.mod beside the file: thumper's six references, each ko-named", async () => {
  let out = '';
  const code = await runCli(['release', realFixture('goreleaser', 'authzed-thumper', '.goreleaser.yaml'), '--tag', 'v1.2.3', '--no-git', '--json'], {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: () => true },
    env: {},
  });
  assert.equal(code, 0);
  assert.deepEqual(
    (JSON.parse(out) as { images: { reference: string }[] }).images.map((i) => i.reference),
    [
      'authzed/zed/thumper:latest',
      'authzed/zed/thumper:v1.2.3',
      'ghcr.io/authzed/zed/thumper:latest',
      'ghcr.io/authzed/zed/thumper:v1.2.3',
      'quay.io/authzed/zed/thumper:latest',
      'quay.io/authzed/zed/thumper:v1.2.3',
    ],
  );
});

test('ko namer order: preserve_import_paths, base_import_paths, bare, else <base>-<md5>; further repositories are copies named as written', () => {
  const text = [
    'builds: [{id: app, main: ./cmd/App}]',
    'kos:',
    '  - {id: md5, build: app, repositories: [ghcr.io/o, quay.io/o/mirror]}',
    '  - {id: preserve, build: app, repository: ghcr.io/o, preserve_import_paths: true, bare: true}',
    '  - {id: base, build: app, repository: ghcr.io/o, base_import_paths: true, bare: true}',
    '  - {id: bare, build: app, repository: ghcr.io/o/app, bare: true}',
    '  - {id: path, main: github.com/x/y/cmd/tool, repository: ghcr.io/o, base_import_paths: true}',
  ].join('\n');
  const r = resolveRelease(analyzeGoreleaser(text), contextFromTag('v1.0.0', { modulePath: 'github.com/o/app' }));
  assert.deepEqual(
    r.images.map((i) => [i.id, i.reference]),
    [
      // md5("github.com/o/app/cmd/app"): the import path is lowercased first, as ko does.
      ['md5', 'ghcr.io/o/app-b6e165e2e349483c10359b750c500e43:latest'],
      ['md5', 'quay.io/o/mirror:latest'],
      ['preserve', 'ghcr.io/o/github.com/o/app/cmd/app:latest'],
      ['base', 'ghcr.io/o/app:latest'],
      ['bare', 'ghcr.io/o/app:latest'],
      ['path', 'ghcr.io/o/tool:latest'],
    ],
  );
});

test("KO_DOCKER_REPO replaces the configured repositories, from the job or the config's env:", () => {
  const text = read('authzed-thumper', '.goreleaser.nightly.yaml');
  const job = resolveRelease(
    analyzeGoreleaser(text),
    contextFromTag('v1.2.3', { modulePath: thumperModule!, env: { KO_DOCKER_REPO: 'registry.example.com/mirror' } }),
  );
  assert.deepEqual([...new Set(job.images.map((i) => i.reference))], ['registry.example.com/mirror/thumper:v1.2.3']);
  const fromConfig = resolveRelease(
    analyzeGoreleaser(text.replace('version: 2\n', 'version: 2\nenv: [KO_DOCKER_REPO=r.example/x]\n')),
    contextFromTag('v1.2.3', { modulePath: thumperModule! }),
  );
  assert.deepEqual([...new Set(fromConfig.images.map((i) => i.reference))], ['r.example/x/thumper:v1.2.3']);
});

test('trivy: docker.io/aquasec/trivy (dockers) and aquasec/trivy (docker_manifests) are one repository: platforms and the manifest-list warning', () => {
  const analysis = analyzeGoreleaser(read('aquasecurity-trivy', 'goreleaser.yml'));
  const r = resolveRelease(analysis, contextFromTag('v0.50.0'));
  const hub = r.images.filter((i) => i.section === 'docker_manifests' && i.index === 0);
  assert.deepEqual(
    hub.map((i) => [i.role, i.reference, i.platforms]),
    [
      ['manifest', 'aquasec/trivy:0.50.0', ['linux/amd64', 'linux/arm64', 'linux/s390x', 'linux/ppc64le']],
      ['manifest-input', 'aquasec/trivy:0.50.0-amd64', ['linux/amd64']],
      ['manifest-input', 'aquasec/trivy:0.50.0-arm64', ['linux/arm64']],
      ['manifest-input', 'aquasec/trivy:0.50.0-s390x', ['linux/s390x']],
      ['manifest-input', 'aquasec/trivy:0.50.0-ppc64le', ['linux/ppc64le']],
    ],
  );
  const traps = r.diagnostics.filter((d) => d.code === 'manifest-list-default-provenance');
  // 6 manifests x 4 inputs, all built by `use: buildx` without --provenance=false: Docker Hub's 8 included.
  assert.equal(traps.length, 24);
  assert.deepEqual(
    traps.filter((d) => d.range.line >= 218 && d.range.line <= 221).map((d) => d.range.line),
    [218, 219, 220, 221],
  );
});

test('fleet hotfix release: manifests whose skip_push renders true raise no manifest-list warning; a normal release keeps the four', () => {
  const analysis = analyzeGoreleaser(read('rancher-fleet', '9a9666e4-pre-dockers_v2.goreleaser.yaml'));
  const env = { STAGE_REGISTRY: 'stage.example.com', PRIME_REGISTRY: 'registry.suse.com' };
  const codes = (extra: Record<string, string>) =>
    resolveRelease(analysis, contextFromTag('v0.12.0', { env: { ...env, ...extra } }))
      .diagnostics.filter((d) => d.code.startsWith('manifest-list'))
      .map((d) => d.range.line);
  assert.deepEqual(codes({}), [329, 330, 336, 337]);
  assert.deepEqual(codes({ IS_HOTFIX: 'true' }), []);
});

test('the editor renders ko names as the CLI does: the go.mod beside the config gives .ModulePath to hovers, lenses and the Releases view', async () => {
  const file = realFixture('goreleaser', 'authzed-thumper', '.goreleaser.nightly.yaml');
  const modulePath = await moduleBeside(file);
  assert.equal(modulePath, 'github.com/authzed/internal/thumper');
  const model = buildModel(read('authzed-thumper', '.goreleaser.nightly.yaml'), {
    file,
    env: {},
    git: {},
    picked: 'v1.2.3',
    ...(modulePath !== undefined ? { modulePath } : {}),
  });
  assert.deepEqual(
    model.release.images.map((i) => i.reference),
    ['authzed/thumper:v1.2.3', 'ghcr.io/authzed/thumper:v1.2.3', 'quay.io/authzed/thumper:v1.2.3'],
  );
  const release = goreleaserRelease({
    file,
    text: read('authzed-thumper', '.goreleaser.nightly.yaml'),
    env: {},
    git: {},
    tag: 'v1.2.3',
    ...(modulePath !== undefined ? { modulePath } : {}),
  });
  assert.deepEqual(
    release.images.map((i) => i.reference),
    ['docker.io/authzed/thumper:v1.2.3', 'ghcr.io/authzed/thumper:v1.2.3', 'quay.io/authzed/thumper:v1.2.3'],
  );
  // Without it (no go.mod beside the file) the names wait for .ModulePath: never guessed.
  assert.deepEqual(
    buildModel(read('authzed-thumper', '.goreleaser.nightly.yaml'), { file, env: {}, git: {}, picked: 'v1.2.3' }).release.images.map((i) => i.unresolved),
    [['.ModulePath'], ['.ModulePath'], ['.ModulePath']],
  );
  assert.equal(await moduleBeside(realFixture('goreleaser', 'rancher-fleet', 'HEAD.goreleaser.yaml')), undefined);
});

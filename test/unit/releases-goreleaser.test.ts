import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildModel } from '../../src/hovers/release-context';
import { goreleaserRelease, renderGoreleaser } from '../../src/releases/goreleaser-release';
import { realFixture } from '../support/real-fixtures';

const CONFIG = `version: 2
project_name: fleet
dockers:
  - id: amd64
    image_templates: ["{{ .Env.REGISTRY }}/rancher/fleet:{{ .Tag }}-amd64"]
  - id: arm64
    image_templates: ["{{ .Env.REGISTRY }}/rancher/fleet:{{ .Tag }}-arm64"]
    skip_push: true
docker_manifests:
  - name_template: "{{ .Env.REGISTRY }}/rancher/fleet:{{ .Tag }}"
    image_templates: ["{{ .Env.REGISTRY }}/rancher/fleet:{{ .Tag }}-amd64"]
`;

test('a config is one release: its published images rendered for the tag, manifest inputs and skipped entries left out', () => {
  const r = goreleaserRelease({ file: '/w/app/.goreleaser.yaml', text: CONFIG, tag: 'v1.2.3', env: { REGISTRY: '127.0.0.1:5000' }, git: {} });
  assert.equal(r.id, 'goreleaser:/w/app/.goreleaser.yaml');
  assert.equal(r.name, 'fleet');
  assert.equal(r.tag, 'v1.2.3');
  assert.deepEqual(
    r.images.map((i) => [i.origin, i.reference, i.line]),
    [
      ['dockers[0]', '127.0.0.1:5000/rancher/fleet:v1.2.3-amd64', 5],
      ['docker_manifests[0]', '127.0.0.1:5000/rancher/fleet:v1.2.3', 10],
    ],
  );
  assert.equal(r.problem, undefined);
});

test('without the values it needs, an image stays in the release and names them', () => {
  const r = goreleaserRelease({ file: '/w/app/.goreleaser.yaml', text: CONFIG, env: {}, git: { tag: 'v0.9.0' } });
  assert.equal(r.tag, 'v0.9.0', "git's latest tag by default");
  assert.deepEqual(
    r.images.map((i) => [i.reference, i.unresolved]),
    [
      [null, ['.Env.REGISTRY']],
      [null, ['.Env.REGISTRY']],
    ],
  );
});

test('bad YAML is a release with a problem, not an exception; no image sections says so', () => {
  const bad = goreleaserRelease({ file: '/w/x/.goreleaser.yml', text: 'dockers: [\n', env: {}, git: {} });
  assert.match(bad.problem ?? '', /^\.goreleaser\.yml line \d+: /);
  assert.equal(bad.name, 'x', 'named after its directory without project_name');
  const none = goreleaserRelease({ file: '/w/x/.goreleaser.yml', text: 'builds:\n  - main: .\n', env: {}, git: {} });
  assert.equal(none.problem, 'This config publishes no container images.');
});

const FACTS_CONFIG = `dockers:
  - image_templates:
      - "{{ .Env.REGISTRY }}/{{ .ProjectName }}:{{ .Version }}-{{ .ShortCommit }}"
      - "{{ .Env.REGISTRY }}/{{ .ProjectName }}:{{ .Branch }}-{{ .CommitTimestamp }}"
`;
const GIT = { tag: 'v2.0.0', commit: 'a'.repeat(40), shortCommit: 'aaaaaaa', branch: 'main', commitDate: new Date('2025-05-06T07:08:09Z') };

test("renderGoreleaser: the tag given (else git's), git's commit, branch and date, .Env, and the directory as project", () => {
  const picked = renderGoreleaser(FACTS_CONFIG, { file: '/w/agent/.goreleaser.yaml', tag: 'v1.0.0-rc.1', env: { REGISTRY: 'ghcr.io/org' }, git: GIT });
  assert.equal(picked.tag, 'v1.0.0-rc.1');
  assert.deepEqual(
    picked.release.images.map((i) => i.reference),
    ['ghcr.io/org/agent:1.0.0-rc.1-aaaaaaa', 'ghcr.io/org/agent:main-1746515289'],
  );
  assert.deepEqual(picked.analysis.diagnostics, []);
  const latest = renderGoreleaser(FACTS_CONFIG, { file: '/w/agent/.goreleaser.yaml', env: {}, git: { tag: 'v2.0.0' } });
  assert.equal(latest.tag, 'v2.0.0', "git's latest tag without one given");
  assert.deepEqual(
    latest.release.images.map((i) => [i.reference, i.unresolved]),
    [
      [null, ['.Env.REGISTRY', '.ShortCommit']],
      [null, ['.Env.REGISTRY', '.Branch', '.CommitTimestamp']],
    ],
  );
  const none = renderGoreleaser('project_name: named\n' + FACTS_CONFIG, { file: '/w/agent/.goreleaser.yaml', env: { REGISTRY: 'r.test' }, git: {} });
  assert.equal(none.tag, undefined);
  assert.equal(none.release.context.fields.ProjectName, 'named', "the config's project_name wins over the directory");
});

test('the Releases view and the editor render a file alike: same tag, same references', () => {
  const env = { REGISTRY: 'ghcr.io/org' };
  for (const tag of [undefined, 'v3.1.4']) {
    const release = goreleaserRelease({ file: '/w/agent/.goreleaser.yaml', text: FACTS_CONFIG, env, git: GIT, ...(tag ? { tag } : {}) });
    const model = buildModel(FACTS_CONFIG, { file: '/w/agent/.goreleaser.yaml', env, git: GIT, ...(tag ? { picked: tag } : {}) });
    assert.equal(model.tag, release.tag);
    assert.equal(model.tagFrom, tag ? 'picked' : 'git');
    assert.deepEqual(
      model.release.images.map((i) => i.reference),
      release.images.map((i) => i.reference),
    );
  }
});

test("fleet's real config (dockers_v2): every image it pushes, rendered for a release", () => {
  const real = realFixture('goreleaser', 'rancher-fleet', 'HEAD.goreleaser.yaml');
  const r = goreleaserRelease({
    file: real,
    text: readFileSync(real, 'utf8'),
    tag: 'v0.13.0',
    env: { STAGE_REGISTRY: 'stage.example.com', PRIME_REGISTRY: 'registry.suse.com', IS_HOTFIX: 'false' },
    git: {},
  });
  assert.equal(r.name, 'fleet');
  const refs = r.images.map((i) => i.reference);
  assert.ok(refs.length > 0);
  assert.ok(
    refs.every((x) => x !== null),
    JSON.stringify(r.images),
  );
  assert.ok(refs.includes('docker.io/rancher/fleet:v0.13.0'), refs.join('\n'));
  assert.ok(refs.includes('docker.io/rancher/fleet-agent:v0.13.0'), refs.join('\n'));
  assert.equal(new Set(refs).size, refs.length);
});

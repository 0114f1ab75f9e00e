import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { goreleaserRelease } from '../../src/releases/goreleaser-release';

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
  assert.deepEqual(r.images.map((i) => [i.origin, i.reference, i.line]), [
    ['dockers[0]', '127.0.0.1:5000/rancher/fleet:v1.2.3-amd64', 5],
    ['docker_manifests[0]', '127.0.0.1:5000/rancher/fleet:v1.2.3', 10],
  ]);
  assert.equal(r.problem, undefined);
});

test('without the values it needs, an image stays in the release and names them', () => {
  const r = goreleaserRelease({ file: '/w/app/.goreleaser.yaml', text: CONFIG, env: {}, git: { tag: 'v0.9.0' } });
  assert.equal(r.tag, 'v0.9.0', "git's latest tag by default");
  assert.deepEqual(r.images.map((i) => [i.reference, i.unresolved]), [[null, ['.Env.REGISTRY']], [null, ['.Env.REGISTRY']]]);
});

test('bad YAML is a release with a problem, not an exception; no image sections says so', () => {
  const bad = goreleaserRelease({ file: '/w/x/.goreleaser.yml', text: 'dockers: [\n', env: {}, git: {} });
  assert.match(bad.problem ?? '', /^\.goreleaser\.yml line \d+: /);
  assert.equal(bad.name, 'x', 'named after its directory without project_name');
  const none = goreleaserRelease({ file: '/w/x/.goreleaser.yml', text: 'builds:\n  - main: .\n', env: {}, git: {} });
  assert.equal(none.problem, 'This config publishes no container images.');
});

const real = join(process.env.PROVENANCE_LENS_SHARED ?? join(resolve(__dirname, '..', '..', '..'), '..', 'shared'), 'fixtures', 'real', 'goreleaser', 'rancher-fleet', 'HEAD.goreleaser.yaml');

test("fleet's real config (dockers_v2): every image it pushes, rendered for a release", { skip: existsSync(real) ? false : `no ${real}` }, () => {
  const r = goreleaserRelease({ file: real, text: readFileSync(real, 'utf8'), tag: 'v0.13.0', env: { STAGE_REGISTRY: 'stage.example.com', PRIME_REGISTRY: 'registry.suse.com', IS_HOTFIX: 'false' }, git: {} });
  assert.equal(r.name, 'fleet');
  const refs = r.images.map((i) => i.reference);
  assert.ok(refs.length > 0);
  assert.ok(refs.every((x) => x !== null), JSON.stringify(r.images));
  assert.ok(refs.includes('docker.io/rancher/fleet:v0.13.0'), refs.join('\n'));
  assert.ok(refs.includes('docker.io/rancher/fleet-agent:v0.13.0'), refs.join('\n'));
  assert.equal(new Set(refs).size, refs.length);
});

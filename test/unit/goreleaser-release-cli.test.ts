// `provenance-lens release <file>`: JSON and table over the real fleet configs, usage errors,
// unreadable files, configs without images, and where the environment comes from.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli';
import { realFixture } from '../support/real-fixtures';

const FLEET_HEAD = realFixture('goreleaser', 'rancher-fleet', 'HEAD.goreleaser.yaml');
const FLEET_PRE = realFixture('goreleaser', 'rancher-fleet', '9a9666e4-pre-dockers_v2.goreleaser.yaml');

const tmp = mkdtempSync(join(tmpdir(), 'pl-release-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const f = join(tmp, name);
  writeFileSync(f, text);
  return f;
};

const REGISTRIES = ['--env', 'STAGE_REGISTRY=stage.example.com', '--env', 'PRIME_REGISTRY=registry.suse.com'];

test('JSON: every image of fleet HEAD with section, template, rendered reference, line and column', async () => {
  const r = await cli(['release', FLEET_HEAD, '--tag', 'v0.12.0', '--commit', 'a'.repeat(40), '--no-git', '--json', ...REGISTRIES]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.tag, 'v0.12.0');
  assert.equal(out.commit, 'a'.repeat(40));
  assert.deepEqual(
    out.images.map((i: Record<string, unknown>) => [i.section, i.template, i.reference, i.unresolved, i.line, i.column, i.published]),
    [
      ['dockers_v2', 'docker.io/rancher/fleet:{{ .Tag }}', 'docker.io/rancher/fleet:v0.12.0', [], 119, 7, true],
      ['dockers_v2', 'docker.io/rancher/fleet-agent:{{ .Tag }}', 'docker.io/rancher/fleet-agent:v0.12.0', [], 144, 7, true],
      ['dockers_v2', '{{ .Env.STAGE_REGISTRY }}/rancher/fleet:{{ .Tag }}', 'stage.example.com/rancher/fleet:v0.12.0', [], 157, 7, true],
      ['dockers_v2', '{{ .Env.STAGE_REGISTRY }}/rancher/fleet-agent:{{ .Tag }}', 'stage.example.com/rancher/fleet-agent:v0.12.0', [], 174, 7, true],
    ],
  );
  assert.deepEqual(out.images[1].tag, { template: '{{ .Tag }}', line: 121, column: 7 });
  assert.deepEqual(out.images[1].image, { template: 'docker.io/rancher/fleet-agent', line: 144, column: 7 });
  assert.deepEqual(out.images[0].platforms, ['linux/amd64', 'linux/arm64']);
  assert.deepEqual(
    out.signs.map((s: Record<string, unknown>) => [s.id, s.references, (s.claims as { identity: string }[]).map((c) => c.identity), s.identity]),
    [
      [
        'prime-fleet',
        ['stage.example.com/rancher/fleet:v0.12.0'],
        ['registry.suse.com/rancher/fleet:v0.12.0'],
        { template: '{{ .Env.PRIME_REGISTRY }}/rancher/fleet:{{ .Tag }}', line: 192, column: 9 },
      ],
      [
        'prime-fleet-agent',
        ['stage.example.com/rancher/fleet-agent:v0.12.0'],
        ['registry.suse.com/rancher/fleet-agent:v0.12.0'],
        { template: '{{ .Env.PRIME_REGISTRY }}/rancher/fleet-agent:{{ .Tag }}', line: 203, column: 9 },
      ],
    ],
  );
  assert.deepEqual(
    out.diagnostics.map((d: Record<string, unknown>) => [d.code, d.severity, d.line, d.column]),
    [
      ['sign-identity-other-repository', 'info', 192, 9],
      ['sign-identity-other-repository', 'info', 203, 9],
    ],
  );
});

test('JSON: without the environment, references are null and name their variables', async () => {
  const out = JSON.parse((await cli(['release', FLEET_HEAD, '--tag', 'v0.12.0', '--no-git', '--json'])).stdout);
  assert.deepEqual(out.images[2], {
    section: 'dockers_v2',
    index: 2,
    id: 'fleet-private',
    role: 'image',
    template: '{{ .Env.STAGE_REGISTRY }}/rancher/fleet:{{ .Tag }}',
    reference: null,
    unresolved: ['.Env.STAGE_REGISTRY'],
    preview: '<.Env.STAGE_REGISTRY>/rancher/fleet:v0.12.0',
    line: 157,
    column: 7,
    image: { template: '{{ .Env.STAGE_REGISTRY }}/rancher/fleet', line: 157, column: 7 },
    tag: { template: '{{ .Tag }}', line: 121, column: 7 },
    published: true,
    platforms: ['linux/amd64', 'linux/arm64'],
  });
  const unresolved = out.diagnostics.filter((d: { code: string }) => d.code === 'template-unresolved');
  assert.deepEqual(
    unresolved.map((d: { line: number; variables: string[] }) => [d.line, d.variables]),
    [
      [157, ['.Env.STAGE_REGISTRY']],
      [174, ['.Env.STAGE_REGISTRY']],
    ],
  );
});

test('the table: one row per reference, the traps, and how to set what is missing', async () => {
  const r = await cli(['release', FLEET_PRE, '--tag', 'v0.12.0', '--no-git', '--env', 'PRIME_REGISTRY=registry.suse.com']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(lines[0]!, /9a9666e4-pre-dockers_v2\.goreleaser\.yaml: 14 image references for v0\.12\.0$/);
  assert.match(lines[2]!, /^SECTION\s+LINE:COL\s+STATUS\s+REFERENCE$/);
  assert.match(r.stdout, /^dockers\[0\]\s+127:7\s+push\s+docker\.io\/rancher\/fleet:v0\.12\.0-linux-amd64$/m);
  assert.match(
    r.stdout,
    /^dockers\[4\]\s+229:7\s+push\s+<\.Env\.STAGE_REGISTRY>\/rancher\/fleet:v0\.12\.0-linux-amd64 {2}\[unresolved: \.Env\.STAGE_REGISTRY\]$/m,
  );
  assert.match(r.stdout, /^docker_manifests\[0\] input\s+329:7\s+input\s+docker\.io\/rancher\/fleet:v0\.12\.0-linux-amd64$/m);
  assert.match(r.stdout, /^docker_signs\[0\] prime: signs 4 references$/m);
  assert.match(r.stdout, /^ {2}329:7 warning \[manifest-list-default-provenance\] /m);
  assert.match(r.stdout, /^ {2}373:9 warning \[contains-argument-order\] /m);
  assert.match(r.stdout, /^Unresolved: \.Env\.STAGE_REGISTRY \(set it with --env NAME=VALUE\)\.$/m);
});

test('a config without image sections gives an empty list; build tags are not images', async () => {
  const f = write('builds-only.yaml', 'project_name: x\nbuilds:\n  - tags: [netgo]\n    ldflags: ["-X main.version={{ .Tag }}"]\n');
  const json = await cli(['release', f, '--tag', 'v1.0.0', '--no-git', '--json']);
  assert.equal(json.code, 0);
  assert.deepEqual(JSON.parse(json.stdout), { file: f, tag: 'v1.0.0', commit: null, images: [], signs: [], diagnostics: [] });
  const table = await cli(['release', f, '--tag', 'v1.0.0', '--no-git']);
  assert.equal(table.stdout, `${f}: 0 image references for v1.0.0\n`);
});

test('bad YAML is reported, not fatal', async () => {
  const f = write('bad.yaml', 'dockers:\n\t- image_templates: [a]\n');
  const r = await cli(['release', f, '--no-git', '--json']);
  assert.equal(r.code, 0);
  assert.deepEqual(
    JSON.parse(r.stdout).diagnostics.map((d: Record<string, unknown>) => [d.code, d.severity, d.line]),
    [['yaml-syntax', 'error', 2]],
  );
});

test('usage errors and unreadable files exit 2 with one clear line', async () => {
  const none = await cli(['release']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^provenance-lens release: release takes exactly one GoReleaser file\./);
  const missing = await cli(['release', join(tmp, 'nope.yaml')]);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, `provenance-lens release: Cannot read the GoReleaser file ${join(tmp, 'nope.yaml')}: ENOENT. [USAGE]\n`);
  const directory = await cli(['release', tmp, '--no-git']);
  assert.equal(directory.code, 2);
  assert.match(directory.stderr, /EISDIR\. \[USAGE\]/);
  const f = write('ok.yaml', 'dockers_v2:\n  - images: [a]\n');
  const badEnv = await cli(['release', f, '--env', 'NOEQUALS']);
  assert.equal(badEnv.code, 2);
  assert.match(badEnv.stderr, /--env takes NAME=VALUE, got "NOEQUALS"/);
  const unknown = await cli(['release', f, '--frobnicate']);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr, 'provenance-lens release: unknown option --frobnicate (`provenance-lens release --help` lists its options). [USAGE]\n');
  const help = await cli(['--help']);
  assert.match(help.stdout, /^ {2}release\s+list every image a GoReleaser config publishes/m);
});

test("the process environment counts only with --inherit-env, as GoReleaser's job environment", async () => {
  const f = write('env.yaml', 'env:\n  - REG={{ .Env.OUTER }}\ndockers_v2:\n  - images: ["{{ .Env.REG }}/app"]\n    tags: [v1]\n');
  const without = JSON.parse((await cli(['release', f, '--no-git', '--json'], { OUTER: 'ghcr.io/o' })).stdout);
  assert.deepEqual([without.images[0].reference, without.images[0].unresolved], [null, ['.Env.OUTER']]);
  const inherited = JSON.parse((await cli(['release', f, '--no-git', '--json', '--inherit-env'], { OUTER: 'ghcr.io/o' })).stdout);
  assert.equal(inherited.images[0].reference, 'ghcr.io/o/app:v1');
  const given = JSON.parse((await cli(['release', f, '--no-git', '--json', '--env', 'OUTER=quay.io/o'], { OUTER: 'ghcr.io/o' })).stdout);
  assert.equal(given.images[0].reference, 'quay.io/o/app:v1');
});

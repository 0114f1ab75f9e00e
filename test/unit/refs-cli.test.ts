// `provenance-lens refs`: which kind a file is (src/references/kind.ts), the folder walk, what is
// read beside a file (.env, Chart.yaml, go.mod), the JSON of docs/refs-json.md and the exit codes,
// on a temporary tree holding the vendored real files at the paths their repositories give them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileKind, kindByName } from '../../src/references/kind';
import { runCli } from '../../src/cli/run';
import { realFixture } from '../support/real-fixtures';

async function refs(args: string[], cwd?: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const previous = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = await runCli(['refs', ...args], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, env: {} });
    return { code, out, err };
  } finally {
    process.chdir(previous);
  }
}

test('the kind of a file from its path and name, then from its content', () => {
  const byName: [string, string | undefined][] = [
    ['Dockerfile', 'dockerfile'],
    ['build/Dockerfile.agent', 'dockerfile'],
    ['web.dockerfile', 'dockerfile'],
    ['Containerfile', 'dockerfile'],
    ['Dockerfile.dockerignore', undefined],
    ['compose.yaml', 'compose'],
    ['docker-compose-postgres.yml', 'compose'],
    ['compose.override.yml', 'compose'],
    ['.goreleaser.yaml', 'goreleaser'],
    ['.goreleaser.nightly.yaml', 'goreleaser'],
    ['goreleaser.yml', 'goreleaser'],
    ['repo/.github/workflows/ci.yml', 'github-workflow'],
    ['kustomization.yaml', 'kustomization'],
    ['charts/x/values.yaml', 'helm-values'],
    ['charts/x/values-prod.yaml', 'helm-values'],
    ['deploy/app.yaml', 'yaml'],
    ['README.md', undefined],
    ['main.go', undefined],
  ];
  for (const [path, kind] of byName) assert.equal(kindByName(path), kind, path);
  assert.equal(fileKind('deploy/app.yaml', 'apiVersion: apps/v1\nkind: Deployment\n'), 'kubernetes');
  assert.equal(fileKind('deploy/k.yaml', '# x\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n'), 'kustomization');
  assert.equal(fileKind('ci/config.yaml', 'steps: []\n'), undefined);
  assert.equal(fileKind('templates/deployment.yaml', '{{- if .Values.x }}\napiVersion: apps/v1\nkind: Deployment\n{{- end }}\n'), 'kubernetes');
});

describe('refs on a folder', () => {
  let root: string;
  const place = (to: string, ...from: string[]) => {
    mkdirSync(dirname(join(root, to)), { recursive: true });
    copyFileSync(realFixture(...from), join(root, to));
  };

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'pl-refs-'));
    place('package/Dockerfile', 'dockerfile', 'rancher-fleet', 'Dockerfile');
    place('charts/fleet/values.yaml', 'helm-values', 'rancher-fleet', 'values.yaml');
    place('charts/fleet/Chart.yaml', 'helm-values', 'rancher-fleet', 'Chart.yaml');
    place('charts/descheduler/values.yaml', 'helm-values', 'descheduler', 'values.yaml');
    place('compose/docker-compose.yml', 'compose', 'temporalio', 'docker-compose.yml');
    place('compose/.env', 'compose', 'temporalio', '.env');
    place('deploy/cni.yaml', 'kubernetes', 'aws-vpc-cni', 'aws-k8s-cni.yaml');
    place('.github/workflows/ci.yml', 'github-workflow', 'actionlint', 'container_syntax.yaml');
    place('.goreleaser.yaml', 'goreleaser', 'authzed-thumper', '.goreleaser.nightly.yaml');
    place('go.mod', 'goreleaser', 'authzed-thumper', 'go.mod');
    for (const skipped of ['.git', 'node_modules/x', 'vendor/y']) {
      mkdirSync(join(root, skipped), { recursive: true });
      writeFileSync(join(root, skipped, 'Dockerfile'), 'FROM must-not-be-read:1\n');
    }
    writeFileSync(join(root, 'deploy', 'notes.yaml'), 'steps: [a]\n');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('--json: every file of a known kind once, paths as given, .git/node_modules/vendor skipped, what lies beside each file used', async () => {
    const { code, out, err } = await refs(['.', '--json', '--tag', 'v1.2.3', '--no-git'], root);
    assert.equal(err, '');
    assert.equal(code, 0);
    const json = JSON.parse(out) as { files: { file: string; kind: string; references: Record<string, unknown>[] }[] };
    assert.deepEqual(
      json.files.map((f) => [f.file, f.kind, f.references.length]),
      [
        ['.goreleaser.yaml', 'goreleaser', 3],
        ['.github/workflows/ci.yml', 'github-workflow', 3],
        ['charts/descheduler/values.yaml', 'helm-values', 1],
        ['charts/fleet/values.yaml', 'helm-values', 2],
        ['compose/docker-compose.yml', 'compose', 5],
        ['deploy/cni.yaml', 'kubernetes', 2],
        ['package/Dockerfile', 'dockerfile', 1],
      ],
    );
    const all = json.files.flatMap((f) => f.references);
    assert.ok(!all.some((r) => String(r.reference).startsWith('must-not-be-read')));
    // goreleaser: rendered with --tag and ko-named from the go.mod beside it.
    assert.deepEqual(json.files[0]!.references[0], {
      reference: 'authzed/thumper:v1.2.3',
      raw: 'authzed:v{{ .Version }}',
      line: 29,
      column: 18,
      endLine: 29,
      endColumn: 25,
      normalized: 'docker.io/authzed/thumper:v1.2.3',
      via: 'kos[0]',
    });
    // compose: the .env beside it; Helm: Chart.yaml's appVersion only where there is one.
    assert.equal(json.files[4]!.references[2]!.reference, 'temporalio/auto-setup:1.19.1');
    assert.deepEqual([json.files[2]!.references[0]!.reference, json.files[2]!.references[0]!.unresolved], ['k8s.gcr.io/descheduler/descheduler', ['tag']]);
    // As written: no docker.io/library/ added to the reference; the normalised form is its own field.
    assert.deepEqual(
      [json.files[6]!.references[0]!.reference, json.files[3]!.references[0]!.normalized],
      ['registry.suse.com/bci/bci-base:15.5.36.5.24', 'docker.io/rancher/fleet:v0.12.13'],
    );
  });

  test('text output: a heading per file, then line:column, reference and where', async () => {
    const { code, out } = await refs([join(root, 'package', 'Dockerfile')]);
    assert.equal(code, 0);
    assert.equal(out, `${join(root, 'package', 'Dockerfile')} (dockerfile): 1 reference\n  3:6  registry.suse.com/bci/bci-base:15.5.36.5.24  FROM\n`);
  });

  test('--kind forces a kind on a file its name does not decide; an invalid reference says why', async () => {
    writeFileSync(join(root, 'deploy', 'odd.txt'), 'FROM Bad_Name:1\n');
    const { code, out } = await refs([join(root, 'deploy', 'odd.txt'), '--kind', 'dockerfile', '--json']);
    assert.equal(code, 0);
    const [site] = (JSON.parse(out) as { files: { references: { reference: string; invalid?: string }[] }[] }).files[0]!.references;
    assert.equal(site!.reference, 'Bad_Name:1');
    assert.match(site!.invalid!, /uppercase/);
  });

  test('exit 2, one line saying what to do: a missing path, a file of no known kind, an unknown --kind', async () => {
    const missing = await refs([join(root, 'nope')]);
    assert.deepEqual([missing.code, missing.out], [2, '']);
    assert.match(missing.err, /^provenance-lens refs: Cannot read .*nope: ENOENT\. \[USAGE\]\n$/);
    const unknown = await refs([join(root, 'deploy', 'notes.yaml')]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /Cannot tell which kind of file .*notes\.yaml is .* give --kind/);
    const badKind = await refs(['.', '--kind', 'helm']);
    assert.equal(badKind.code, 2);
    assert.match(badKind.err, /--kind must be one of dockerfile, compose, kubernetes, kustomization, helm-values, github-workflow, goreleaser; got "helm"/);
  });
});

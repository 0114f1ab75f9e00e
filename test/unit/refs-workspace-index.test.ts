// The workspace's references as the editor keeps them (src/references/workspace-index.ts), on a
// temporary tree of the vendored real files: what is listed, what is left out, and how a change,
// a deletion and a `.env` beside a compose file update it. Also the helpers the walk's speed
// rests on: answers in order from a window of reads, and aliases resolved as `yaml` resolves them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isScalar, parseDocument } from 'yaml';
import type { Alias } from 'yaml';
import { inOrder } from '../../src/core/in-order';
import { resolveAlias } from '../../src/goreleaser/yaml-source';
import { readReferences } from '../../src/references/read';
import { WorkerReader } from '../../src/references/worker-reader';
import { WorkspaceReferenceIndex } from '../../src/references/workspace-index';
import { realFixture } from '../support/real-fixtures';

describe('the workspace index', () => {
  let root: string;
  const place = (to: string, ...from: string[]) => {
    mkdirSync(dirname(join(root, to)), { recursive: true });
    copyFileSync(realFixture(...from), join(root, to));
    return join(root, to);
  };
  const paths: string[] = [];

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'pl-index-'));
    paths.push(
      place('package/Dockerfile', 'dockerfile', 'rancher-fleet', 'Dockerfile'),
      place('charts/fleet/values.yaml', 'helm-values', 'rancher-fleet', 'values.yaml'),
      place('compose/docker-compose.yml', 'compose', 'temporalio', 'docker-compose.yml'),
      place('.github/workflows/ci.yml', 'github-workflow', 'actionlint', 'container_syntax.yaml'),
      place('.goreleaser.yaml', 'goreleaser', 'authzed-thumper', '.goreleaser.nightly.yaml'),
    );
    place('charts/fleet/Chart.yaml', 'helm-values', 'rancher-fleet', 'Chart.yaml');
    place('compose/.env', 'compose', 'temporalio', '.env');
    writeFileSync(join(root, 'config.yaml'), 'name: app\nimage: not-a-manifest\n');
    writeFileSync(join(root, 'service.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { ports: [{ port: 80 }] }\n');
    paths.push(join(root, 'config.yaml'), join(root, 'service.yaml'), join(root, 'missing.yaml'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('lists the files that name images, by path, with what is read beside them; GoReleaser configs and image-less YAML are left out', async () => {
    const index = new WorkspaceReferenceIndex();
    const heard: string[][] = [];
    index.onDidChange((c) => heard.push([...c]));
    await index.add(paths);
    const listed = index.list();
    assert.deepEqual(
      listed.map((f) => [f.file.slice(root.length + 1), f.kind]),
      [
        ['.github/workflows/ci.yml', 'github-workflow'],
        ['charts/fleet/values.yaml', 'helm-values'],
        ['compose/docker-compose.yml', 'compose'],
        ['package/Dockerfile', 'dockerfile'],
      ],
    );
    assert.deepEqual(heard.flat().sort(), listed.map((f) => f.file).sort(), 'one announcement per file that entered');
    const values = index.get(join(root, 'charts/fleet/values.yaml'))!;
    assert.deepEqual(
      values.references.slice(0, 2).map((s) => [s.reference, s.line, s.column]),
      [
        ['rancher/fleet:v0.12.13', 2, 15],
        ['rancher/fleet-agent:v0.12.13', 7, 15],
      ],
    );
    // The compose .env was read beside the file: the same answers as the CLI's.
    const compose = index.get(join(root, 'compose/docker-compose.yml'))!;
    assert.ok(
      compose.references.every((s) => s.unresolved === undefined),
      'the .env beside the compose file gave every variable',
    );
  });

  test('worker threads give the same listing as this thread; without a worker file, this thread reads', async () => {
    const here = new WorkspaceReferenceIndex();
    await here.add(paths);
    const reader = new WorkerReader(join(__dirname, '..', '..', 'src', 'references', 'index-worker.js'), {}, 2);
    const missing = new WorkerReader(join(root, 'no-such-worker.js'), {}, 2);
    try {
      for (const r of [reader, missing]) {
        const there = new WorkspaceReferenceIndex({ reader: r });
        await there.add(paths);
        assert.deepEqual(there.list(), here.list());
      }
    } finally {
      await Promise.all([reader.close(), missing.close()]);
    }
  });

  test('a changed file is read again, a deleted one leaves, a file that no longer names images leaves', async () => {
    const index = new WorkspaceReferenceIndex();
    const file = join(root, 'deploy', 'app.yaml');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n',
    );
    await index.add([file]);
    assert.deepEqual(
      index.get(file)!.references.map((s) => [s.reference, s.line, s.column]),
      [['nginx:1.27', 9, 18]],
    );
    writeFileSync(
      file,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.28\n',
    );
    await index.add([file]);
    assert.deepEqual(
      index.get(file)!.references.map((s) => s.reference),
      ['nginx:1.28'],
    );
    writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata: { name: web }\n');
    await index.add([file]);
    assert.equal(index.get(file), undefined);
    await index.add([file.replace('app.yaml', 'other.yaml')]);
    writeFileSync(
      file.replace('app.yaml', 'job.yaml'),
      'apiVersion: batch/v1\nkind: Job\nspec: { template: { spec: { containers: [{ name: a, image: busybox }] } } }\n',
    );
    await index.add([file.replace('app.yaml', 'job.yaml')]);
    assert.equal(index.size, 1);
    index.remove(file.replace('app.yaml', 'job.yaml'));
    assert.equal(index.size, 0);
  });

  test('a .env that changes is read again once the index is told', async () => {
    const dir = join(root, 'envtest');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx:${TAG}\n');
    writeFileSync(join(dir, '.env'), 'TAG=1.27\n');
    const index = new WorkspaceReferenceIndex();
    await index.add([join(dir, 'compose.yaml')]);
    assert.equal(index.get(join(dir, 'compose.yaml'))!.references[0]!.reference, 'nginx:1.27');
    writeFileSync(join(dir, '.env'), 'TAG=1.28\n');
    index.besideChanged(join(dir, '.env'));
    await index.add([join(dir, 'compose.yaml')]);
    assert.equal(index.get(join(dir, 'compose.yaml'))!.references[0]!.reference, 'nginx:1.28');
  });
});

test("inOrder: answers in the items' order whatever order they finish in, at most `limit` at once", async () => {
  let running = 0;
  let most = 0;
  const delays = [30, 5, 20, 1, 15, 2, 25, 3];
  const out: number[] = [];
  for await (const v of inOrder(
    delays.map((d, i) => [d, i] as const),
    3,
    async ([d, i]) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, d));
      running--;
      return i;
    },
  ))
    out.push(v);
  assert.deepEqual(out, [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(most, 3);
  await assert.rejects(async () => {
    for await (const _ of inOrder([1, 2], 2, async (x) => {
      if (x === 2) throw new Error('two');
      return x;
    }))
      void _;
  }, /two/);
});

test('aliases resolve to the last anchor of their name before them, as yaml resolves them', () => {
  const doc = parseDocument('a: &x one\nb: *x\nc: &x two\nd: *x\ne: *y\n');
  const value = (key: string) => {
    const node = doc.get(key, true) as Alias;
    const mine = resolveAlias(doc, node);
    const theirs = node.resolve(doc);
    assert.equal(mine, theirs, key);
    return mine && isScalar(mine) ? mine.value : undefined;
  };
  assert.deepEqual(['b', 'd', 'e'].map(value), ['one', 'two', undefined]);
});

test('YAML that cannot name an image is not parsed: no references, and no problem about its syntax', () => {
  assert.deepEqual(readReferences('compose', 'services:\n  web:\n    build: .\n  bad: [\n'), { kind: 'compose', references: [], problems: [] });
  const parsed = readReferences('compose', 'services:\n  web:\n    image: nginx\n  bad: [\n');
  assert.deepEqual(
    parsed.references.map((s) => s.reference),
    ['nginx'],
  );
  assert.ok(parsed.problems.length > 0);
});

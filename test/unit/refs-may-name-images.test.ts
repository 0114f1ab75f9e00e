// The check on words that spares parsing YAML that cannot name an image (mayNameImages in
// src/references/read.ts) must never drop a reference: a file it skips is exactly one the readers,
// parsing it, find no reference in. Checked over every file vendored in test/fixtures/real read as
// every kind, and over the ways YAML can write a key the words do not show as written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { mayNameImages, parseReferences, readReferences } from '../../src/references/read';
import { FILE_KINDS } from '../../src/references/types';
import type { FileKind } from '../../src/references/types';
import { realFixturesRoot } from '../support/real-fixtures';

const YAML_KINDS: readonly FileKind[] = ['compose', 'kubernetes', 'kustomization', 'helm-values', 'github-workflow'];

test('every real fixture, read as every kind: a file skipped unparsed is one whose parse names no image', () => {
  const files = readdirSync(realFixturesRoot, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
  assert.ok(files.length > 300, `the vendored files are there (${files.length})`);
  const skipped = new Map<FileKind, number>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const kind of FILE_KINDS) {
      if (mayNameImages(kind, text)) continue;
      skipped.set(kind, (skipped.get(kind) ?? 0) + 1);
      assert.deepEqual(parseReferences(kind, text).references, [], `${file} as ${kind} was skipped, but names images`);
      assert.deepEqual(readReferences(kind, text), { kind, references: [], problems: [] });
    }
  }
  // Only YAML kinds are checked on words, and each of them skipped some files: the assertions above ran.
  assert.deepEqual([...skipped.keys()].sort(), [...YAML_KINDS].sort());
  for (const [kind, n] of skipped) assert.ok(n > 50, `${kind}: ${n} files skipped`);
});

test('the real files that name images are never skipped under their own kind', () => {
  const own: Array<[FileKind, string[]]> = [
    ['compose', ['compose', 'temporalio', 'docker-compose.yml']],
    ['compose', ['compose', 'apache-airflow', 'docker-compose.yaml']],
    ['kubernetes', ['kubernetes', 'aws-vpc-cni', 'aws-k8s-cni.yaml']],
    ['kubernetes', ['kubernetes', 'descheduler', 'cronjob.yaml']],
    ['kubernetes', ['helm-values', 'rancher-fleet', 'templates', 'deployment.yaml']],
    ['kustomization', ['kustomization', 'argo-cd', 'kustomization.yaml']],
    ['helm-values', ['helm-values', 'rancher-fleet', 'values.yaml']],
    ['helm-values', ['helm-values', 'descheduler', 'values.yaml']],
    ['github-workflow', ['github-workflow', 'actionlint', 'container_syntax.yaml']],
    ['github-workflow', ['github-workflow', 'actionlint', 'docker_steps.yaml']],
  ];
  for (const [kind, path] of own) {
    const text = readFileSync(join(realFixturesRoot, ...path), 'utf8');
    const parsed = parseReferences(kind, text);
    assert.ok(parsed.references.length > 0, `${path.join('/')} names images`);
    assert.deepEqual(readReferences(kind, text), parsed, path.join('/'));
  }
});

/** Each case: a kind, a text, and the references a parse finds in it (never none). */
const WRITTEN_OTHERWISE: Array<[what: string, kind: FileKind, text: string, references: string[]]> = [
  ['a flow mapping', 'compose', 'services: {web: {image: nginx}}\n', ['nginx']],
  ['a double-quoted key', 'compose', 'services:\n  web:\n    "image": nginx\n', ['nginx']],
  ['a single-quoted key', 'compose', "services:\n  web:\n    'image': nginx\n", ['nginx']],
  ['a key with a \\x escape', 'compose', 'services:\n  web:\n    "\\x69mage": nginx\n', ['nginx']],
  ['a key with a \\u escape', 'compose', 'services:\n  web:\n    "\\u0069mage": nginx\n', ['nginx']],
  ['a key with a \\U escape', 'compose', 'services:\n  web:\n    "\\U00000069mage": nginx\n', ['nginx']],
  ['a key whose escaped line break joins it', 'compose', 'services:\n  web:\n    ? "ima\\\n      ge"\n    : nginx\n', ['nginx']],
  ['a block scalar key', 'compose', 'services:\n  web:\n    ? |-\n      image\n    : nginx\n', ['nginx']],
  ['an anchor merged into a service', 'compose', 'x-base: &base\n  image: nginx\nservices:\n  web:\n    <<: *base\n', ['nginx']],
  ['the second document of a stream', 'compose', 'services: {}\n---\nservices:\n  web:\n    image: nginx\n', ['nginx']],
  [
    'a Pod after a Service, in flow style',
    'kubernetes',
    'apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nspec: {containers: [{name: a, image: busybox}]}\n',
    ['busybox'],
  ],
  ['a container image key escaped', 'kubernetes', 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      "\\x69mage": busybox\n', ['busybox']],
  ['an images key escaped', 'kustomization', '"\\x69mages":\n  - name: a\n    newName: registry.example/a\n', ['registry.example/a']],
  ['a repository key escaped', 'helm-values', 'app:\n  "rep\\x6fsitory": example/app\n  tag: "1.0"\n', ['example/app:1.0']],
  ['an image key escaped', 'helm-values', '"\\x69mage": example/app:1.0\n', ['example/app:1.0']],
  ['a container key escaped', 'github-workflow', 'jobs:\n  a:\n    "cont\\x61iner": alpine:3\n', ['alpine:3']],
  ['a docker:// step escaped', 'github-workflow', 'jobs:\n  a:\n    steps:\n      - uses: "\\x64ocker://alpine:3"\n', ['alpine:3']],
];

for (const [what, kind, text, references] of WRITTEN_OTHERWISE) {
  test(`${kind}: ${what} is parsed, and its references listed`, () => {
    const parsed = parseReferences(kind, text);
    assert.deepEqual(
      parsed.references.map((s) => s.reference),
      references,
    );
    assert.deepEqual(readReferences(kind, text), parsed);
  });
}

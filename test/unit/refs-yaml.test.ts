// Image references of YAML files (src/references): compose, Kubernetes, kustomization, Helm values
// and GitHub workflows, on the real files of test/fixtures/real (SOURCES.md) and on small snippets
// for the conventions no real file here shows. Positions: 1-based lines, UTF-16 columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readReferences } from '../../src/references/read';
import type { FileKind, ReferenceOptions, ReferenceSite } from '../../src/references/types';
import { realFixture } from '../support/real-fixtures';

const real = (kind: FileKind, path: string[], options: ReferenceOptions = {}) => readReferences(kind, readFileSync(realFixture(...path), 'utf8'), options);
const snippet = (kind: FileKind, lines: string[], options: ReferenceOptions = {}) => readReferences(kind, `${lines.join('\n')}\n`, options);
type Row = [reference: string | null, line: number, column: number, via: string];
const row = (s: ReferenceSite): Row => [s.reference, s.line, s.column, s.via];

test('compose (temporalio): ${VERSION} from the .env beside the file, at the line and column of each image: value', () => {
  const env = { ELASTICSEARCH_VERSION: '7.16.2', POSTGRESQL_VERSION: '13', TEMPORAL_VERSION: '1.19.1', TEMPORAL_UI_VERSION: '2.10.1' };
  const { references } = real('compose', ['compose', 'temporalio', 'docker-compose.yml'], { env });
  assert.deepEqual(references.map(row), [
    ['elasticsearch:7.16.2', 13, 12, 'services.elasticsearch.image'],
    ['postgres:13', 25, 12, 'services.postgresql.image'],
    ['temporalio/auto-setup:1.19.1', 47, 12, 'services.temporal.image'],
    ['temporalio/admin-tools:1.19.1', 62, 12, 'services.temporal-admin-tools.image'],
    ['temporalio/ui:2.10.1', 74, 12, 'services.temporal-ui.image'],
  ]);
  // Without the .env nothing is guessed: the variable is named.
  const bare = real('compose', ['compose', 'temporalio', 'docker-compose.yml']).references;
  assert.deepEqual(bare.map((s) => [s.reference, s.raw, s.unresolved]).slice(0, 2), [
    [null, 'elasticsearch:${ELASTICSEARCH_VERSION}', ['ELASTICSEARCH_VERSION']],
    [null, 'postgres:${POSTGRESQL_VERSION}', ['POSTGRESQL_VERSION']],
  ]);
});

test('compose (apache/airflow): the image: in the x-airflow-common anchor counts once, at the anchor, with its ${VAR:-default}', () => {
  const { references } = real('compose', ['compose', 'apache-airflow', 'docker-compose.yaml']);
  assert.deepEqual(references.map(row), [
    ['apache/airflow:|version|', 52, 10, 'services.airflow-apiserver.image'],
    ['postgres:16', 90, 12, 'services.postgres.image'],
    ['redis:7.2-bookworm', 107, 12, 'services.redis.image'],
  ]);
  assert.equal(references[0]!.raw, '${AIRFLOW_IMAGE_NAME:-apache/airflow:|version|}');
  // The .env's value wins over the default, as compose does.
  assert.equal(
    real('compose', ['compose', 'apache-airflow', 'docker-compose.yaml'], { env: { AIRFLOW_IMAGE_NAME: 'apache/airflow:3.0.2' } }).references[0]!.reference,
    'apache/airflow:3.0.2',
  );
});

test('compose interpolation: ${VAR-default} only when unset, ${VAR:-default} also when empty, nested defaults, $$ is a dollar; build args are not images', () => {
  const text = [
    'services:',
    '  a: {image: "${REG-docker.io}/a:1"}',
    '  b: {image: "${REG:-docker.io}/b:1"}',
    '  c: {image: "${IMAGE:-ghcr.io/o/c:${TAG:-2}}"}',
    '  d:',
    '    build: {args: {BASE: "golang:1.22"}}',
    '    image: d$$x',
  ];
  assert.deepEqual(
    snippet('compose', text, { env: { REG: '' } }).references.map((s) => s.reference),
    ['/a:1', 'docker.io/b:1', 'ghcr.io/o/c:2', 'd$x'],
  );
  assert.deepEqual(
    snippet('compose', text, { env: { TAG: '3' } }).references.map((s) => s.reference),
    ['docker.io/a:1', 'docker.io/b:1', 'ghcr.io/o/c:3', 'd$x'],
  );
});

test('columns count UTF-16 code units, as VS Code positions do', () => {
  const [s] = snippet('compose', ['services: {"wéb😀": {image: nginx:1.27}}']).references;
  // `services: {"wéb😀": {image: ` is 28 code units (27 characters): the emoji counts two.
  assert.deepEqual([s!.reference, s!.line, s!.column, s!.start], ['nginx:1.27', 1, 29, 28]);
});

test('Kubernetes (aws-vpc-cni): every document read, initContainers and containers of the DaemonSet; the CRD is not a workload', () => {
  const { references, problems } = real('kubernetes', ['kubernetes', 'aws-vpc-cni', 'aws-k8s-cni.yaml']);
  assert.deepEqual(problems, []);
  assert.deepEqual(references.map(row), [
    ['602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni-init:v1.12.1-rc3', 124, 17, 'DaemonSet/aws-node initContainers[aws-vpc-cni-init]'],
    ['602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.12.1-rc3', 142, 19, 'DaemonSet/aws-node containers[aws-node]'],
  ]);
});

test("Kubernetes (descheduler): a CronJob's jobTemplate", () => {
  assert.deepEqual(real('kubernetes', ['kubernetes', 'descheduler', 'cronjob.yaml']).references.map(row), [
    ['k8s.gcr.io/descheduler/descheduler:v0.23.0', 19, 20, 'CronJob/descheduler-cronjob containers[descheduler]'],
  ]);
});

test('Kubernetes: ephemeralContainers and image volumes are images; ConfigMap strings, CRD schemas and commented-out lines are not', () => {
  const { references } = snippet('kubernetes', [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: c}',
    'data:',
    '  image: ghcr.io/o/not-an-image:1',
    '---',
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: p}',
    'spec:',
    '  containers:',
    '  # - image: ghcr.io/o/commented:1',
    '  - {name: app, image: "ghcr.io/o/app:1"}',
    '  ephemeralContainers:',
    '  - name: debug',
    '    image: busybox:1.36',
    '  volumes:',
    '  - name: model',
    '    image: {reference: "quay.io/o/model:v1", pullPolicy: IfNotPresent}',
  ]);
  assert.deepEqual(references.map(row), [
    ['ghcr.io/o/app:1', 13, 25, 'Pod/p containers[app]'],
    ['busybox:1.36', 16, 12, 'Pod/p ephemeralContainers[debug]'],
    ['quay.io/o/model:v1', 19, 25, 'Pod/p volumes[model].image'],
  ]);
});

test('a Helm chart template that is not YAML is read line by line: its image: value is unresolved, with the template actions', () => {
  const { references, problems } = real('kubernetes', ['helm-values', 'rancher-fleet', 'templates', 'deployment.yaml']);
  assert.deepEqual(
    references.map((s) => [s.reference, s.line, s.column, s.unresolved]),
    [[null, 28, 16, ['template "system_default_registry" .', '.Values.image.repository', '.Values.image.tag']]],
  );
  assert.equal(problems.length, 1);
  assert.match(problems[0]!.message, /not YAML as written.*read line by line/);
});

test('kustomization (argo-cd): newName:newTag at the newName: value; else name:, with @digest', () => {
  assert.deepEqual(real('kustomization', ['kustomization', 'argo-cd', 'kustomization.yaml']).references.map(row), [
    ['quay.io/argoproj/argocd:v2.7.6', 7, 12, 'images[0]'],
  ]);
  const sites = snippet('kustomization', ['images:', '- name: nginx', '  newTag: "1.27"', '- name: redis', `  digest: sha256:${'a'.repeat(64)}`]).references;
  assert.deepEqual(sites.map(row), [
    ['nginx:1.27', 2, 9, 'images[0]'],
    [`redis@sha256:${'a'.repeat(64)}`, 4, 9, 'images[1]'],
  ]);
  assert.deepEqual(Object.keys(sites[1]!.keys!), ['name', 'digest']);
});

test('Helm values (rancher/fleet): rancher/fleet and rancher/fleet-agent at their repository: lines; an empty global registry changes nothing', () => {
  const { references } = real('helm-values', ['helm-values', 'rancher-fleet', 'values.yaml'], { appVersion: '0.12.13' });
  assert.deepEqual(references.map(row), [
    ['rancher/fleet:v0.12.13', 2, 15, 'image'],
    ['rancher/fleet-agent:v0.12.13', 7, 15, 'agentImage'],
  ]);
  assert.deepEqual([references[0]!.keys!.tag!.line, references[0]!.keys!.tag!.column], [3, 8]);
});

test('Helm values (descheduler): an empty tag is the appVersion of Chart.yaml; without one, no tag and unresolved ["tag"], never latest', () => {
  const withChart = real('helm-values', ['helm-values', 'descheduler', 'values.yaml'], { appVersion: '0.19.0' }).references;
  assert.deepEqual(
    withChart.map((s) => [s.reference, s.line, s.column, s.unresolved]),
    [['k8s.gcr.io/descheduler/descheduler:0.19.0', 6, 15, undefined]],
  );
  const without = real('helm-values', ['helm-values', 'descheduler', 'values.yaml']).references;
  assert.deepEqual(
    without.map((s) => [s.reference, s.unresolved]),
    [['k8s.gcr.io/descheduler/descheduler', ['tag']]],
  );
});

test('Helm values: registry/repository:tag@digest, sha keys, a set global registry, component maps and image strings', () => {
  const { references } = snippet('helm-values', [
    'global:',
    '  imageRegistry: registry.example.com',
    'image:',
    '  registry: docker.io',
    '  repository: bitnami/nginx',
    '  tag: 1.27.0',
    `  digest: "sha256:${'b'.repeat(64)}"`,
    'controller:',
    '  registry: quay.io',
    '  repository: o/controller',
    '  tag: v2',
    'sidecar:',
    '  image: "busybox:{{ .Values.sidecar.tag }}"',
    'proxy:',
    '  repository: envoyproxy/envoy',
    `  sha: ${'c'.repeat(64)}`,
    'chartRepo:',
    '  repository: https://charts.example.com',
  ]);
  assert.deepEqual(
    references.map((s) => [s.reference, s.line, s.column, s.via, s.unresolved]),
    [
      [`registry.example.com/bitnami/nginx:1.27.0@sha256:${'b'.repeat(64)}`, 5, 15, 'image', undefined],
      ['registry.example.com/o/controller:v2', 10, 15, 'controller', undefined],
      [null, 13, 11, 'sidecar.image', ['.Values.sidecar.tag']],
      [`registry.example.com/envoyproxy/envoy@sha256:${'c'.repeat(64)}`, 15, 15, 'proxy', undefined],
    ],
  );
  assert.equal(references[0]!.raw, `docker.io/bitnami/nginx:1.27.0@sha256:${'b'.repeat(64)}`);
});

test('GitHub workflows (actionlint testdata): container as a string or a mapping, services, uses: docker:// steps; with: inputs are not images', () => {
  assert.deepEqual(real('github-workflow', ['github-workflow', 'actionlint', 'container_syntax.yaml']).references.map(row), [
    ['ubuntu:latest', 6, 17, 'jobs.test1.container'],
    ['ghcr.io/rhysd/test', 17, 15, 'jobs.test3.container.image'],
    ['ghcr.io/rhysd/my-redis', 34, 17, 'jobs.test4.services.redis.image'],
  ]);
  const steps = real('github-workflow', ['github-workflow', 'actionlint', 'docker_steps.yaml']).references;
  assert.deepEqual(
    steps.map((s) => [s.line, s.column]),
    [
      [7, 25],
      [12, 25],
      [16, 25],
      [20, 25],
      [23, 25],
      [27, 25],
      [30, 25],
      [33, 25],
    ],
  );
  assert.ok(steps.every((s) => s.reference === 'ubuntu:latest' && s.raw === 'ubuntu:latest'));
});

test('GitHub workflows: a ${{ }} expression is unresolved, never dropped', () => {
  const { references } = snippet('github-workflow', [
    'jobs:',
    '  t:',
    '    container: ${{ matrix.image }}',
    '    services:',
    '      db: {image: "postgres:${{ matrix.pg }}"}',
    '    steps:',
    '      - uses: docker://ghcr.io/o/tool:${{ inputs.version }}',
    '      - uses: actions/checkout@v4',
    '        with: {image: not-an-image}',
  ]);
  assert.deepEqual(
    references.map((s) => [s.reference, s.raw, s.line, s.column, s.unresolved]),
    [
      [null, '${{ matrix.image }}', 3, 16, ['matrix.image']],
      [null, 'postgres:${{ matrix.pg }}', 5, 20, ['matrix.pg']],
      [null, 'ghcr.io/o/tool:${{ inputs.version }}', 7, 24, ['inputs.version']],
    ],
  );
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readProvenance, summarizePredicate } from '../../src/provenance/summary';
import type { ProvenanceSummary } from '../../src/provenance/types';
import { realFixtureDir } from '../support/real-fixtures';

// Every real SLSA provenance file in test/fixtures/real/slsa-provenance, normalised, with the
// values a maintainer would read off it asserted exactly (test/fixtures/real/SOURCES.md says where
// each came from).

const dir = realFixtureDir('slsa-provenance');

const V02 = 'https://slsa.dev/provenance/v0.2';
const V1 = 'https://slsa.dev/provenance/v1';
const BUILDKIT_V02 = 'https://mobyproject.org/buildkit@v1';
const BUILDKIT_V1 = 'https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md';
const GH_WORKFLOW = 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1';
const EXAMPLE = 'https://github.com/slsa-framework/example-package';

/** Reads a statement, or a bare predicate (slsactl's files), into a summary. */
function summarise(file: string): ProvenanceSummary {
  const bytes = readFileSync(join(dir, file));
  if (!file.endsWith('.predicate.json')) return readProvenance(bytes).summary;
  const predicate = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  return summarizePredicate('buildDefinition' in predicate ? V1 : V02, predicate);
}

interface Expected {
  slsaVersion: '0.2' | '1';
  statementType?: string;
  subjects: Array<[string | undefined, string]>;
  builderId: string;
  buildType: string;
  label: string;
  source?: ProvenanceSummary['source'];
  trigger?: string;
  workflow?: ProvenanceSummary['workflow'];
  invocationId?: string;
  runUrl?: string;
  startedOn?: string;
  finishedOn?: string;
  reproducible?: boolean;
  completeness?: Record<string, boolean>;
  frontend?: string;
  buildArgs?: number;
  labels?: number;
  locals?: string[];
  secrets?: string[];
  materials: number;
  gitMaterials?: number;
  unknown: string[];
  notes: string[];
}

const link = (repo: string, commit: string) => ({ repositoryUrl: repo.replace(/\.git$/, ''), commitUrl: `${repo.replace(/\.git$/, '')}/commit/${commit}` });
const bkSource = (commit: string): ProvenanceSummary['source'] => ({
  from: 'configSource',
  repository: EXAMPLE,
  commit,
  uri: `${EXAMPLE}.git#${commit}`,
  path: 'Dockerfile',
  ...link(EXAMPLE, commit),
});
const pkg = (tag: string) => `pkg:docker/ghcr.io/slsa-framework/example-package.verifier-e2e.all.tag.main.default.slsa3@${tag}?platform=linux%2Famd64`;
const BK_UNKNOWN_V02 = ['buildConfig', 'metadata.https://mobyproject.org/buildkit@v1#metadata'];

const EXPECTED: Record<string, Expected> = {
  'buildkit/docs-example.slsa-v1-mode-max.json': {
    slsaVersion: '1',
    statementType: 'https://in-toto.io/Statement/v1',
    subjects: [['pkg:docker/<registry>/<image>@<tag/digest>?platform=<platform>', 'sha256:e8275b2b76280af67e26f068e5d585eb905f8dfd2f1918b3229db98133cb4862']],
    builderId: '',
    buildType: BUILDKIT_V1,
    label: 'BuildKit',
    invocationId: '46ue2x93k3xj5l463dektwldw',
    startedOn: '2022-12-08T11:50:54.953375437Z',
    finishedOn: '2022-12-08T11:50:55.447841328Z',
    reproducible: false,
    completeness: { request: true, resolvedDependencies: false },
    frontend: 'dockerfile.v0',
    buildArgs: 0,
    labels: 0,
    locals: ['context', 'dockerfile'],
    secrets: [],
    materials: 1,
    unknown: ['runDetails.metadata.buildkit_metadata'],
    notes: ['EMPTY_BUILDER_ID', 'NO_SOURCE'],
  },
  'buildkit/docs-example.slsa-v1-mode-min.json': {
    slsaVersion: '1',
    statementType: 'https://in-toto.io/Statement/v1',
    subjects: [['pkg:docker/<registry>/<image>@<tag/digest>?platform=<platform>', 'sha256:e8275b2b76280af67e26f068e5d585eb905f8dfd2f1918b3229db98133cb4862']],
    builderId: '',
    buildType: BUILDKIT_V1,
    label: 'BuildKit',
    invocationId: 'yirbp1aosi1vqjmi3z6bc75nb',
    startedOn: '2022-12-08T11:48:59.466513707Z',
    finishedOn: '2022-12-08T11:49:01.256820297Z',
    reproducible: false,
    completeness: { request: false, resolvedDependencies: false },
    frontend: 'dockerfile.v0',
    buildArgs: 0,
    locals: ['context', 'dockerfile'],
    materials: 1,
    unknown: ['runDetails.metadata.buildkit_metadata'],
    notes: ['EMPTY_BUILDER_ID', 'NO_SOURCE'],
  },
  'buildkit/v0.2-mode-max.v1.5.0-layout.intoto.json': {
    slsaVersion: '0.2',
    statementType: 'https://in-toto.io/Statement/v0.1',
    subjects: [[pkg('main'), 'sha256:8bec22ea0ee9a93ae5077383e78ba983dac9d4bcb0847b4ef0cdcd593bae5683']],
    builderId: `${EXAMPLE}/actions/runs/4288274909`,
    buildType: BUILDKIT_V02,
    label: 'BuildKit',
    source: bkSource('63d4b1ff9c0e93006cf1768314cf1d0675a33b88'),
    runUrl: `${EXAMPLE}/actions/runs/4288274909`,
    invocationId: 'ijumbffj5sylobqqnq409qagq',
    startedOn: '2023-02-28T00:39:45.681052515Z',
    finishedOn: '2023-02-28T00:40:11.640607338Z',
    reproducible: false,
    completeness: { parameters: true, environment: true, materials: true },
    frontend: 'dockerfile.v0',
    buildArgs: 0,
    labels: 8,
    locals: [],
    secrets: ['GIT_AUTH_HEADER', 'GIT_AUTH_TOKEN'],
    materials: 3,
    gitMaterials: 1,
    unknown: BK_UNKNOWN_V02,
    notes: [],
  },
  'buildkit/v0.2-mode-max.v1.9.0-layout.intoto.json': {
    slsaVersion: '0.2',
    statementType: 'https://in-toto.io/Statement/v0.1',
    subjects: [
      [pkg('v13.0.30'), 'sha256:7606c85a2e0bc3af20a2e0de046f4c97c275ba689a60fcc0140186acf852ffd3'],
      [pkg('latest'), 'sha256:7606c85a2e0bc3af20a2e0de046f4c97c275ba689a60fcc0140186acf852ffd3'],
    ],
    builderId: `${EXAMPLE}/actions/runs/5947345653`,
    buildType: BUILDKIT_V02,
    label: 'BuildKit',
    source: bkSource('2bcaa7495e1cbd11fbd4f598d857b3a6f18df933'),
    runUrl: `${EXAMPLE}/actions/runs/5947345653`,
    invocationId: '3550cpmbxk0t70c1wdtumbsli',
    startedOn: '2023-08-23T05:20:23.062697403Z',
    finishedOn: '2023-08-23T05:20:54.03470042Z',
    reproducible: false,
    completeness: { parameters: true, environment: true, materials: true },
    frontend: 'dockerfile.v0',
    buildArgs: 0,
    labels: 8,
    secrets: ['GIT_AUTH_HEADER', 'GIT_AUTH_TOKEN'],
    materials: 3,
    gitMaterials: 1,
    unknown: BK_UNKNOWN_V02,
    notes: [],
  },
  'buildkit/v0.2-mode-min.v1.10.0-layout.intoto.json': {
    slsaVersion: '0.2',
    statementType: 'https://in-toto.io/Statement/v0.1',
    subjects: [
      [pkg('v13.0.30'), 'sha256:ae01bed04d3f41efa80182824a50345cd1430f4d1a9308eda4369122bd94c85e'],
      [pkg('latest'), 'sha256:ae01bed04d3f41efa80182824a50345cd1430f4d1a9308eda4369122bd94c85e'],
    ],
    builderId: '',
    buildType: BUILDKIT_V02,
    label: 'BuildKit',
    source: bkSource('d37a7f740ee7404914456f24dcd90e865a0509e8'),
    invocationId: 'ommxtc3qv65c8aogpjlg4dcxl',
    startedOn: '2024-03-21T10:32:59.326230397Z',
    finishedOn: '2024-03-21T10:33:18.64977976Z',
    reproducible: false,
    completeness: { parameters: false, environment: true, materials: true },
    frontend: 'dockerfile.v0',
    buildArgs: 0,
    labels: 0,
    locals: [],
    secrets: [],
    materials: 3,
    gitMaterials: 1,
    unknown: ['metadata.https://mobyproject.org/buildkit@v1#metadata'],
    notes: ['EMPTY_BUILDER_ID'],
  },
  'buildkit/v0.2-mode-min.v2.1.0-layout.intoto.json': {
    slsaVersion: '0.2',
    statementType: 'https://in-toto.io/Statement/v0.1',
    subjects: [[pkg('main'), 'sha256:d1fc0de9c6a33e502c488221644de1736c53d8ddb59b0e41b4946fb26af50e69']],
    builderId: '',
    buildType: BUILDKIT_V02,
    label: 'BuildKit',
    source: bkSource('4d329c75e7ec1725f7c9ce917a8799d408d06be3'),
    invocationId: 'i2zs9o1wwh74vxm7k1kobli75',
    startedOn: '2025-02-25T21:57:06.800879795Z',
    finishedOn: '2025-02-25T21:57:29.66049539Z',
    reproducible: false,
    completeness: { parameters: false, environment: true, materials: true },
    frontend: 'dockerfile.v0',
    materials: 3,
    gitMaterials: 1,
    unknown: ['metadata.https://mobyproject.org/buildkit@v1#metadata'],
    notes: ['EMPTY_BUILDER_ID'],
  },
  'github-artifact-attestations/reusable-workflow.whl.slsa-v1.intoto.json': {
    slsaVersion: '1',
    statementType: 'https://in-toto.io/Statement/v1',
    subjects: [['github_provenance_demo-0.0.0-py3-none-any.whl', 'sha256:49a3aa6075e0f49f82843e74b5baa614ad2a588e6675612bf108a0a008c5ac25']],
    builderId: 'https://github.com/actions/runner/github-hosted',
    buildType: GH_WORKFLOW,
    label: 'GitHub Actions workflow',
    source: {
      from: 'workflow',
      repository: 'https://github.com/malancas/attest-demo',
      ref: 'refs/heads/main',
      commit: '95baf27389e83e6a5c48f42e190d48d7abcea19e',
      uri: 'https://github.com/malancas/attest-demo',
      path: '.github/workflows/shared.yml',
      ...link('https://github.com/malancas/attest-demo', '95baf27389e83e6a5c48f42e190d48d7abcea19e'),
    },
    trigger: 'workflow_dispatch',
    workflow: {
      repository: 'https://github.com/malancas/attest-demo',
      ref: 'refs/heads/main',
      path: '.github/workflows/shared.yml',
      runnerEnvironment: 'github-hosted',
    },
    invocationId: 'https://github.com/malancas/attest-demo/actions/runs/9228858953/attempts/1',
    runUrl: 'https://github.com/malancas/attest-demo/actions/runs/9228858953/attempts/1',
    materials: 1,
    gitMaterials: 1,
    unknown: [],
    notes: [],
  },
  'npm/sigstore-2.0.0.slsa-v1.intoto.json': {
    slsaVersion: '1',
    statementType: 'https://in-toto.io/Statement/v1',
    subjects: [
      [
        'pkg:npm/sigstore@2.0.0',
        'sha512:46d4e2f74c4877316640000a6fdf8a8b59f1e0847667973e9859f774dd31b8f1e0937813b777fb66a2ac67d50540fe34640966eee9fc2ccca387082b4c85cd3c',
      ],
    ],
    builderId: 'https://github.com/actions/runner/github-hosted',
    buildType: GH_WORKFLOW,
    label: 'GitHub Actions workflow',
    source: {
      from: 'workflow',
      repository: 'https://github.com/sigstore/sigstore-js',
      ref: 'refs/heads/main',
      commit: 'f0b49a04e5a62250e0f60fb128004a73110fe311',
      uri: 'https://github.com/sigstore/sigstore-js',
      path: '.github/workflows/release.yml',
      ...link('https://github.com/sigstore/sigstore-js', 'f0b49a04e5a62250e0f60fb128004a73110fe311'),
    },
    trigger: 'push',
    workflow: {
      repository: 'https://github.com/sigstore/sigstore-js',
      ref: 'refs/heads/main',
      path: '.github/workflows/release.yml',
      runnerEnvironment: 'github-hosted',
    },
    invocationId: 'https://github.com/sigstore/sigstore-js/actions/runs/5904696764/attempts/1',
    runUrl: 'https://github.com/sigstore/sigstore-js/actions/runs/5904696764/attempts/1',
    materials: 1,
    gitMaterials: 1,
    unknown: [],
    notes: [],
  },
  'rancher-slsactl/buildkit-gha-v1.example.predicate.json': {
    slsaVersion: '1',
    subjects: [],
    builderId: 'https://github.com/rancherlabs/slsactl/tree/main/buildtypes/buildkit-gha/v1',
    buildType: BUILDKIT_V02,
    label: 'BuildKit',
    source: {
      from: 'resolvedDependencies',
      repository: 'https://github.com/rancher/cis-operator',
      ref: 'refs/tags/v1.3.0',
      commit: '1151c64ed3f84c4bb6ecb310bbe62f0b7a450aad',
      uri: 'https://github.com/rancher/cis-operator',
      ...link('https://github.com/rancher/cis-operator', '1151c64ed3f84c4bb6ecb310bbe62f0b7a450aad'),
    },
    trigger: 'push',
    invocationId: 'hxcpfkp0jwmhk8c1is2x2mi01',
    runUrl: 'https://github.com/rancher/cis-operator/actions/runs/11725698930/attempts/1',
    startedOn: '2024-11-07T15:15:01.764583687Z',
    finishedOn: '2024-11-07T15:15:02.984902536Z',
    frontend: 'dockerfile.v0',
    buildArgs: 1,
    labels: 0,
    locals: ['context', 'dockerfile'],
    secrets: [],
    materials: 4,
    gitMaterials: 1,
    unknown: [],
    notes: [],
  },
  'rancher-slsactl/security-scan.v0.2.predicate.json': {
    slsaVersion: '0.2',
    subjects: [],
    builderId: '',
    buildType: BUILDKIT_V02,
    label: 'BuildKit',
    source: {
      from: 'buildkit-vcs',
      repository: 'https://github.com/pjbgf/security-scan',
      commit: '4fd60a300d9b30291020e757c306dfa0b5419f08',
      uri: 'https://github.com/pjbgf/security-scan',
      path: 'Dockerfile',
      ...link('https://github.com/pjbgf/security-scan', '4fd60a300d9b30291020e757c306dfa0b5419f08'),
    },
    invocationId: 'ujss3xdtnmbv38uqh5wwftkpd',
    startedOn: '2024-07-11T14:49:18.126688014Z',
    finishedOn: '2024-07-11T14:51:00.499751748Z',
    reproducible: false,
    completeness: { environment: true, materials: false, parameters: true },
    frontend: 'dockerfile.v0',
    buildArgs: 10,
    labels: 0,
    locals: ['context', 'dockerfile'],
    materials: 5,
    gitMaterials: 0,
    unknown: BK_UNKNOWN_V02,
    notes: ['EMPTY_BUILDER_ID'],
  },
  'rancher-slsactl/security-scan.v1.predicate.json': {
    slsaVersion: '1',
    subjects: [],
    builderId: '',
    buildType: BUILDKIT_V02,
    label: 'BuildKit',
    invocationId: 'ujss3xdtnmbv38uqh5wwftkpd',
    startedOn: '2024-07-11T14:49:18.126688014Z',
    finishedOn: '2024-07-11T14:51:00.499751748Z',
    frontend: 'dockerfile.v0',
    buildArgs: 10,
    locals: ['context', 'dockerfile'],
    materials: 5,
    gitMaterials: 0,
    unknown: [],
    notes: ['EMPTY_BUILDER_ID', 'NO_SOURCE'],
  },
  'slsa-github-generator/container-v0.2.generator_container_slsa3-v1.4.0.intoto.json': {
    slsaVersion: '0.2',
    statementType: 'https://in-toto.io/Statement/v0.1',
    subjects: [
      [
        'ghcr.io/slsa-framework/example-package.verifier-e2e.all.tag.main.default.slsa3',
        'sha256:a74d89d8dd863ca5dae4a29e0feede81ddf59197849a80784af5a02ab7786925',
      ],
    ],
    builderId: 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v1.4.0',
    buildType: 'https://github.com/slsa-framework/slsa-github-generator/container@v1',
    label: 'slsa-github-generator (container)',
    source: {
      from: 'configSource',
      repository: EXAMPLE,
      ref: 'refs/heads/main',
      commit: '904e2c3e02725e314cf6cf141c4700081298dcbd',
      uri: `git+${EXAMPLE}@refs/heads/main`,
      path: '.github/workflows/verifier-e2e.all.workflow_dispatch.main.all.slsa3.yml',
      ...link(EXAMPLE, '904e2c3e02725e314cf6cf141c4700081298dcbd'),
    },
    trigger: 'workflow_dispatch',
    workflow: { repository: EXAMPLE, ref: 'refs/heads/main', path: '.github/workflows/verifier-e2e.all.workflow_dispatch.main.all.slsa3.yml' },
    invocationId: '3894877440-1',
    runUrl: `${EXAMPLE}/actions/runs/3894877440/attempts/1`,
    reproducible: false,
    completeness: { parameters: true, environment: false, materials: false },
    materials: 1,
    gitMaterials: 1,
    unknown: [],
    notes: [],
  },
};

function listFixtures(root: string): string[] {
  return readdirSync(root)
    .flatMap((e) => {
      const p = join(root, e);
      return statSync(p).isDirectory() ? listFixtures(p) : p.endsWith('.json') ? [relative(dir, p)] : [];
    })
    .sort();
}

describe('real SLSA provenance, normalised', () => {
  test('every fixture file has an expectation here (a new one must be added, not skipped)', () => {
    assert.deepEqual(listFixtures(dir), Object.keys(EXPECTED).sort());
  });

  for (const [file, x] of Object.entries(EXPECTED)) {
    test(file, () => {
      const s = summarise(file);
      assert.equal(s.slsaVersion, x.slsaVersion);
      assert.equal(s.predicateType, x.slsaVersion === '1' ? V1 : V02);
      assert.equal(s.statementType, x.statementType);
      assert.deepEqual(
        s.subject.map((d) => [
          d.name,
          Object.entries(d.digest)
            .map(([a, h]) => `${a}:${h}`)
            .join(),
        ]),
        x.subjects,
      );
      assert.equal(s.builder.id, x.builderId);
      assert.equal(s.buildType, x.buildType);
      assert.equal(s.knownBuildType?.label, x.label);
      assert.deepEqual(s.source, x.source);
      assert.equal(s.trigger, x.trigger);
      assert.deepEqual(s.workflow, x.workflow);
      assert.equal(s.invocationId, x.invocationId);
      assert.equal(s.runUrl, x.runUrl);
      assert.equal(s.startedOn, x.startedOn);
      assert.equal(s.finishedOn, x.finishedOn);
      assert.equal(s.reproducible, x.reproducible);
      assert.deepEqual(s.completeness, x.completeness);
      assert.equal(s.parameters.frontend, x.frontend);
      if (x.buildArgs !== undefined) assert.equal(s.parameters.buildArgs.length, x.buildArgs);
      if (x.labels !== undefined) assert.equal(s.parameters.labels.length, x.labels);
      if (x.locals !== undefined) assert.deepEqual(s.parameters.locals, x.locals);
      if (x.secrets !== undefined) assert.deepEqual(s.parameters.secrets, x.secrets);
      assert.equal(s.materials.length, x.materials);
      assert.equal(s.materialsTruncated, 0);
      assert.ok(
        s.materials.every((m) => Object.keys(m.digest).length > 0),
        'every material has a digest',
      );
      if (x.gitMaterials !== undefined) assert.equal(s.materials.filter((m) => 'sha1' in m.digest || 'gitCommit' in m.digest).length, x.gitMaterials);
      assert.deepEqual(Object.keys(s.unknown).sort(), [...x.unknown].sort());
      assert.deepEqual(
        s.notes.map((n) => n.code),
        x.notes,
      );
    });
  }

  test('BuildKit build args and labels are surfaced without their prefix, values as written', () => {
    const scan = summarise('rancher-slsactl/security-scan.v0.2.predicate.json');
    assert.deepEqual(scan.parameters.buildArgs.slice(-2), [
      { name: 'SONOBUOY_VERSION', value: 'v0.57.1' },
      { name: 'VERSION', value: 'v0.0.6' },
    ]);
    const gha = summarise('rancher-slsactl/buildkit-gha-v1.example.predicate.json');
    assert.deepEqual(gha.parameters.buildArgs, [{ name: 'VERSION', value: 'v1.3.0' }]);
    const max = summarise('buildkit/v0.2-mode-max.v1.9.0-layout.intoto.json');
    assert.deepEqual(
      max.parameters.labels.find((l) => l.name === 'org.opencontainers.image.revision'),
      { name: 'org.opencontainers.image.revision', value: '2bcaa7495e1cbd11fbd4f598d857b3a6f18df933' },
    );
    assert.deepEqual(
      max.parameters.labels.find((l) => l.name === 'org.opencontainers.image.description'),
      { name: 'org.opencontainers.image.description', value: '' },
    );
  });

  test('materials keep uri, digests and annotations as written', () => {
    const gha = summarise('rancher-slsactl/buildkit-gha-v1.example.predicate.json');
    assert.deepEqual(gha.materials[3], {
      uri: 'https://github.com/rancher/cis-operator',
      digest: { gitCommit: '1151c64ed3f84c4bb6ecb310bbe62f0b7a450aad' },
      annotations: { ref: 'refs/tags/v1.3.0' },
    });
    const min = summarise('buildkit/v0.2-mode-min.v1.10.0-layout.intoto.json');
    assert.deepEqual(min.materials[0], {
      uri: 'pkg:docker/golang@1.21?digest=sha256:c82d4ad02c062cf2b393bf0374df26638c6fed3dfe52cdbd3635d4a7befab86e&platform=linux%2Famd64',
      digest: { sha256: 'c82d4ad02c062cf2b393bf0374df26638c6fed3dfe52cdbd3635d4a7befab86e' },
    });
  });

  test("raw parameters and unknown fields are the statement's own values, not copies that could drift", () => {
    const bytes = readFileSync(join(dir, 'buildkit/v0.2-mode-max.v1.5.0-layout.intoto.json'));
    const doc = readProvenance(bytes);
    const predicate = (doc.raw as { predicate: { invocation: { parameters: unknown; environment: unknown }; buildConfig: unknown } }).predicate;
    assert.equal(doc.summary.parameters.external, predicate.invocation.parameters);
    assert.equal(doc.summary.parameters.internal, predicate.invocation.environment);
    assert.equal(doc.summary.unknown.buildConfig, predicate.buildConfig);
    assert.deepEqual(doc.raw, JSON.parse(bytes.toString('utf8')));
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CheckCode, CheckStatus } from '../../src/verify/checks';
import type { SlsaExpectations } from '../../src/verify/policy/image-policy';
import { slsaChecks } from '../../src/verify/image/slsa-checks';
import { slsaPolicyChecks } from '../../src/verify/image/slsa-policy';
import { SLSA_PROVENANCE_V02 as SLSA_V02, SLSA_PROVENANCE_V1 as SLSA_V1, readProvenance, summarizePredicate } from '../../src/provenance/summary';
import { realFixture } from '../support/real-fixtures';

/**
 * SLSA checks over real provenance (test/fixtures/real/SOURCES.md):
 * BuildKit v0.2 and v1, slsa-github-generator, GitHub artifact attestations, npm, and the
 * Rancher predicates slsactl tests with. Bundles are decoded from their DSSE envelope here.
 */

/** A statement from a statement file, a bare predicate (layout by shape), a DSSE envelope or a Sigstore bundle. */
function statement(path: string): unknown {
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const envelope = (json.dsseEnvelope ?? (typeof json.payload === 'string' ? json : undefined)) as { payload: string; payloadType: string } | undefined;
  if (envelope !== undefined) {
    assert.equal(envelope.payloadType, 'application/vnd.in-toto+json');
    return JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
  }
  if (typeof json.predicateType === 'string') return json;
  return { _type: 'https://in-toto.io/Statement/v1', predicateType: 'buildDefinition' in json ? SLSA_V1 : SLSA_V02, subject: [], predicate: json };
}

type Outcome = Partial<Record<CheckCode, CheckStatus>>;
const outcome = (s: unknown, e: SlsaExpectations): Outcome => Object.fromEntries(slsaChecks(s, e).map((c) => [c.code, c.status]));
const slsaCheck = (s: unknown, e: SlsaExpectations, code: CheckCode) => slsaChecks(s, e).find((c) => c.code === code)!;

const GENERATOR = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v1.4.0';
const EXAMPLE = 'https://github.com/slsa-framework/example-package';

interface Case {
  name: string;
  file: string;
  facts: { builderId?: string; buildType: string; repository?: string; ref?: string; commit?: string; from?: string };
  /** Expectations and the outcome per check. */
  runs: [SlsaExpectations, Outcome][];
}

const CASES: Case[] = [
  {
    name: 'slsa-github-generator container v0.2: the generator signs, the source is the caller',
    file: 'slsa-provenance/slsa-github-generator/container-v0.2.generator_container_slsa3-v1.4.0.intoto.json',
    facts: {
      builderId: GENERATOR,
      buildType: 'https://github.com/slsa-framework/slsa-github-generator/container@v1',
      repository: EXAMPLE,
      ref: 'refs/heads/main',
      commit: '904e2c3e02725e314cf6cf141c4700081298dcbd',
      from: 'configSource',
    },
    runs: [
      [
        {
          builderIds: [{ exact: GENERATOR }],
          sourceRepository: 'slsa-framework/example-package',
          sourceRef: 'refs/heads/main',
          sourceCommit: '904E2C3E02725E314CF6CF141C4700081298DCBD',
          requireKnownBuildType: true,
        },
        {
          SLSA_FORMAT: 'pass',
          SLSA_BUILDER: 'pass',
          SLSA_BUILD_TYPE: 'pass',
          SLSA_SOURCE_REPOSITORY: 'pass',
          SLSA_SOURCE_REF: 'pass',
          SLSA_SOURCE_COMMIT: 'pass',
        },
      ],
      [
        {
          builderIds: [
            {
              regexp:
                'https://github\\.com/slsa-framework/slsa-github-generator/\\.github/workflows/generator_container_slsa3\\.yml@refs/tags/v[0-9]+\\.[0-9]+\\.[0-9]+',
            },
          ],
          sourceRepository: 'git+https://github.com/slsa-framework/example-package.git',
          sourceRef: 'main',
        },
        {
          SLSA_FORMAT: 'pass',
          SLSA_BUILDER: 'pass',
          SLSA_BUILD_TYPE: 'pass',
          SLSA_SOURCE_REPOSITORY: 'pass',
          SLSA_SOURCE_REF: 'pass',
          SLSA_SOURCE_COMMIT: 'info',
        },
      ],
      [
        {
          builderIds: [{ exact: 'https://github.com/actions/runner/github-hosted' }],
          sourceRepository: `${EXAMPLE}-evil`,
          sourceRef: 'refs/tags/v1.0.0',
          sourceCommit: '0'.repeat(40),
        },
        {
          SLSA_FORMAT: 'pass',
          SLSA_BUILDER: 'fail',
          SLSA_BUILD_TYPE: 'pass',
          SLSA_SOURCE_REPOSITORY: 'fail',
          SLSA_SOURCE_REF: 'fail',
          SLSA_SOURCE_COMMIT: 'fail',
        },
      ],
      [
        { builderIds: [{ regexp: 'https://github.com/slsa-framework/slsa-github-generator/' }] },
        {
          SLSA_FORMAT: 'pass',
          SLSA_BUILDER: 'fail',
          SLSA_BUILD_TYPE: 'pass',
          SLSA_SOURCE_REPOSITORY: 'info',
          SLSA_SOURCE_REF: 'info',
          SLSA_SOURCE_COMMIT: 'info',
        },
      ],
    ],
  },
  {
    name: 'BuildKit v0.2 mode=max (docker/build-push-action): git context with a commit, no ref',
    file: 'slsa-provenance/buildkit/v0.2-mode-max.v1.9.0-layout.intoto.json',
    facts: {
      builderId: `${EXAMPLE}/actions/runs/5947345653`,
      buildType: 'https://mobyproject.org/buildkit@v1',
      repository: EXAMPLE,
      commit: '2bcaa7495e1cbd11fbd4f598d857b3a6f18df933',
      from: 'configSource',
    },
    runs: [
      [
        { sourceRepository: EXAMPLE, sourceRef: 'refs/tags/v13.0.30', sourceCommit: '2bcaa7495e1cbd11fbd4f598d857b3a6f18df933' },
        {
          SLSA_FORMAT: 'pass',
          SLSA_BUILDER: 'info',
          SLSA_BUILD_TYPE: 'pass',
          SLSA_SOURCE_REPOSITORY: 'pass',
          SLSA_SOURCE_REF: 'warn',
          SLSA_SOURCE_COMMIT: 'pass',
        },
      ],
      [
        { builderIds: [{ regexp: 'https://github\\.com/slsa-framework/example-package/actions/runs/[0-9]+' }] },
        { SLSA_FORMAT: 'pass', SLSA_BUILDER: 'pass', SLSA_BUILD_TYPE: 'pass', SLSA_SOURCE_REPOSITORY: 'info', SLSA_SOURCE_COMMIT: 'info' },
      ],
    ],
  },
  {
    name: 'BuildKit v0.2 mode=min: an empty builder id is no builder',
    file: 'slsa-provenance/buildkit/v0.2-mode-min.v1.10.0-layout.intoto.json',
    facts: { buildType: 'https://mobyproject.org/buildkit@v1', repository: EXAMPLE, commit: 'd37a7f740ee7404914456f24dcd90e865a0509e8', from: 'configSource' },
    runs: [
      [
        { builderIds: [{ regexp: '.*' }], sourceRepository: EXAMPLE },
        { SLSA_FORMAT: 'pass', SLSA_BUILDER: 'fail', SLSA_BUILD_TYPE: 'pass', SLSA_SOURCE_REPOSITORY: 'pass', SLSA_SOURCE_COMMIT: 'info' },
      ],
    ],
  },
  {
    name: 'BuildKit SLSA v1 (documentation example): the v1 build type URL, local context, no source',
    file: 'slsa-provenance/buildkit/docs-example.slsa-v1-mode-max.json',
    facts: { buildType: 'https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md' },
    runs: [
      [
        { sourceRepository: EXAMPLE, requireKnownBuildType: true },
        { SLSA_FORMAT: 'pass', SLSA_BUILDER: 'info', SLSA_BUILD_TYPE: 'pass', SLSA_SOURCE_REPOSITORY: 'warn' },
      ],
    ],
  },
  {
    name: 'GitHub artifact attestation from a reusable workflow (derived statement)',
    file: 'slsa-provenance/github-artifact-attestations/reusable-workflow.whl.slsa-v1.intoto.json',
    facts: {
      builderId: 'https://github.com/actions/runner/github-hosted',
      buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
      repository: 'https://github.com/malancas/attest-demo',
      ref: 'refs/heads/main',
      commit: '95baf27389e83e6a5c48f42e190d48d7abcea19e',
      from: 'workflow',
    },
    runs: [
      [
        {
          builderIds: [{ exact: 'https://github.com/actions/runner/github-hosted' }],
          sourceRepository: 'https://github.com/Malancas/Attest-Demo/',
          sourceRef: 'refs/heads/main',
        },
        {
          SLSA_FORMAT: 'pass',
          SLSA_BUILDER: 'pass',
          SLSA_BUILD_TYPE: 'pass',
          SLSA_SOURCE_REPOSITORY: 'pass',
          SLSA_SOURCE_REF: 'pass',
          SLSA_SOURCE_COMMIT: 'info',
        },
      ],
    ],
  },
  {
    name: "the same attestation decoded from gh's Sigstore bundle",
    file: 'sigstore-bundles/gh-cli/reusable-workflow-attestation.sigstore.json',
    facts: {
      builderId: 'https://github.com/actions/runner/github-hosted',
      buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
      repository: 'https://github.com/malancas/attest-demo',
      ref: 'refs/heads/main',
      commit: '95baf27389e83e6a5c48f42e190d48d7abcea19e',
      from: 'workflow',
    },
    runs: [
      [
        { sourceRepository: 'malancas/attest-demo', sourceRef: 'refs/tags/v1' },
        {
          SLSA_FORMAT: 'pass',
          SLSA_BUILDER: 'info',
          SLSA_BUILD_TYPE: 'pass',
          SLSA_SOURCE_REPOSITORY: 'pass',
          SLSA_SOURCE_REF: 'fail',
          SLSA_SOURCE_COMMIT: 'info',
        },
      ],
    ],
  },
  {
    name: "npm provenance for sigstore@2.0.0 (derived statement), against 2.1.0's bundle",
    file: 'slsa-provenance/npm/sigstore-2.0.0.slsa-v1.intoto.json',
    facts: {
      builderId: 'https://github.com/actions/runner/github-hosted',
      buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
      repository: 'https://github.com/sigstore/sigstore-js',
      ref: 'refs/heads/main',
      commit: 'f0b49a04e5a62250e0f60fb128004a73110fe311',
      from: 'workflow',
    },
    runs: [
      [
        { sourceRepository: 'sigstore/sigstore-js', sourceCommit: 'f0b49a04e5a62250e0f60fb128004a73110fe311' },
        {
          SLSA_FORMAT: 'pass',
          SLSA_BUILDER: 'info',
          SLSA_BUILD_TYPE: 'pass',
          SLSA_SOURCE_REPOSITORY: 'pass',
          SLSA_SOURCE_REF: 'info',
          SLSA_SOURCE_COMMIT: 'pass',
        },
      ],
    ],
  },
  {
    name: 'sigstore-js 2.1.0, decoded from its bundle: another commit',
    file: 'sigstore-bundles/gh-cli/sigstore-js-2.1.0-bundle.json',
    facts: {
      builderId: 'https://github.com/actions/runner/github-hosted',
      buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
      repository: 'https://github.com/sigstore/sigstore-js',
      ref: 'refs/heads/main',
      commit: '26d16513386ffaa790b1c32f927544f1322e4194',
      from: 'workflow',
    },
    runs: [
      [
        { sourceRepository: 'sigstore/sigstore-js', sourceCommit: 'f0b49a04e5a62250e0f60fb128004a73110fe311' },
        {
          SLSA_FORMAT: 'pass',
          SLSA_BUILDER: 'info',
          SLSA_BUILD_TYPE: 'pass',
          SLSA_SOURCE_REPOSITORY: 'pass',
          SLSA_SOURCE_REF: 'info',
          SLSA_SOURCE_COMMIT: 'fail',
        },
      ],
    ],
  },
  {
    name: 'Rancher (slsactl buildkit-gha/v1 example, cis-operator v1.3.0): ref from the dependency annotation',
    file: 'slsa-provenance/rancher-slsactl/buildkit-gha-v1.example.predicate.json',
    facts: {
      builderId: 'https://github.com/rancherlabs/slsactl/tree/main/buildtypes/buildkit-gha/v1',
      buildType: 'https://mobyproject.org/buildkit@v1',
      repository: 'https://github.com/rancher/cis-operator',
      ref: 'refs/tags/v1.3.0',
      commit: '1151c64ed3f84c4bb6ecb310bbe62f0b7a450aad',
      from: 'resolvedDependencies',
    },
    runs: [
      [
        {
          builderIds: [{ exact: 'https://github.com/rancherlabs/slsactl/tree/main/buildtypes/buildkit-gha/v1' }],
          sourceRepository: 'rancher/cis-operator',
          sourceRef: 'v1.3.0',
          sourceCommit: '1151c64ed3f84c4bb6ecb310bbe62f0b7a450aad',
        },
        {
          SLSA_FORMAT: 'pass',
          SLSA_BUILDER: 'pass',
          SLSA_BUILD_TYPE: 'pass',
          SLSA_SOURCE_REPOSITORY: 'pass',
          SLSA_SOURCE_REF: 'pass',
          SLSA_SOURCE_COMMIT: 'pass',
        },
      ],
      [
        { sourceRepository: 'rancher/fleet', sourceRef: 'refs/tags/v1.3.1' },
        {
          SLSA_FORMAT: 'pass',
          SLSA_BUILDER: 'info',
          SLSA_BUILD_TYPE: 'pass',
          SLSA_SOURCE_REPOSITORY: 'fail',
          SLSA_SOURCE_REF: 'fail',
          SLSA_SOURCE_COMMIT: 'info',
        },
      ],
    ],
  },
  {
    name: "Rancher security-scan v0.2 (BuildKit, local context): the source is only in BuildKit's vcs metadata, and it is a fork",
    file: 'slsa-provenance/rancher-slsactl/security-scan.v0.2.predicate.json',
    facts: {
      buildType: 'https://mobyproject.org/buildkit@v1',
      repository: 'https://github.com/pjbgf/security-scan',
      commit: '4fd60a300d9b30291020e757c306dfa0b5419f08',
      from: 'buildkit-vcs',
    },
    runs: [
      [
        { sourceRepository: 'rancher/security-scan', sourceRef: 'v0.0.6' },
        {
          SLSA_FORMAT: 'pass',
          SLSA_BUILDER: 'info',
          SLSA_BUILD_TYPE: 'pass',
          SLSA_SOURCE_REPOSITORY: 'fail',
          SLSA_SOURCE_REF: 'warn',
          SLSA_SOURCE_COMMIT: 'info',
        },
      ],
      [
        { sourceRepository: 'pjbgf/security-scan', sourceCommit: '4fd60a300d9b30291020e757c306dfa0b5419f08' },
        { SLSA_FORMAT: 'pass', SLSA_BUILDER: 'info', SLSA_BUILD_TYPE: 'pass', SLSA_SOURCE_REPOSITORY: 'pass', SLSA_SOURCE_COMMIT: 'pass' },
      ],
    ],
  },
  {
    name: "Rancher security-scan as SLSA v1 (slsactl's conversion): no source recorded",
    file: 'slsa-provenance/rancher-slsactl/security-scan.v1.predicate.json',
    facts: { buildType: 'https://mobyproject.org/buildkit@v1' },
    runs: [
      [
        { sourceRepository: 'rancher/security-scan', sourceCommit: '4fd60a300d9b30291020e757c306dfa0b5419f08' },
        { SLSA_FORMAT: 'pass', SLSA_BUILDER: 'info', SLSA_BUILD_TYPE: 'pass', SLSA_SOURCE_REPOSITORY: 'warn', SLSA_SOURCE_COMMIT: 'warn' },
      ],
    ],
  },
];

describe('SLSA checks over real provenance', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const s = statement(realFixture(c.file)) as { predicateType: string; predicate: unknown };
      // What the checks read is the summary a person is shown (the panel, `provenance-lens provenance`).
      const shown = summarizePredicate(s.predicateType, s.predicate);
      assert.deepEqual(
        {
          builderId: shown.builder.id || undefined,
          buildType: shown.buildType,
          repository: shown.source?.repository,
          ref: shown.source?.ref,
          commit: shown.source?.commit,
          from: shown.source?.from,
        },
        { builderId: undefined, repository: undefined, ref: undefined, commit: undefined, from: undefined, ...c.facts },
      );
      for (const [expected, want] of c.runs) assert.deepEqual(outcome(s, expected), want, JSON.stringify(expected));
    });
  }

  test('messages name what was found, where, and what was expected', () => {
    const s = statement(realFixture('slsa-provenance', 'rancher-slsactl', 'security-scan.v0.2.predicate.json'));
    const repo = slsaChecks(s, { sourceRepository: 'rancher/security-scan' }).find((c) => c.code === 'SLSA_SOURCE_REPOSITORY')!;
    assert.equal(
      repo.message,
      'The source repository is https://github.com/pjbgf/security-scan (from buildkit-vcs); expected https://github.com/rancher/security-scan.',
    );
    assert.equal(repo.evidence?.predicateType, SLSA_V02);
  });

  test('the npm CLI build types are known, by the table the provenance summary labels them with', () => {
    const file = realFixture('sigstore-bundles', 'sigstore-go', 'examples', 'bundle-provenance.json');
    const buildType = slsaCheck(statement(file), { requireKnownBuildType: true }, 'SLSA_BUILD_TYPE');
    const label = readProvenance(readFileSync(file)).summary.knownBuildType?.label;
    assert.equal(label, 'npm CLI on GitHub Actions');
    assert.deepEqual([buildType.status, buildType.message], ['pass', `The build type is ${label} (https://github.com/npm/cli/gha/v2).`]);
  });

  test('an unknown build type warns, or fails when the policy requires a known one', () => {
    const s = statement(realFixture('slsa-provenance', 'npm', 'sigstore-2.0.0.slsa-v1.intoto.json')) as {
      predicate: { buildDefinition: { buildType: string } };
    };
    s.predicate.buildDefinition.buildType = 'https://example.com/my-builder/v1';
    assert.equal(outcome(s, {}).SLSA_BUILD_TYPE, 'warn');
    assert.equal(outcome(s, { requireKnownBuildType: true }).SLSA_BUILD_TYPE, 'fail');
  });
});

describe('SLSA checks: statements that are not SLSA provenance', () => {
  test('another predicate type, a missing predicate, a non-object', () => {
    assert.deepEqual(
      slsaChecks({ predicateType: 'https://spdx.dev/Document', predicate: {} }).map((c) => [c.code, c.status]),
      [['SLSA_FORMAT', 'fail']],
    );
    assert.deepEqual(
      slsaChecks({ predicateType: SLSA_V1 }).map((c) => c.code),
      ['SLSA_FORMAT'],
    );
    assert.deepEqual(
      slsaChecks('x').map((c) => c.status),
      ['fail'],
    );
  });
  test('fields of the wrong type are a format failure and count as absent', () => {
    const checks = slsaChecks({ predicateType: SLSA_V02, predicate: { builder: { id: 42 }, buildType: ['x'] } }, { builderIds: [{ regexp: '.*' }] });
    assert.deepEqual(
      checks.map((c) => [c.code, c.status]),
      [
        ['SLSA_FORMAT', 'fail'],
        ['SLSA_BUILDER', 'fail'],
        ['SLSA_BUILD_TYPE', 'warn'],
      ],
    );
    assert.equal(checks[0]!.message, 'The provenance is malformed: builder.id is a number, not a string; buildType is a list, not a string.');
  });
  test('Google Cloud Build v0.2 recipes are known by prefix', () => {
    assert.equal(
      outcome({ predicateType: SLSA_V02, predicate: { buildType: 'https://cloudbuild.googleapis.com/CloudBuildYaml@v0.1' } }, {}).SLSA_BUILD_TYPE,
      'pass',
    );
    assert.equal(
      outcome({ predicateType: SLSA_V1, predicate: { buildDefinition: { buildType: 'https://cloud.google.com/build/gcb-buildtypes/google-worker/v1' } } }, {})
        .SLSA_BUILD_TYPE,
      'pass',
    );
  });
});

describe('the checks read the summary a person is shown', () => {
  const gcb = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [],
    predicateType: SLSA_V1,
    predicate: {
      buildDefinition: {
        buildType: 'https://cloud.google.com/build/gcb-buildtypes/google-worker/v1',
        externalParameters: { buildConfigSource: { ref: 'refs/heads/main', repository: 'https://github.com/org/app', path: 'cloudbuild.yaml' } },
      },
      runDetails: { builder: { id: 'https://cloudbuild.googleapis.com/GoogleHostedWorker' } },
    },
  };

  test('Google Cloud Build v1 names its source only in buildConfigSource: the policy checks the source shown', () => {
    const shown = summarizePredicate(gcb.predicateType, gcb.predicate).source;
    assert.deepEqual([shown?.repository, shown?.ref, shown?.from], ['https://github.com/org/app', 'refs/heads/main', 'buildConfigSource']);
    assert.deepEqual(outcome(gcb, { sourceRepository: 'org/app', sourceRef: 'main' }), {
      SLSA_FORMAT: 'pass',
      SLSA_BUILDER: 'info',
      SLSA_BUILD_TYPE: 'pass',
      SLSA_SOURCE_REPOSITORY: 'pass',
      SLSA_SOURCE_REF: 'pass',
    });
  });

  test('a v1.x predicate type is SLSA v1 to the policy, as it is to the summary', () => {
    const v11 = { ...gcb, predicateType: 'https://slsa.dev/provenance/v1.1' };
    const { checks, required } = slsaPolicyChecks(Buffer.from(JSON.stringify(v11)), v11.predicateType, { sourceRepository: 'org/evil' });
    assert.deepEqual(required, ['SLSA_FORMAT', 'SLSA_SOURCE_REPOSITORY']);
    assert.deepEqual(
      checks.filter((c) => (required as string[]).includes(c.code)).map((c) => [c.code, c.status]),
      [
        ['SLSA_FORMAT', 'pass'],
        ['SLSA_SOURCE_REPOSITORY', 'fail'],
      ],
    );
  });
});

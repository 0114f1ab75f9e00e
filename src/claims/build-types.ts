/**
 * Build types we recognise (SLSA `buildType`: "a URI indicating what type of build was
 * performed", https://slsa.dev/spec/v1.0/provenance#buildType). Each names where the source,
 * trigger and parameters live, which the provenance summaries (src/provenance) follow. An unknown
 * build type is still summarised from the generic fields; it just gets no label, and the
 * verifier's SLSA_BUILD_TYPE check reads the same table.
 */
export type BuildTypeFamily = 'buildkit' | 'slsa-github-generator' | 'github-actions' | 'npm' | 'google-cloud-build';

export interface KnownBuildType {
  /** Stable id, e.g. `buildkit`, `slsa-github-generator-container`. */
  id: string;
  /** For people: "BuildKit", "GitHub Actions workflow". */
  label: string;
  family: BuildTypeFamily;
  /** Where the definition is published. */
  spec: string;
}

const BUILDKIT_DOC = 'https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md';
const GENERATOR = 'https://github.com/slsa-framework/slsa-github-generator';
const GITHUB_WORKFLOW_SPEC = 'https://actions.github.io/buildtypes/workflow/v1';
const NPM_SPEC = 'https://docs.npmjs.com/generating-provenance-statements';

const EXACT: ReadonlyMap<string, KnownBuildType> = new Map([
  // BuildKit writes the first with SLSA v0.2, the second with v1 (BuildKit >= 0.11 docs, default since v0.28).
  ['https://mobyproject.org/buildkit@v1', { id: 'buildkit', label: 'BuildKit', family: 'buildkit', spec: BUILDKIT_DOC }],
  [BUILDKIT_DOC, { id: 'buildkit', label: 'BuildKit', family: 'buildkit', spec: BUILDKIT_DOC }],
  // slsa-github-generator: the signer is the generator's reusable workflow, not the caller's
  // (GENERATOR's README).
  [
    `${GENERATOR}/container@v1`,
    { id: 'slsa-github-generator-container', label: 'slsa-github-generator (container)', family: 'slsa-github-generator', spec: GENERATOR },
  ],
  [
    `${GENERATOR}/generic@v1`,
    { id: 'slsa-github-generator-generic', label: 'slsa-github-generator (generic)', family: 'slsa-github-generator', spec: GENERATOR },
  ],
  [`${GENERATOR}/go@v1`, { id: 'slsa-github-generator-go', label: 'slsa-github-generator (Go)', family: 'slsa-github-generator', spec: GENERATOR }],
  [
    `${GENERATOR}/delegator-generic@v0`,
    { id: 'slsa-github-generator-delegator', label: 'slsa-github-generator (delegated builder)', family: 'slsa-github-generator', spec: GENERATOR },
  ],
  // GitHub Actions workflow build type; the slsa-framework URL is the older home of the same
  // definition, still written by GitHub artifact attestations and the npm CLI (fixtures).
  [
    'https://actions.github.io/buildtypes/workflow/v1',
    { id: 'github-actions-workflow', label: 'GitHub Actions workflow', family: 'github-actions', spec: GITHUB_WORKFLOW_SPEC },
  ],
  [
    'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
    { id: 'github-actions-workflow', label: 'GitHub Actions workflow', family: 'github-actions', spec: GITHUB_WORKFLOW_SPEC },
  ],
  // npm CLI provenance with SLSA v0.2 (npm 9.5+ before it moved to the GitHub workflow type for v1).
  ['https://github.com/npm/cli/gha@v1', { id: 'npm-github-actions', label: 'npm CLI on GitHub Actions', family: 'npm', spec: NPM_SPEC }],
  ['https://github.com/npm/cli/gha/v2', { id: 'npm-github-actions', label: 'npm CLI on GitHub Actions', family: 'npm', spec: NPM_SPEC }],
  ['https://github.com/npm/cli/gitlab/v0alpha1', { id: 'npm-gitlab', label: 'npm CLI on GitLab CI/CD', family: 'npm', spec: NPM_SPEC }],
  // Google Cloud Build, SLSA v1 (https://cloud.google.com/build/gcb-buildtypes/google-worker/v1).
  [
    'https://cloud.google.com/build/gcb-buildtypes/google-worker/v1',
    {
      id: 'google-cloud-build',
      label: 'Google Cloud Build',
      family: 'google-cloud-build',
      spec: 'https://cloud.google.com/build/gcb-buildtypes/google-worker/v1',
    },
  ],
]);

/** Google Cloud Build's SLSA v0.2 recipes carry a version suffix that changes (`@v0.1`, `@v1`): slsa-verifier matches the prefix too. */
const PREFIXES: ReadonlyArray<readonly [string, KnownBuildType]> = [
  [
    'https://cloudbuild.googleapis.com/CloudBuildYaml@',
    {
      id: 'google-cloud-build',
      label: 'Google Cloud Build',
      family: 'google-cloud-build',
      spec: 'https://cloud.google.com/build/docs/securing-builds/generate-validate-build-provenance',
    },
  ],
  [
    'https://cloudbuild.googleapis.com/CloudBuildSteps@',
    {
      id: 'google-cloud-build',
      label: 'Google Cloud Build',
      family: 'google-cloud-build',
      spec: 'https://cloud.google.com/build/docs/securing-builds/generate-validate-build-provenance',
    },
  ],
];

export function knownBuildType(buildType: string | undefined): KnownBuildType | undefined {
  if (buildType === undefined) return undefined;
  const exact = EXACT.get(buildType);
  if (exact) return { ...exact };
  const prefixed = PREFIXES.find(([p]) => buildType.startsWith(p));
  return prefixed ? { ...prefixed[1] } : undefined;
}

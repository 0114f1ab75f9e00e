/**
 * The one view model for SLSA provenance v0.2 (https://slsa.dev/spec/v0.2/provenance) and v1
 * (https://slsa.dev/spec/v1.0/provenance): what the CLI prints, what the webview renders, what
 * the policy checks read. Every value that came from the statement is the string (or raw JSON)
 * that was written there, never reformatted; the UI renders it as text. Documented for JSON
 * consumers in docs/provenance-json.md; fields are added, never renamed.
 */
import type { KnownBuildType } from '../claims/build-types';

export type SlsaVersion = '0.2' | '1';

export interface Subject {
  name?: string;
  uri?: string;
  /** Algorithm -> hex, as written (`sha256`, `sha512`, `gitCommit`, ...). */
  digest: Record<string, string>;
}

/** A v0.2 material or v1 resolved dependency (in-toto ResourceDescriptor). */
export interface Material {
  uri?: string;
  name?: string;
  digest: Record<string, string>;
  /** v1 annotations, raw (e.g. `{ "ref": "refs/tags/v1.3.0" }`). */
  annotations?: unknown;
}

/** Where the source repository was read from, strongest first in `source.ts`. */
export type SourceOrigin =
  | 'configSource' // v0.2 invocation.configSource / BuildKit v1 externalParameters.configSource
  | 'workflow' // v1 externalParameters.workflow (GitHub Actions build types)
  | 'buildConfigSource' // Google Cloud Build v1
  | 'buildkit-vcs' // BuildKit metadata `vcs` (buildx's git info of the local context)
  | 'build-args' // BuildKit frontend attributes `vcs:source` / `vcs:revision`
  | 'image-labels' // `label:org.opencontainers.image.source` / `.revision`: claims of the build, weakest
  | 'resolvedDependencies' // a v1 dependency with a git commit digest
  | 'materials'; // a v0.2 material with a git commit digest

export interface SourceSummary {
  /** Repository, normalised as the policy compares it (src/claims/git-uri.ts): `https://<host>/<path>`, without `git+`, credentials, `.git`, `@ref` or `#fragment`. */
  repository?: string;
  ref?: string;
  commit?: string;
  /** The URI the repository was read from, as written. */
  uri?: string;
  /** Build configuration inside the repository: Dockerfile, workflow file, cloudbuild.yaml. */
  path?: string;
  from: SourceOrigin;
  /** https links for the UI, only when they can be derived (https repositories; commit links for GitHub and GitLab). */
  repositoryUrl?: string;
  commitUrl?: string;
}

export interface NameValue<T = string> {
  name: string;
  value: T;
}

export interface ParametersSummary {
  /** v0.2 `invocation.parameters`, v1 `buildDefinition.externalParameters`: raw. */
  external?: unknown;
  /** v0.2 `invocation.environment`, v1 `buildDefinition.internalParameters`: raw. */
  internal?: unknown;
  /** BuildKit frontend, e.g. `dockerfile.v0`. */
  frontend?: string;
  /** BuildKit `build-arg:NAME` attributes, the prefix removed. */
  buildArgs: NameValue[];
  /** BuildKit `label:NAME` attributes, the prefix removed. */
  labels: NameValue[];
  /** Other BuildKit frontend attributes (`target`, `filename`, `vcs:source`, ...), as written. */
  otherArgs: NameValue[];
  /** BuildKit local sources by name (`context`, `dockerfile`). */
  locals: string[];
  /** BuildKit secret ids (values are never in provenance). */
  secrets: string[];
  /** GitHub `workflow_dispatch` / reusable workflow inputs; values raw. */
  inputs: Array<NameValue<unknown>>;
  /** The build's entry point: v0.2 `configSource.entryPoint` (Dockerfile, workflow file), BuildKit v1 `configSource.path`. */
  entryPoint?: string;
  /** Entries left out of buildArgs+labels+otherArgs+inputs past the limit. */
  truncated: number;
}

export interface WorkflowSummary {
  repository?: string;
  ref?: string;
  path?: string;
  /**
   * GitHub Actions build type: where the job ran, `github-hosted` or `self-hosted`, from
   * `internalParameters.github.runner_environment`, else the builder id
   * (`https://github.com/actions/runner/github-hosted`, https://actions.github.io/buildtypes/workflow/v1).
   */
  runnerEnvironment?: string;
}

/** Something the reader of the summary should know: a field ignored, a list cut, a value missing. */
export interface ProvenanceNote {
  code: 'EMPTY_BUILDER_ID' | 'NO_SOURCE' | 'WRONG_TYPE' | 'TOO_LONG' | 'TRUNCATED' | 'BAD_TIME' | 'NO_SUBJECT';
  /** JSON path in the predicate, e.g. `runDetails.builder.id`. */
  field: string;
  message: string;
}

export interface ProvenanceSummary {
  /** The statement's `_type`; absent when a bare predicate was summarised. */
  statementType?: string | undefined;
  predicateType: string;
  slsaVersion: SlsaVersion;
  subject: Subject[];
  /** Subjects past `maxListEntries`, not listed. */
  subjectTruncated: number;
  builder: { id?: string; version?: Record<string, string> };
  buildType?: string | undefined;
  /** Set when `buildType` is one we know (label for the UI, family for per-type logic). */
  knownBuildType?: KnownBuildType | undefined;
  source?: SourceSummary | undefined;
  /** What started the build: GitHub event name (`push`, `workflow_dispatch`, ...). */
  trigger?: string | undefined;
  /** GitHub Actions: the workflow that ran (for slsa-github-generator: the caller's workflow). */
  workflow?: WorkflowSummary | undefined;
  invocationId?: string | undefined;
  /** https link to the CI run, when derivable. */
  runUrl?: string | undefined;
  parameters: ParametersSummary;
  materials: Material[];
  materialsTruncated: number;
  startedOn?: string | undefined;
  finishedOn?: string | undefined;
  reproducible?: boolean | undefined;
  hermetic?: boolean | undefined;
  /** v0.2 `metadata.completeness`, BuildKit v1 `buildkit_completeness`: claim -> complete. */
  completeness?: Record<string, boolean> | undefined;
  /** Fields this model does not read, by JSON path under the predicate, raw (nothing is dropped). */
  unknown: Record<string, unknown>;
  notes: ProvenanceNote[];
}

import { knownBuildType } from '../claims/build-types';
import { buildkitParameters, buildkitVcs, sourceFromArgs } from './buildkit';
import type { PredicateSummary } from './common';
import { assemble, booleans, emptyParameters, keepUnknown } from './common';
import { githubContextV02, isRunUrl, runUrl } from './github';
import type { FieldReader } from './reader';
import type { SourceCandidate } from './source';
import { fromMaterials, fromUri, pickSource, vcsCandidate } from './source';
import type { ParametersSummary, WorkflowSummary } from './types';
import type { JsonObject } from '../claims/values';
import { own } from '../claims/values';

/** BuildKit's vendor extension of v0.2 metadata (vcs, source map, layers). */
export const BUILDKIT_V02_METADATA = 'https://mobyproject.org/buildkit@v1#metadata';

/**
 * SLSA provenance v0.2 (https://slsa.dev/spec/v0.2/provenance): `builder`, `buildType`,
 * `invocation{configSource, parameters, environment}`, `buildConfig`, `metadata`, `materials`.
 * BuildKit and slsa-github-generator write `metadata.buildInvocationID` where the spec says
 * `buildInvocationId`; both are read.
 */
export function summarizeV02(p: JsonObject, r: FieldReader): PredicateSummary {
  const builderId = r.string(own(own(p, 'builder'), 'id'), 'builder.id');
  const buildType = r.string(own(p, 'buildType'), 'buildType');
  const known = knownBuildType(buildType);
  const invocation = r.object(own(p, 'invocation'), 'invocation');
  const configSource = r.object(own(invocation, 'configSource'), 'invocation.configSource');
  const metadata = r.object(own(p, 'metadata'), 'metadata');
  const materials = r.materials(own(p, 'materials'), 'materials');
  const entryPoint = r.string(own(configSource, 'entryPoint'), 'invocation.configSource.entryPoint') || undefined;
  const family = known?.family;

  // Parameters: raw always; BuildKit's request and GitHub inputs surfaced.
  let parameters: ParametersSummary = emptyParameters(own(invocation, 'parameters'), own(invocation, 'environment'));
  if (entryPoint !== undefined) parameters.entryPoint = entryPoint;
  if (family === 'buildkit') parameters = { ...parameters, ...buildkitParameters(own(invocation, 'parameters'), r, 'invocation.parameters') };
  const github =
    family === 'slsa-github-generator' || family === 'npm' || hasGithubEnv(own(invocation, 'environment'))
      ? githubContextV02(own(invocation, 'environment'), r)
      : undefined;
  if (github) parameters.inputs = github.inputs;

  // Source: what the builder checked out, then BuildKit's git info, then the caller's claims.
  const candidates: Array<SourceCandidate | undefined> = [
    fromUri(
      'configSource',
      r.string(own(configSource, 'uri'), 'invocation.configSource.uri'),
      r.digests(own(configSource, 'digest'), 'invocation.configSource.digest'),
      entryPoint,
    ),
  ];
  if (family === 'buildkit') {
    const vcs = buildkitVcs(own(metadata, BUILDKIT_V02_METADATA), r, `metadata.${BUILDKIT_V02_METADATA}`);
    candidates.push(vcsCandidate('buildkit-vcs', vcs.source, vcs.revision));
    const args = sourceFromArgs(parameters);
    if (args) candidates.push(vcsCandidate(args.from, args.source, args.revision));
  }
  candidates.push(fromMaterials('materials', materials.items));
  const source = pickSource(candidates, materials.items, entryPoint);

  let workflow: WorkflowSummary | undefined;
  let run: string | undefined;
  if (github) {
    workflow = {};
    if (source?.repository) workflow.repository = source.repository;
    const ref = github.ref ?? source?.ref;
    if (ref) workflow.ref = ref;
    if (entryPoint) workflow.path = entryPoint;
    run = runUrl(source?.repositoryUrl ?? (github.repository ? `https://github.com/${github.repository}` : undefined), github.runId, github.runAttempt);
  }
  // buildx in GitHub Actions sets BuildKit's builder id to the run's URL.
  if (!run && isRunUrl(builderId)) run = builderId;

  const unknown: Record<string, unknown> = {};
  keepUnknown(unknown, p, ['builder', 'buildType', 'invocation', 'metadata', 'materials'], '');
  keepUnknown(unknown, own(p, 'builder'), ['id'], 'builder');
  keepUnknown(unknown, invocation, ['configSource', 'parameters', 'environment'], 'invocation');
  keepUnknown(unknown, configSource, ['uri', 'digest', 'entryPoint'], 'invocation.configSource');
  keepUnknown(unknown, metadata, ['buildInvocationId', 'buildInvocationID', 'buildStartedOn', 'buildFinishedOn', 'completeness', 'reproducible'], 'metadata');

  const invocationKey = own(metadata, 'buildInvocationId') !== undefined ? 'buildInvocationId' : 'buildInvocationID';
  return assemble({
    builderId,
    buildType,
    known,
    parameters,
    materials,
    unknown,
    optional: {
      source,
      trigger: github?.trigger,
      workflow,
      runUrl: run,
      invocationId: r.string(own(metadata, invocationKey), `metadata.${invocationKey}`),
      startedOn: r.time(own(metadata, 'buildStartedOn'), 'metadata.buildStartedOn'),
      finishedOn: r.time(own(metadata, 'buildFinishedOn'), 'metadata.buildFinishedOn'),
      reproducible: r.bool(own(metadata, 'reproducible'), 'metadata.reproducible'),
      completeness: booleans(own(metadata, 'completeness'), r, 'metadata.completeness'),
    },
  });
}

function hasGithubEnv(env: unknown): boolean {
  return own(env, 'github_event_name') !== undefined || own(env, 'GITHUB_EVENT_NAME') !== undefined;
}

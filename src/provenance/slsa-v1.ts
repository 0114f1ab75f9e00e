import { knownBuildType } from '../claims/build-types';
import { buildkitParameters, buildkitVcs, sourceFromArgs } from './buildkit';
import type { PredicateSummary } from './common';
import { assemble, booleans, emptyParameters, keepUnknown, toRecord } from './common';
import { isCommitHash } from '../claims/git-uri';
import { inputs, isRunUrl } from './github';
import type { FieldReader } from './reader';
import type { SourceCandidate } from './source';
import { fromMaterials, fromUri, pickSource, vcsCandidate } from './source';
import type { ParametersSummary, WorkflowSummary } from './types';
import type { JsonObject } from '../claims/values';
import { at, isObject, own } from '../claims/values';

/**
 * SLSA provenance v1 (https://slsa.dev/spec/v1.0/provenance):
 * `buildDefinition{buildType, externalParameters, internalParameters, resolvedDependencies}`,
 * `runDetails{builder{id, version, builderDependencies}, metadata{invocationId, startedOn,
 * finishedOn}, byproducts}`. Where the source lives depends on the build type:
 * `externalParameters.workflow` (GitHub Actions), `.buildConfigSource` (Cloud Build),
 * `.configSource` / metadata `vcs` (BuildKit), else a git dependency.
 */
export function summarizeV1(p: JsonObject, r: FieldReader): PredicateSummary {
  const def = r.object(own(p, 'buildDefinition'), 'buildDefinition');
  const run = r.object(own(p, 'runDetails'), 'runDetails');
  const builder = r.object(own(run, 'builder'), 'runDetails.builder');
  const metadata = r.object(own(run, 'metadata'), 'runDetails.metadata');
  const buildType = r.string(own(def, 'buildType'), 'buildDefinition.buildType');
  const known = knownBuildType(buildType);
  const external = own(def, 'externalParameters');
  const internal = own(def, 'internalParameters');
  const materials = r.materials(own(def, 'resolvedDependencies'), 'buildDefinition.resolvedDependencies');

  let parameters: ParametersSummary = emptyParameters(external, internal);
  const candidates: Array<SourceCandidate | undefined> = [];
  let path: string | undefined;

  // GitHub Actions workflow build type (and any builder that records a workflow the same way).
  const wf = r.object(own(external, 'workflow'), 'buildDefinition.externalParameters.workflow');
  let workflow: WorkflowSummary | undefined;
  if (wf) {
    workflow = {};
    const repository = r.string(own(wf, 'repository'), 'buildDefinition.externalParameters.workflow.repository');
    const ref = r.string(own(wf, 'ref'), 'buildDefinition.externalParameters.workflow.ref');
    const wfPath = r.string(own(wf, 'path'), 'buildDefinition.externalParameters.workflow.path');
    if (repository) workflow.repository = repository;
    if (ref) workflow.ref = ref;
    if (wfPath) workflow.path = path = wfPath;
    if (repository) candidates.push({ ...fromUri('workflow', repository)!, ...(ref ? { ref } : {}) });
  }
  parameters.inputs = inputs(own(external, 'inputs'), r, 'buildDefinition.externalParameters.inputs');

  // Google Cloud Build (https://cloud.google.com/build/gcb-buildtypes/google-worker/v1).
  const gcb = r.object(own(external, 'buildConfigSource'), 'buildDefinition.externalParameters.buildConfigSource');
  if (gcb) {
    const repository = r.string(own(gcb, 'repository'), 'buildDefinition.externalParameters.buildConfigSource.repository');
    const ref = r.string(own(gcb, 'ref'), 'buildDefinition.externalParameters.buildConfigSource.ref');
    path ??= r.string(own(gcb, 'path'), 'buildDefinition.externalParameters.buildConfigSource.path') || undefined;
    if (repository) {
      const c = fromUri('buildConfigSource', repository)!;
      if (isCommitHash(ref)) c.commit = ref;
      else if (ref) c.ref = ref;
      candidates.push(c);
    }
  }

  // BuildKit: the request under `request` (BuildKit's own layout) or at the top (as slsactl writes it).
  let reproducible: boolean | undefined;
  let hermetic: boolean | undefined;
  let completeness: Record<string, boolean> | undefined;
  if (known?.family === 'buildkit') {
    const request = isObject(own(external, 'request')) ? own(external, 'request') : external;
    const requestField = request === external ? 'buildDefinition.externalParameters' : 'buildDefinition.externalParameters.request';
    parameters = { ...parameters, ...buildkitParameters(request, r, requestField) };
    const config = r.object(own(external, 'configSource'), 'buildDefinition.externalParameters.configSource');
    const configPath = r.string(own(config, 'path'), 'buildDefinition.externalParameters.configSource.path') || undefined;
    if (configPath) parameters.entryPoint = path ??= configPath;
    candidates.push(
      fromUri(
        'configSource',
        r.string(own(config, 'uri'), 'buildDefinition.externalParameters.configSource.uri'),
        r.digests(own(config, 'digest'), 'buildDefinition.externalParameters.configSource.digest'),
        configPath,
      ),
    );
    const vcs = buildkitVcs(own(metadata, 'buildkit_metadata'), r, 'runDetails.metadata.buildkit_metadata');
    candidates.push(vcsCandidate('buildkit-vcs', vcs.source, vcs.revision));
    const args = sourceFromArgs(parameters);
    if (args) candidates.push(vcsCandidate(args.from, args.source, args.revision));
    reproducible = r.bool(own(metadata, 'buildkit_reproducible'), 'runDetails.metadata.buildkit_reproducible');
    hermetic = r.bool(own(metadata, 'buildkit_hermetic'), 'runDetails.metadata.buildkit_hermetic');
    completeness = booleans(own(metadata, 'buildkit_completeness'), r, 'runDetails.metadata.buildkit_completeness');
  }
  candidates.push(fromMaterials('resolvedDependencies', materials.items));
  const source = pickSource(candidates, materials.items, path);

  // The spec says `invocationId`; slsactl's BuildKit predicates write `invocationID`.
  const invocationKey = own(metadata, 'invocationId') !== undefined ? 'invocationId' : 'invocationID';
  const invocationId = r.string(own(metadata, invocationKey), `runDetails.metadata.${invocationKey}`);
  const builderId = r.string(own(builder, 'id'), 'runDetails.builder.id');
  const invocationUri = r.string(own(internal, 'invocationUri'), 'buildDefinition.internalParameters.invocationUri');
  const runUrl = [invocationId, invocationUri, builderId].find(isRunUrl);
  if (workflow !== undefined) {
    const runner =
      r.string(at(internal, 'github', 'runner_environment'), 'buildDefinition.internalParameters.github.runner_environment') ||
      /^https:\/\/github\.com\/actions\/runner\/([a-z-]+)$/.exec(builderId ?? '')?.[1];
    if (runner) workflow.runnerEnvironment = runner;
  }
  const trigger =
    r.string(at(internal, 'github', 'event_name'), 'buildDefinition.internalParameters.github.event_name') ??
    r.string(own(internal, 'trigger'), 'buildDefinition.internalParameters.trigger');

  const unknown: Record<string, unknown> = {};
  keepUnknown(unknown, p, ['buildDefinition', 'runDetails'], '');
  keepUnknown(unknown, def, ['buildType', 'externalParameters', 'internalParameters', 'resolvedDependencies'], 'buildDefinition');
  keepUnknown(unknown, run, ['builder', 'metadata'], 'runDetails');
  keepUnknown(unknown, builder, ['id', 'version'], 'runDetails.builder');
  const knownMetadata = ['invocationId', 'invocationID', 'startedOn', 'finishedOn'];
  if (known?.family === 'buildkit') knownMetadata.push('buildkit_reproducible', 'buildkit_hermetic', 'buildkit_completeness');
  keepUnknown(unknown, metadata, knownMetadata, 'runDetails.metadata');

  return assemble({
    builderId,
    builderVersion: toRecord(r.stringEntries(own(builder, 'version'), 'runDetails.builder.version')),
    buildType,
    known,
    parameters,
    materials,
    unknown,
    optional: {
      source,
      trigger: trigger || undefined,
      workflow,
      invocationId,
      runUrl,
      startedOn: r.time(own(metadata, 'startedOn'), 'runDetails.metadata.startedOn'),
      finishedOn: r.time(own(metadata, 'finishedOn'), 'runDetails.metadata.finishedOn'),
      reproducible,
      hermetic,
      completeness,
    },
  });
}

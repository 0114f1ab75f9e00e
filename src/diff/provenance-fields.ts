import { looksLikeGit, parseGitUri } from '../claims/git-uri';
import type { Material, ProvenanceSummary } from '../provenance/types';
import { qualifierOf, withoutQualifier } from './purl';

/**
 * The fields of a provenance summary two releases are compared on, by dotted name: what built the
 * image (builder, build type, frontend), from what (source repository, ref, commit, config path;
 * the GitHub workflow and its inputs), with what (build args and other frontend attributes,
 * labels) and on what (materials: base images, git checkouts). What changes with every run by
 * design (run and invocation ids, start and finish times, the `created` label, subjects) is left out: a difference
 * there says nothing about the release.
 */
/** The build time, as a label (https://github.com/opencontainers/image-spec/blob/main/annotations.md): new with every build. */
const CREATED_LABEL = 'org.opencontainers.image.created';

export function provenanceFields(s: ProvenanceSummary): Map<string, string> {
  const out = new Map<string, string>();
  const put = (field: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') out.set(field, value);
  };
  put('builder.id', s.builder.id);
  for (const [k, v] of Object.entries(s.builder.version ?? {})) put(`builder.version.${k}`, v);
  put('buildType', s.buildType);
  put('source.repository', s.source?.repository);
  put('source.ref', s.source?.ref);
  put('source.commit', s.source?.commit);
  put('source.path', s.source?.path);
  put('workflow.repository', s.workflow?.repository);
  put('workflow.path', s.workflow?.path);
  put('workflow.ref', s.workflow?.ref);
  put('trigger', s.trigger);
  const p = s.parameters;
  put('frontend', p.frontend);
  for (const a of p.buildArgs) put(`buildArgs.${a.name}`, a.value);
  for (const a of p.labels) if (a.name !== CREATED_LABEL) put(`labels.${a.name}`, a.value);
  for (const a of p.otherArgs) put(`args.${a.name}`, a.value);
  for (const a of p.inputs) put(`inputs.${a.name}`, typeof a.value === 'string' ? a.value : JSON.stringify(a.value));
  for (const m of s.materials) {
    const { key, value } = materialEntry(m);
    if (key !== undefined) put(`materials.${key}`, value);
  }
  return out;
}

/**
 * A material under a name that stays the same when only its content changes, so a new base image
 * reads as one change (`materials.pkg:docker/golang@1.20?platform=linux%2Famd64`: old digest, new
 * digest) rather than one material removed and another added. BuildKit names images by package
 * URL with the digest as a qualifier (https://github.com/package-url/purl-spec), and git
 * checkouts by URL with the commit as fragment; both are taken out of the name into the value.
 */
function materialEntry(m: Material): { key?: string; value: string } {
  const digests = Object.entries(m.digest)
    .map(([alg, hex]) => `${alg}:${hex}`)
    .sort()
    .join(', ');
  const uri = m.uri ?? m.name;
  if (uri === undefined) return { value: digests };
  if (uri.startsWith('pkg:')) return { key: withoutQualifier(uri, 'digest'), value: digests || qualifierOf(uri, 'digest') || '' };
  if (looksLikeGit(m.uri, m.digest)) {
    const hash = uri.indexOf('#');
    const commit = parseGitUri(uri)?.commit;
    if (hash >= 0 && commit !== undefined) return { key: uri.slice(0, hash), value: digests || commit };
  }
  return { key: uri, value: digests };
}

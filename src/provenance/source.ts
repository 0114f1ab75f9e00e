import { isCommitHash, looksLikeGit, parseGitUri, repositoryLinks, sameRepository } from '../claims/git-uri';
import type { Material, SourceOrigin, SourceSummary } from './types';

/**
 * The source repository, ref and commit of a build, put together from whichever field the
 * build type records them in. Candidates are tried strongest first (what the builder itself
 * checked out before what the caller claimed); a commit missing from the winner is filled in
 * from a material/dependency of the same repository.
 */
export interface SourceCandidate {
  from: SourceOrigin;
  uri?: string;
  repository?: string;
  ref?: string;
  commit?: string;
  path?: string;
}

/** The commit in an in-toto DigestSet (`gitCommit`, or `sha1` as v0.2 writers use). */
export function commitOf(digest: Record<string, string>): string | undefined {
  const c = own(digest, 'gitCommit') ?? own(digest, 'sha1');
  return c || undefined;
}

/** A candidate from a URI plus an optional DigestSet: `git+https://...@ref`, `https://...git#commit`. */
export function fromUri(from: SourceOrigin, uri: string | undefined, digest: Record<string, string> = {}, path?: string): SourceCandidate | undefined {
  if (!uri) return undefined;
  const loc = parseGitUri(uri);
  const c: SourceCandidate = { from, uri };
  if (loc !== undefined) c.repository = loc.repository;
  if (loc?.ref !== undefined) c.ref = loc.ref;
  const commit = commitOf(digest) ?? loc?.commit;
  if (commit !== undefined) c.commit = commit;
  if (path) c.path = path;
  return c;
}

/** A candidate from BuildKit's `vcs` metadata or args: a repository and a revision, either optional. */
export function vcsCandidate(from: SourceCandidate['from'], repository: string | undefined, revision: string | undefined): SourceCandidate | undefined {
  if (!repository && !revision) return undefined;
  const c = repository ? (fromUri(from, repository) ?? { from }) : { from };
  if (revision) c.commit = revision;
  return c;
}

/** The first material / dependency that is a git checkout. */
export function fromMaterials(from: 'materials' | 'resolvedDependencies', materials: readonly Material[]): SourceCandidate | undefined {
  const m = materials.find((x) => looksLikeGit(x.uri, x.digest));
  if (!m) return undefined;
  const c = fromUri(from, m.uri, m.digest);
  if (!c) return undefined;
  const annotatedRef = own(m.annotations, 'ref');
  if (c.ref === undefined && typeof annotatedRef === 'string' && annotatedRef) c.ref = annotatedRef;
  return c;
}

export function pickSource(candidates: ReadonlyArray<SourceCandidate | undefined>, materials: readonly Material[], path?: string): SourceSummary | undefined {
  const found = candidates.find((c): c is SourceCandidate => c !== undefined && (c.repository !== undefined || c.commit !== undefined));
  if (!found) return undefined;
  const s: SourceSummary = { from: found.from };
  if (found.repository !== undefined) s.repository = found.repository;
  if (found.ref !== undefined) s.ref = found.ref;
  let commit = found.commit;
  if (commit === undefined && found.repository !== undefined) {
    const same = materials.find((m) => m.uri !== undefined && looksLikeGit(m.uri, m.digest) && sameRepository(m.uri, found.repository!));
    if (same) commit = commitOf(same.digest) ?? parseGitUri(same.uri!)?.commit;
  }
  if (commit !== undefined) s.commit = commit;
  if (found.uri !== undefined) s.uri = found.uri;
  const where = found.path ?? path;
  if (where) s.path = where;
  const links = repositoryLinks(s.repository, isCommitHash(s.commit) ? s.commit : undefined);
  if (links.repositoryUrl) s.repositoryUrl = links.repositoryUrl;
  if (links.commitUrl) s.commitUrl = links.commitUrl;
  return s;
}

function own(o: unknown, key: string): string | undefined {
  if (typeof o !== 'object' || o === null || !Object.prototype.hasOwnProperty.call(o, key)) return undefined;
  const v = (o as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
}

import { own } from './values';

/**
 * Repository locations as provenance and policies write them, read once, so the repository a
 * policy checks is the one a person is shown:
 * - SPDX download locations (`git+https://github.com/org/repo@refs/heads/main`): slsa-github-generator,
 *   npm, GitHub artifact attestations (https://spdx.github.io/spdx-spec/v2.3/package-information/#77-package-download-location-field);
 * - git URLs with a fragment (`https://github.com/org/repo.git#<commit or ref>[:subdir]`): BuildKit's
 *   git contexts (https://docs.docker.com/build/concepts/context/#git-repositories);
 * - scp-like remotes (`git@github.com:org/repo.git`, https://git-scm.com/docs/git-clone#_git_urls)
 *   and GitHub's `org/repo` shorthand (policies).
 */
export interface GitLocation {
  /** `https://<host>/<path>`: no `git+`, userinfo, `.git`, trailing slash, `@ref` or `#fragment`; case as written. */
  repository: string;
  ref?: string;
  /** A full commit hash, in lower case. */
  commit?: string;
}

const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
const GITHUB_SHORTHAND = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;
const SCP_LIKE = /^[^@/:]+@([^:/]+):(.+)$/;

/** A full SHA-1 or SHA-256 commit hash, in either case. */
export function isCommitHash(s: string | undefined): s is string {
  return s !== undefined && COMMIT.test(s);
}

/**
 * The repository, ref and commit a location names; undefined when it names no host. The URL
 * parser resolves dot segments, so `https://github.com/org/repo/../evil` is
 * `https://github.com/org/evil` wherever it is shown or compared; credentials never survive.
 */
export function parseGitUri(uri: string): GitLocation | undefined {
  let rest = uri.trim().replace(/^git\+/, '');
  let ref: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    ref = rest.slice(hash + 1).split(':')[0] || undefined; // BuildKit: `#ref:subdir`
    rest = rest.slice(0, hash);
  }
  if (GITHUB_SHORTHAND.test(rest)) rest = `https://github.com/${rest}`;
  const scp = SCP_LIKE.exec(rest);
  if (scp !== null) rest = `ssh://${scp[1]}/${scp[2]}`;
  let url: URL;
  try {
    url = new URL(rest);
  } catch {
    return undefined;
  }
  if (url.hostname === '') return undefined;
  let path = url.pathname;
  const at = path.indexOf('@'); // SPDX: `...repo@refs/heads/main`
  if (at >= 0) {
    ref ??= decoded(path.slice(at + 1)) || undefined;
    path = path.slice(0, at);
  }
  path = path.replace(/\/+$/, '').replace(/\.git$/, '');
  // An ssh port is not the web server's.
  const host = url.protocol === 'https:' || url.protocol === 'http:' ? url.host : url.hostname;
  const out: GitLocation = { repository: `https://${host}${path}` };
  if (isCommitHash(ref)) out.commit = ref.toLowerCase();
  else if (ref !== undefined) out.ref = ref;
  return out;
}

/** Same repository whatever the spelling; GitHub's owner and repository names are case-insensitive. */
export function sameRepository(a: string, b: string): boolean {
  const x = parseGitUri(a)?.repository;
  const y = parseGitUri(b)?.repository;
  return x !== undefined && y !== undefined && comparable(x) === comparable(y);
}

function comparable(repository: string): string {
  return repository.startsWith('https://github.com/') ? repository.toLowerCase() : repository;
}

function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Whether a material/dependency looks like a git checkout rather than an image or file. */
export function looksLikeGit(uri: string | undefined, digest: unknown): boolean {
  if (typeof own(digest, 'gitCommit') === 'string') return true;
  if (uri === undefined) return false;
  if (uri.startsWith('git+') || /\.git(?:$|[#@/])/.test(uri)) return true;
  return typeof own(digest, 'sha1') === 'string' && /^https:\/\//.test(uri);
}

/** https links for a repository and commit, only where the URL form is known. */
export function repositoryLinks(repository: string | undefined, commit: string | undefined): { repositoryUrl?: string; commitUrl?: string } {
  if (repository === undefined) return {};
  let url: URL;
  try {
    url = new URL(repository);
  } catch {
    return {};
  }
  if (url.protocol !== 'https:' || url.username || url.password) return {};
  const repositoryUrl = `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\.git$/, '')}`;
  const out: { repositoryUrl?: string; commitUrl?: string } = { repositoryUrl };
  if (isCommitHash(commit)) {
    if (url.hostname === 'github.com') out.commitUrl = `${repositoryUrl}/commit/${commit}`;
    else if (url.hostname === 'gitlab.com') out.commitUrl = `${repositoryUrl}/-/commit/${commit}`;
  }
  return out;
}

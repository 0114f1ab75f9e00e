/**
 * Repository locations as provenance writes them:
 * - SPDX download locations (`git+https://github.com/org/repo@refs/heads/main`): slsa-github-generator,
 *   npm, GitHub artifact attestations (https://spdx.github.io/spdx-spec/v2.3/package-information/#77-package-download-location-field);
 * - git URLs with a fragment (`https://github.com/org/repo.git#<commit or ref>[:subdir]`): BuildKit's
 *   git contexts (https://docs.docker.com/build/concepts/context/#git-repositories).
 */
export interface GitLocation {
  repository: string;
  ref?: string;
  commit?: string;
}

const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export function isCommitHash(s: string | undefined): s is string {
  return s !== undefined && COMMIT.test(s);
}

export function parseGitUri(uri: string): GitLocation {
  let rest = uri.startsWith('git+') ? uri.slice(4) : uri;
  let ref: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    const fragment = rest.slice(hash + 1).split(':')[0] ?? '';
    rest = rest.slice(0, hash);
    if (fragment) ref = fragment;
  }
  // `@` after the first path slash separates a ref; before it, `@` is userinfo.
  const scheme = rest.indexOf('://');
  const pathStart = rest.indexOf('/', scheme >= 0 ? scheme + 3 : 0);
  const at = rest.lastIndexOf('@');
  if (pathStart >= 0 && at > pathStart) {
    ref ??= rest.slice(at + 1) || undefined;
    rest = rest.slice(0, at);
  }
  const out: GitLocation = { repository: withoutUserinfo(rest) };
  if (isCommitHash(ref)) out.commit = ref;
  else if (ref !== undefined) out.ref = ref;
  return out;
}

/** Credentials have no business in a repository name shown to people (the raw URI keeps them). */
function withoutUserinfo(s: string): string {
  return s.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

/** Whether a material/dependency looks like a git checkout rather than an image or file. */
export function looksLikeGit(uri: string | undefined, digest: Record<string, string>): boolean {
  if (Object.prototype.hasOwnProperty.call(digest, 'gitCommit')) return true;
  if (uri === undefined) return false;
  if (uri.startsWith('git+') || /\.git(?:$|[#@])/.test(uri)) return true;
  return Object.prototype.hasOwnProperty.call(digest, 'sha1') && /^https:\/\//.test(uri);
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

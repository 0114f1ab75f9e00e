import { DOCKER_HUB, parseRegistryReference } from '../../registry/reference';
import type { RegistryReference } from '../../registry/reference';
import type { Matcher } from './identity-policy';
import type { GithubClaims, SlsaExpectations } from './image-policy';
import { escapeRegExp } from './policy-regexp';

/**
 * The identity a GitHub Actions release carries
 * (https://docs.sigstore.dev/certificate_authority/oidc-in-fulcio/): issuer
 * `https://token.actions.githubusercontent.com`, SAN
 * `https://github.com/<org>/<repo>/.github/workflows/<file>@refs/tags/<tag>`, and Fulcio's
 * GitHub claims (source repository URI 1.12, ref 1.14, build config URI 1.18, trigger 1.20,
 * commit 1.13).
 *
 * Two uses: the `github:` shortcut of a policy entry (the maintainer states the repository),
 * and derivation from the image name when nothing is stated (`ghcr.io/<org>/<repo>`,
 * `docker.io/<org>/<repo>`), as Rancher's slsactl does. Derivation is a convenience, not a
 * statement of trust: it guesses where an image is built, and an image built elsewhere
 * (`rancher/fleet-agent` is built in `rancher/fleet`) needs `builtIn` or an entry. Results
 * mark derived requirements as such (`ImagePolicy.sources`).
 *
 * Every part of a pattern that comes from a user or a registry is escaped, and every
 * pattern is anchored here as well as by `compilePattern`, so a consumer that forgot to
 * anchor still cannot match more than written.
 */
export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

/** GitHub owner (letters, digits, inner hyphens) and repository (letters, digits, ".", "_", "-"). */
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export function isGithubRepository(text: string): boolean {
  return REPOSITORY.test(text) && !text.endsWith('/.') && !text.endsWith('/..');
}

export function isCommit(text: string): boolean {
  return COMMIT.test(text);
}

/**
 * `org/repo` for images on ghcr.io and Docker Hub, where the image path starts with the
 * GitHub owner and repository by convention. Docker Hub's official images (`library/`)
 * are not built on GitHub Actions under that name. Other registries: none (state it).
 */
export function githubRepositoryFromImage(ref: RegistryReference): string | undefined {
  if (ref.registry !== 'ghcr.io' && ref.registry !== DOCKER_HUB) return undefined;
  const [owner, repo] = ref.repository.split('/');
  if (owner === undefined || repo === undefined) return undefined;
  if (ref.registry === DOCKER_HUB && owner === 'library') return undefined;
  const candidate = `${owner}/${repo}`;
  return isGithubRepository(candidate) ? candidate : undefined;
}

export interface GithubWorkflowSpec {
  /** `org/repo`. */
  repository: string;
  /** `release.yml` or `.github/workflows/release.yml`; absent: any workflow file of the repository. */
  workflow?: string;
  /**
   * The git ref of the run; absent: `refs/tags/<tag>`, or any tag when the tag is unknown.
   * A regexp here is a fragment embedded in the anchored identity: no `^` or `$` of its own.
   */
  ref?: Matcher;
  tag?: string;
  trigger?: string;
  commit?: string;
  /**
   * The repository was read from an image name, which registries lower-case; GitHub's
   * names are case-insensitive but certificates keep the owner's spelling (`GoogleContainerTools`),
   * so the derived pattern accepts any case for that part only.
   */
  repositoryCaseInsensitive?: boolean;
}

export interface GithubPolicy {
  identity: Matcher;
  issuer: Matcher;
  github: GithubClaims;
  slsa: SlsaExpectations;
}

/** `[Rr][Aa]...` for letters: JavaScript in Node 20 has no inline `(?i:)`. */
export function anyCase(escaped: string): string {
  return escaped.replace(/[A-Za-z]/g, (c) => `[${c.toUpperCase()}${c.toLowerCase()}]`);
}

export function workflowPath(workflow: string): string {
  return workflow.includes('/') ? workflow.replace(/^\.?\//, '') : `.github/workflows/${workflow}`;
}

function refPattern(spec: GithubWorkflowSpec): string {
  if (spec.ref !== undefined) return 'exact' in spec.ref ? escapeRegExp(spec.ref.exact) : `(?:${spec.ref.regexp})`;
  return spec.tag !== undefined ? `refs/tags/${escapeRegExp(spec.tag)}` : 'refs/tags/[^/]+';
}

function exactRef(spec: GithubWorkflowSpec): string | undefined {
  if (spec.ref !== undefined) return 'exact' in spec.ref ? spec.ref.exact : undefined;
  return spec.tag !== undefined ? `refs/tags/${spec.tag}` : undefined;
}

/** The requirements for a release signed by a workflow of a GitHub repository. */
export function githubWorkflowPolicy(spec: GithubWorkflowSpec): GithubPolicy {
  const repo = spec.repositoryCaseInsensitive === true ? anyCase(escapeRegExp(spec.repository)) : escapeRegExp(spec.repository);
  const workflow = spec.workflow !== undefined ? escapeRegExp(workflowPath(spec.workflow)) : '\\.github/workflows/[^/@]+';
  const ref = refPattern(spec);
  const workflowUri = `^https://github\\.com/${repo}/${workflow}@${ref}$`;
  const refExact = exactRef(spec);

  const github: GithubClaims = {
    sourceRepositoryUri:
      spec.repositoryCaseInsensitive === true ? { regexp: `^https://github\\.com/${repo}$` } : { exact: `https://github.com/${spec.repository}` },
    sourceRepositoryRef: refExact !== undefined ? { exact: refExact } : { regexp: `^${ref}$` },
  };
  // The caller's workflow (1.18): the same as the SAN unless a reusable workflow signs,
  // which is exactly when a policy states another identity and this claim still pins the caller.
  if (spec.workflow !== undefined) github.buildConfigUri = { regexp: workflowUri };
  if (spec.trigger !== undefined) github.buildTrigger = { exact: spec.trigger };
  if (spec.commit !== undefined) github.sourceRepositoryDigest = { exact: spec.commit };

  const slsa: SlsaExpectations = { sourceRepository: `https://github.com/${spec.repository}` };
  if (refExact !== undefined) slsa.sourceRef = refExact;
  if (spec.commit !== undefined) slsa.sourceCommit = spec.commit;

  return { identity: { regexp: workflowUri }, issuer: { exact: GITHUB_ACTIONS_ISSUER }, github, slsa };
}

export interface DerivedGithubPolicy extends GithubPolicy {
  /** `org/repo` the image is assumed to be built in. */
  repository: string;
  /** A sentence for results: where the guess came from. */
  note: string;
}

/**
 * The expected GitHub identity of an image when no policy states one: built in
 * `builtIn` if given, else in the repository its name suggests (ghcr.io and Docker Hub only).
 * Undefined when there is nothing to go on: such an image's identity stays unpinned.
 */
export function deriveGithubPolicy(
  reference: string | RegistryReference,
  options: { builtIn?: string; tag?: string; workflow?: string } = {},
): DerivedGithubPolicy | undefined {
  const ref = typeof reference === 'string' ? parseRegistryReference(reference) : reference;
  const tag = options.tag ?? ref.tag;
  const fromName = options.builtIn === undefined ? githubRepositoryFromImage(ref) : undefined;
  const repository = options.builtIn ?? fromName;
  if (repository === undefined || !isGithubRepository(repository)) return undefined;
  const spec: GithubWorkflowSpec = { repository, repositoryCaseInsensitive: fromName !== undefined };
  if (tag !== undefined) spec.tag = tag;
  if (options.workflow !== undefined) spec.workflow = options.workflow;
  const where = fromName !== undefined ? `derived from the image name ${ref.registry}/${ref.repository}` : `derived from "builtIn: ${repository}"`;
  const which = tag !== undefined ? `tag ${tag}` : 'any tag (the reference names no tag)';
  const note = `Expected signer ${where}: a GitHub Actions workflow of github.com/${repository} at ${which}. This is a guess; state it in .provenance-lens.yaml to pin it.`;
  return { ...githubWorkflowPolicy(spec), repository, note };
}

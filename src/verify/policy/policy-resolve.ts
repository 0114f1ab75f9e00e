import { LensError } from '../../core/errors';
import { parseReference } from '../../registry/reference';
import type { RegistryReference } from '../../registry/reference';
import type { Matcher } from './identity-policy';
import { matches } from './identity-policy';
import type { ImagePolicy, PolicySource, SlsaExpectations } from './image-policy';
import { GITHUB_ACTIONS_ISSUER, deriveGithubPolicy, githubRepositoryFromImage, githubWorkflowPolicy, isGithubRepository } from './github-identity';
import type { GithubPolicy, GithubWorkflowSpec } from './github-identity';
import { githubAttestationPolicy } from './github-attestation-policy';
import type { GithubAttestationSpec } from './github-attestation-policy';
import { matchingEntries } from './policy-match';
import { renderExact, renderPattern } from './policy-template';
import type { TemplatePart, TemplateValues } from './policy-template';
import type { GithubSpec, MatcherTemplate, PolicyEntry, PolicyFile, PolicyRules } from './policy-types';

export interface PolicyForImageOptions {
  /** The release's git tag when the image tag differs from it, or the reference is pinned by digest only. */
  tag?: string;
  /** Derive a GitHub identity when nothing states one (default: `defaults.derive`, else true). */
  derive?: boolean;
}

/**
 * The requirements for one image (docs/policy.md, "How an image's policy is resolved"):
 * the most specific matching entry, then `defaults`, then derivation for GitHub-built
 * images. Key-based and keyless requirements never mix: the first place (entry, then
 * defaults) that states either decides which kind applies.
 */
export function policyForImage(policy: PolicyFile | undefined, reference: string, options: PolicyForImageOptions = {}): ImagePolicy {
  const parsed = parseReference(reference);
  const ref = parsed.kind === 'registry' ? parsed : undefined;
  const matched = ref !== undefined && policy !== undefined ? matchingEntries(policy.images, ref) : [];
  const entry = matched[0];
  const defaults = policy?.defaults ?? {};
  const tag = options.tag ?? parsed.tag;
  const vals = templateValues(ref, tag, entry);
  const notes: string[] = [];
  const out: ImagePolicy = { requiredPredicateTypes: [], requireTlog: true, sources: {} };

  if (entry !== undefined) {
    out.matchedPattern = entry.image;
    if (matched.length > 1)
      notes.push(
        `Policy entry "${entry.image}" applies; also matched, less specific: ${matched
          .slice(1)
          .map((e) => `"${e.image}"`)
          .join(', ')}.`,
      );
  }
  if (entry?.builtIn !== undefined) setSource(out, 'builtIn', entry.builtIn, 'policy-file');
  if (entry?.exception !== undefined) {
    setSource(out, 'exception', { reason: entry.exception.reason }, 'policy-file');
    notes.push(`Exception for ${entry.image}: ${entry.exception.reason}`);
  }
  const levels: PolicyRules[] = entry !== undefined ? [entry, defaults] : [defaults];
  const first = <K extends keyof PolicyRules>(k: K): PolicyRules[K] | undefined => levels.find((l) => l[k] !== undefined)?.[k];

  const requireTlog = first('requireTlog');
  out.requireTlog = requireTlog ?? true;
  out.sources.requireTlog = requireTlog === undefined ? 'default' : 'policy-file';
  const trustedRoot = first('trustedRoot');
  if (trustedRoot !== undefined) setSource(out, 'trustedRoot', trustedRoot, 'policy-file');
  const certificateChain = first('certificateChain');
  if (certificateChain !== undefined) setSource(out, 'certificateChain', certificateChain, 'policy-file');
  const coverage = first('coverage');
  if (coverage !== undefined) setSource(out, 'coverage', coverage, 'policy-file');
  const attestations = first('attestations');
  if (attestations !== undefined) {
    out.requiredAttestations = attestations.map((a) => ({ name: a.name, predicateTypes: [...a.predicateTypes] }));
    out.requiredPredicateTypes = attestations.filter((a) => a.predicateTypes.length === 1).map((a) => a.predicateTypes[0]!);
    out.sources.requiredPredicateTypes = 'policy-file';
  } else {
    out.sources.requiredPredicateTypes = 'default';
  }

  // Keys at a level end the keyless search there: an entry's identity overrides default keys, and vice versa.
  const keyLevel = levels.findIndex((l) => (l.keys?.length ?? 0) > 0);
  const keyless = keyLevel === -1 ? levels : levels.slice(0, keyLevel);
  const keylessStated = keyless.some((l) => l.identity !== undefined || l.issuer !== undefined || l.github !== undefined);
  let github: GithubPolicy | undefined;
  if (keyLevel !== -1 && !keylessStated) {
    out.keys = levels[keyLevel]!.keys!.map((k) => {
      if (k.material === undefined)
        throw new LensError('USAGE', `The key ${k.written} of ${policy?.path ?? 'the policy'} was not loaded; use loadPolicyFile or loadPolicyKeys.`, {
          path: k.path,
        });
      return k.material;
    });
    out.sources.keys = 'policy-file';
  } else {
    github = resolveKeyless(out, keyless, vals, ref, entry, notes, options.derive ?? defaults.derive ?? true);
  }
  resolveSlsa(out, levels, vals, github, notes);
  if (notes.length > 0) out.notes = notes;
  return out;
}

/** What `{{placeholders}}` stand for; `builtIn` falls back to the repository the image name suggests. */
function templateValues(ref: RegistryReference | undefined, tag: string | undefined, entry: PolicyEntry | undefined): TemplateValues {
  return { registry: ref?.registry, repository: ref?.repository, tag, builtIn: entry?.builtIn ?? (ref && githubRepositoryFromImage(ref)) };
}

function setSource<K extends 'builtIn' | 'exception' | 'trustedRoot' | 'certificateChain' | 'coverage'>(
  out: ImagePolicy,
  key: K,
  value: NonNullable<ImagePolicy[K]>,
  source: 'policy-file',
): void {
  out[key] = value;
  out.sources[key] = source;
}

function resolveKeyless(
  out: ImagePolicy,
  levels: PolicyRules[],
  vals: TemplateValues,
  ref: RegistryReference | undefined,
  entry: PolicyEntry | undefined,
  notes: string[],
  derive: boolean,
): GithubPolicy | undefined {
  const identity = levels.find((l) => l.identity !== undefined)?.identity;
  const issuer = levels.find((l) => l.issuer !== undefined)?.issuer;
  const githubSpecs = levels.map((l) => l.github).filter((g): g is GithubSpec => g !== undefined);
  let github: GithubPolicy | undefined;
  let githubSource: PolicySource = 'policy-file';

  if (githubSpecs.length > 0) {
    // Key by key, the entry's `github:` over the defaults'.
    const spec = Object.assign({}, ...[...githubSpecs].reverse()) as GithubSpec;
    const resolved = fromGithubSpec(spec, vals, ref, entry, notes);
    if (resolved !== undefined) {
      github = resolved.policy;
      githubSource = resolved.guessed ? 'derived' : 'policy-file';
      out.github = github.github;
      out.sources.github = githubSource;
    }
  }
  if (identity !== undefined) {
    const rendered = renderIdentity(identity, vals);
    if (rendered !== undefined) {
      out.identity = rendered;
      out.sources.identity = 'policy-file';
    } else {
      notes.push(
        `The identity "${identity.text}" uses a placeholder with no value for this image ({{builtIn}} needs "builtIn:" in its entry, unless the name is on ghcr.io or Docker Hub); the identity is not pinned.`,
      );
    }
  } else if (github !== undefined) {
    out.identity = github.identity;
    out.sources.identity = githubSource;
  }
  if (issuer !== undefined) {
    out.issuer = issuer;
    out.sources.issuer = 'policy-file';
  } else if (github !== undefined) {
    out.issuer = github.issuer;
    out.sources.issuer = 'policy-file';
  }
  const issuerAllowsGithub = issuer === undefined || matches(issuer, GITHUB_ACTIONS_ISSUER);
  if (out.identity === undefined && github === undefined && identity === undefined && derive && ref !== undefined && issuerAllowsGithub) {
    const derived = deriveGithubPolicy(ref, {
      ...(entry?.builtIn !== undefined ? { builtIn: entry.builtIn } : {}),
      ...(vals.tag !== undefined ? { tag: vals.tag } : {}),
    });
    if (derived !== undefined) {
      out.identity = derived.identity;
      out.sources.identity = 'derived';
      if (out.issuer === undefined) {
        out.issuer = derived.issuer;
        out.sources.issuer = 'derived';
      }
      out.github = derived.github;
      out.sources.github = 'derived';
      notes.push(derived.note);
      return derived;
    }
  }
  return github;
}

/**
 * The repository: stated, else `builtIn`, else guessed from the image path: on ghcr.io and
 * Docker Hub always, elsewhere only when the image's own entry has `github:` (a `defaults`
 * block alone does not make `quay.io/x/y` a GitHub repository).
 */
function fromGithubSpec(
  spec: GithubSpec,
  vals: TemplateValues,
  ref: RegistryReference | undefined,
  entry: PolicyEntry | undefined,
  notes: string[],
): { policy: GithubPolicy; guessed: boolean } | undefined {
  const ghShortcuts = spec.owner !== undefined || spec.signerWorkflow !== undefined || spec.signerRepository !== undefined;
  // An owner alone is a policy for all of its repositories: nothing is guessed from the image name then.
  if (ghShortcuts && spec.repository === undefined && spec.owner !== undefined) return fromGhShortcuts(spec, undefined, vals, notes, false);
  let repository = spec.repository ?? entry?.builtIn;
  let guessed = false;
  if (repository === undefined && ref !== undefined) {
    const [owner, name] = ref.repository.split('/');
    const guess = githubRepositoryFromImage(ref) ?? (entry?.github !== undefined && owner !== undefined && name !== undefined ? `${owner}/${name}` : undefined);
    if (guess !== undefined && isGithubRepository(guess)) {
      repository = guess;
      guessed = true;
      notes.push(`"github:" names no repository; github.com/${guess} was taken from the image name (add "repository:" or "builtIn:" to pin it).`);
    }
  }
  if (repository === undefined) {
    notes.push('"github:" names no repository and none follows from the image name; add "repository:" or "builtIn:" to its entry. The identity is not pinned.');
    return undefined;
  }
  if (ghShortcuts) return fromGhShortcuts(spec, repository, vals, notes, guessed);
  const caseInsensitive = guessed;
  const ws: GithubWorkflowSpec = { repository, repositoryCaseInsensitive: caseInsensitive };
  if (spec.workflow !== undefined) ws.workflow = spec.workflow;
  if (vals.tag !== undefined) ws.tag = vals.tag;
  if (spec.trigger !== undefined) ws.trigger = spec.trigger;
  if (spec.commit !== undefined) ws.commit = spec.commit;
  const runRef = githubRef(spec, vals, notes);
  if (runRef === null) return undefined;
  if (runRef !== undefined) ws.ref = runRef;
  return { policy: githubWorkflowPolicy(ws), guessed };
}

/** `github.ref` rendered for this image; null (and a note) when it needs a value the image does not give. */
function githubRef(spec: GithubSpec, vals: TemplateValues, notes: string[]): Matcher | undefined | null {
  if (spec.ref === undefined) return undefined;
  const r = renderRef(spec.ref, vals, true);
  if (r === undefined) notes.push('"github.ref" needs a value unknown for this image; the identity is not pinned.');
  return r ?? null;
}

/** A `github:` block with `owner`, `signerWorkflow` or `signerRepository`: gh's meaning, no ref unless `ref` says one. */
function fromGhShortcuts(
  spec: GithubSpec,
  repository: string | undefined,
  vals: TemplateValues,
  notes: string[],
  guessed: boolean,
): { policy: GithubPolicy; guessed: boolean } | undefined {
  const gh: GithubAttestationSpec = {};
  for (const k of ['owner', 'signerWorkflow', 'signerRepository', 'workflow', 'trigger', 'commit'] as const) if (spec[k] !== undefined) gh[k] = spec[k];
  if (repository !== undefined) gh.repository = repository;
  const ref = githubRef(spec, vals, notes);
  if (ref === null) return undefined;
  if (ref !== undefined) gh.ref = ref;
  return { policy: githubAttestationPolicy(gh), guessed };
}

/**
 * Exact when every placeholder is known; a pattern with `[^/]+` for an unknown tag; else
 * undefined. `fragment`: the pattern is embedded in a larger one (github.ref), so it is
 * not anchored here; the whole is.
 */
function renderRef(parts: TemplatePart[], vals: TemplateValues, fragment = false): Matcher | undefined {
  const exact = renderExact(parts, vals);
  if (exact !== undefined) return { exact };
  const pattern = renderPattern(parts, vals, 'text');
  if (pattern === undefined) return undefined;
  return { regexp: fragment ? pattern : `^${pattern}$` };
}

function renderIdentity(identity: MatcherTemplate, vals: TemplateValues): Matcher | undefined {
  if (identity.kind === 'exact') return renderRef(identity.parts, vals);
  const pattern = renderPattern(identity.parts, vals, 'pattern');
  return pattern === undefined ? undefined : { regexp: pattern };
}

function resolveSlsa(out: ImagePolicy, levels: PolicyRules[], vals: TemplateValues, github: GithubPolicy | undefined, notes: string[]): void {
  const specs = levels.map((l) => l.slsa).filter((s) => s !== undefined);
  const slsa: SlsaExpectations = {};
  const builders = specs.find((s) => s.builders !== undefined)?.builders;
  if (builders !== undefined) slsa.builderIds = builders;
  const known = specs.find((s) => s.requireKnownBuildType !== undefined)?.requireKnownBuildType;
  if (known !== undefined) slsa.requireKnownBuildType = known;
  const source = Object.assign({}, ...specs.map((s) => s.source ?? {}).reverse()) as NonNullable<NonNullable<PolicyRules['slsa']>['source']>;
  if (source.repository !== undefined) slsa.sourceRepository = source.repository;
  if (source.commit !== undefined) slsa.sourceCommit = source.commit;
  if (source.ref !== undefined) {
    const ref = renderExact(source.ref, vals);
    if (ref !== undefined) slsa.sourceRef = ref;
    else notes.push('"slsa.source.ref" needs the tag, which the reference does not name; the source ref is not checked.');
  }
  const stated = Object.keys(slsa).length > 0;
  // The source a GitHub signer implies, unless the file states a source repository.
  if (github !== undefined && source.repository === undefined) {
    if (github.slsa.sourceRepository !== undefined) slsa.sourceRepository = github.slsa.sourceRepository;
    if (slsa.sourceRef === undefined && github.slsa.sourceRef !== undefined) slsa.sourceRef = github.slsa.sourceRef;
    if (slsa.sourceCommit === undefined && github.slsa.sourceCommit !== undefined) slsa.sourceCommit = github.slsa.sourceCommit;
  } else if (source.repository === undefined && out.builtIn !== undefined) {
    slsa.sourceRepository = `https://github.com/${out.builtIn}`;
  }
  if (Object.keys(slsa).length === 0) return;
  out.slsa = slsa;
  out.sources.slsa = stated ? 'policy-file' : out.sources.identity === 'derived' ? 'derived' : 'policy-file';
}

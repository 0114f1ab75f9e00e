// The verification engine behind the release view, the panel and "Verify image": the policy
// (`provenanceLens.policyFile`, else the workspace's .provenance-lens.yaml when it is trusted;
// none: nothing pinned, as `provenance-lens verify` without flags; in Restricted Mode never one
// that names a file inside the workspace, see policy-load.ts) with the settings' gh shortcuts
// (`provenanceLens.github.*`) over it as the CLI's flags, the trusted root (the
// `provenanceLens.trustedRoot` file, the policy's, else the embedded roots: public-good, and
// GitHub's beside it, both refreshed through TUF unless offline; a policy's certificateChain
// replaces its certificate authorities), and
// verifyImage over the graph the view already has. Loaded on first use, like the other engines.
import { LensError } from '../core/errors';
import type { WorkspaceFiles } from '../core/restricted-files';
import type { ImageGraph } from '../model/image-graph';
import type { ContentSource } from '../registry/source';
import type { GithubAttestationScope, ImagePolicy, PolicyFile, ShortcutNames } from '../verify/policy';
import type { VerificationSession } from '../verify';
import type { ImageVerification } from '../verify/image';
import type { LensSettings } from './config';

/**
 * The settings that carry the gh-style shortcuts, as a policy diagnostic names them. Written out
 * here, not imported from ./config, so this file stays free of `vscode` (the unit tests load it).
 */
const GITHUB_SETTINGS: ShortcutNames = {
  owner: 'provenanceLens.github.owner',
  repo: 'provenanceLens.github.repo',
  signerWorkflow: 'provenanceLens.github.signerWorkflow',
  signerRepo: 'provenanceLens.github.signerRepo',
};

export interface VerifierOptions {
  readonly settings: () => LensSettings;
  /** The policy file to use (absolute), or undefined for none. */
  readonly policyPath: () => string | undefined;
  /** The workspace, for Restricted Mode's rule on the files a policy names (host/policy-load.ts). */
  readonly workspace: () => WorkspaceFiles;
  /** Told at every policy load (and reset) why Restricted Mode refused the policy, or undefined. */
  readonly restricted?: (reason: string | undefined) => void;
  readonly source: (graph: ImageGraph) => Promise<ContentSource>;
  /** Where trusted roots refreshed through TUF are kept (the extension's global storage). */
  readonly trustCacheDir: string;
  readonly log: { info(message: string): void; warn(message: string): void };
}

function unpinnedPolicy(refused: readonly string[]): ImagePolicy {
  return {
    requiredPredicateTypes: [],
    requireTlog: true,
    sources: {},
    notes: [
      ...refused,
      'No policy file: no identity, issuer or key is pinned, so valid signatures show as unpinned. Set provenanceLens.policyFile or add a .provenance-lens.yaml.',
    ],
  };
}

export class Verifier {
  private policyFile: { path: string; parsed: Promise<PolicyFile> } | undefined;
  private current: Promise<VerificationSession> | undefined;

  constructor(private readonly options: VerifierOptions) {}

  /**
   * `externalBundles`: the bytes of the graph's artifacts from outside the registry (src/attestations), by digest.
   * `tag`: the release's git tag, when the image belongs to a release rendered for it.
   * BuildKit's unsigned statements are left unread (`readUnsignedStatements`): they never change
   * a verdict, and a release view of 40 images would ask for 320 of them.
   */
  async verify(graph: ImageGraph, signal: AbortSignal, externalBundles?: ReadonlyMap<string, Uint8Array>, tag?: string): Promise<ImageVerification> {
    // The policy first: a policy refused (Restricted Mode, errors) asks nothing of the registry.
    const { verifyImage, policy, trustRoot } = await this.ready(graph.reference, tag);
    const source = await this.options.source(graph);
    return verifyImage(source, graph, { policy, trustRoot, signal, readUnsignedStatements: false, ...(externalBundles ? { externalBundles } : {}) });
  }

  /**
   * Starts what verifying `reference` will wait for (the policy, the trusted root, the verifier's
   * code) while its graph is still being read, so the first verdict does not wait for them after
   * it. Failures are left to `verify`, which meets the same promises and reports them.
   */
  prepare(reference: string, tag?: string): void {
    this.ready(reference, tag).catch(() => undefined);
  }

  /** What verifying `reference` needs besides its graph and content: the verifier's code, the policy, the trusted root. */
  private async ready(reference: string, tag: string | undefined) {
    const session = await this.session();
    const policy = await session.policyFor(reference, tag === undefined ? {} : { tag });
    const [{ verifyImage }, trustRoot] = await Promise.all([import('../verify/index.js'), session.trustRoot(policy)]);
    return { verifyImage, policy, trustRoot };
  }

  /**
   * Whose attestations GitHub's API is asked for, for this image: the settings' owner or
   * repository (as the CLI's --owner / --repo), else what the policy file's `github:` names.
   */
  async githubScope(reference: string): Promise<GithubAttestationScope | undefined> {
    const { owner, repo } = this.options.settings().github ?? {};
    if (repo !== undefined) return { owner: repo.split('/')[0]!, repository: repo };
    if (owner !== undefined) return { owner };
    const file = await this.parsedPolicy();
    if (file === undefined) return undefined;
    const { githubAttestationScope } = await import('../verify/policy/index.js');
    return githubAttestationScope(file, reference);
  }

  /** The policy `reference` is verified under, and whether it comes from a policy file (else nothing is pinned). */
  async policyOf(reference: string, tag?: string): Promise<{ policy: ImagePolicy; given: boolean }> {
    const session = await this.session();
    return { policy: await session.policyFor(reference, tag === undefined ? {} : { tag }), given: this.options.policyPath() !== undefined };
  }

  /** Settings or the policy file changed: the next verification reads them again. */
  reset(): void {
    this.current = undefined;
    this.policyFile = undefined;
    this.options.restricted?.(undefined);
  }

  /**
   * The session every image is verified in (src/verify/session.ts, as the CLI's): the policy file,
   * the settings' gh shortcuts over it as the CLI's flags over --policy, the settings' trusted
   * root, and one trust root per file and chain. Opened on first use, again after `reset`.
   */
  private session(): Promise<VerificationSession> {
    const path = this.options.policyPath();
    if (this.current !== undefined && this.policyFile?.path === path) return this.current;
    const opened = (async () => {
      const file = await this.parsedPolicy();
      const settings = this.options.settings();
      const [{ VerificationSession }, { applyGithubShortcuts }, { describeTrustRoot, endSentence, privatePki }] = await Promise.all([
        import('../verify/index.js'),
        import('../verify/policy/index.js'),
        import('../verify/trust/index.js'),
      ]);
      const refused = settings.refused.filter((r) => r.setting === 'provenanceLens.policyFile').map((r) => r.reason);
      return new VerificationSession({
        ...(file !== undefined ? { policyFile: file } : {}),
        overlay: (fromFile) => {
          const github = settings.github;
          if (fromFile === undefined && github === undefined) return unpinnedPolicy(refused);
          const policy: ImagePolicy = fromFile ?? { requiredPredicateTypes: [], requireTlog: true, sources: {} };
          if (github !== undefined) applyGithubShortcuts(policy, github, 'settings', GITHUB_SETTINGS);
          return policy;
        },
        ...(settings.trustedRoot !== undefined ? { trustedRoot: settings.trustedRoot } : {}),
        trustLoad: { offline: settings.offline, ...(this.options.trustCacheDir !== undefined ? { cacheDir: this.options.trustCacheDir } : {}) },
        onTrustRoot: (loaded) => {
          const chain = privatePki(loaded);
          const chainClause = chain ? [`its certificate authorities replaced by the private PKI chain ${chain.path} (${chain.subjects.join(' → ')})`] : [];
          // The root's notes end their own sentences: no second full stop ("…is used as it is..").
          this.options.log.info(`Trusted root: ${endSentence(describeTrustRoot(loaded.info, chainClause))}`);
          // GitHub's root, loaded and refreshed beside the public-good one (trust-root.ts), as the CLI's `Trust (github's instance)`.
          for (const sibling of loaded.siblings ?? [])
            this.options.log.info(`Trusted root (${sibling.info.instance}'s instance): ${endSentence(describeTrustRoot(sibling.info))}`);
        },
      });
    })();
    // A policy with errors is refused until it changes (reset); a failure to open is not kept.
    opened.catch(() => {
      if (this.current === opened) this.current = undefined;
    });
    this.current = opened;
    return opened;
  }

  /** The policy file, parsed once per path; undefined when there is none. */
  private async parsedPolicy(): Promise<PolicyFile | undefined> {
    const path = this.options.policyPath();
    if (!path) return undefined;
    if (this.policyFile?.path !== path) {
      const parsed = Promise.all([import('./policy-load.js'), import('../verify/policy/index.js')]).then(async ([{ loadHostPolicy }, { formatDiagnostic }]) => {
        const result = await loadHostPolicy(path, this.options.workspace());
        this.options.restricted?.(result.restricted);
        if (result.restricted) throw new LensError('USAGE', result.restricted, { path });
        for (const d of result.diagnostics) this.options.log.warn(formatDiagnostic(d));
        // A policy with any error is refused whole, as by the CLI: half of it would verify less than its author wrote.
        if (!result.policy) throw new LensError('USAGE', `The policy file ${path} has errors, so none of it is used (see the log).`, { path });
        this.options.log.info(`Policy: ${path} (${result.policy.images.length} image entries).`);
        return result.policy;
      });
      parsed.catch(() => undefined);
      this.policyFile = { path, parsed };
    }
    return this.policyFile.parsed;
  }
}

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
import type { TrustRoot } from '../verify/trust';
import type { ImageVerification } from '../verify/image';
import type { LensSettings } from './config';

/**
 * The settings that carry the gh-style shortcuts, as a policy diagnostic names them. Written out
 * here, not imported from ./config, so this file stays free of `vscode` (the unit tests load it).
 */
const GITHUB_SETTINGS: ShortcutNames = {
  owner: 'provenanceLens.github.owner', repo: 'provenanceLens.github.repo', signerWorkflow: 'provenanceLens.github.signerWorkflow', signerRepo: 'provenanceLens.github.signerRepo',
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
  return { requiredPredicateTypes: [], requireTlog: true, sources: {}, notes: [...refused, 'No policy file: no identity, issuer or key is pinned, so valid signatures show as unpinned. Set provenanceLens.policyFile or add a .provenance-lens.yaml.'] };
}

export class Verifier {
  private readonly roots = new Map<string, Promise<TrustRoot>>();
  private policyFile: { path: string; parsed: Promise<PolicyFile> } | undefined;

  constructor(private readonly options: VerifierOptions) {}

  /** `externalBundles`: the bytes of the graph's artifacts from outside the registry (src/attestations), by digest. */
  async verify(graph: ImageGraph, signal: AbortSignal, externalBundles?: ReadonlyMap<string, Uint8Array>): Promise<ImageVerification> {
    const policy = await this.policyFor(graph.reference);
    const [{ verifyImage }, trustRoot, source] = await Promise.all([import('../verify/index.js'), this.root(policy), this.options.source(graph)]);
    return verifyImage(source, graph, { policy, trustRoot, signal, ...(externalBundles ? { externalBundles } : {}) });
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
  async policyOf(reference: string): Promise<{ policy: ImagePolicy; given: boolean }> {
    return { policy: await this.policyFor(reference), given: this.options.policyPath() !== undefined };
  }

  /** Settings or the policy file changed: the next verification reads them again. */
  reset(): void {
    this.roots.clear();
    this.policyFile = undefined;
    this.options.restricted?.(undefined);
  }

  private async policyFor(reference: string): Promise<ImagePolicy> {
    const file = await this.parsedPolicy();
    const github = this.options.settings().github;
    if (file === undefined && github === undefined) return unpinnedPolicy(this.options.settings().refused.filter((r) => r.setting === 'provenanceLens.policyFile').map((r) => r.reason));
    const { applyGithubShortcuts, policyForImage } = await import('../verify/policy/index.js');
    const policy: ImagePolicy = file === undefined ? { requiredPredicateTypes: [], requireTlog: true, sources: {} } : policyForImage(file, reference);
    // The settings' gh shortcuts over the file's, as the CLI's --owner / --repo over --policy.
    if (github !== undefined) applyGithubShortcuts(policy, github, 'settings', GITHUB_SETTINGS);
    return policy;
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

  /**
   * The trust material for an image's policy, as the CLI's: the setting's trusted_root.json, else
   * the policy's, else the embedded public-good root; a policy's private PKI chain (certificateChain)
   * replaces its certificate authorities. One load per file and chain.
   */
  private root(policy: ImagePolicy): Promise<TrustRoot> {
    const file = this.options.settings().trustedRoot;
    const key = `${file ?? policy.trustedRoot ?? ''}\0${policy.certificateChain ?? ''}`;
    let root = this.roots.get(key);
    if (!root) {
      const offline = this.options.settings().offline;
      root = import('../verify/policy/index.js').then(async ({ trustRootFor }) => {
        const [loaded, { describeTrustRoot, endSentence, privatePki }] = await Promise.all([
          trustRootFor(policy, file, { offline, cacheDir: this.options.trustCacheDir }), import('../verify/trust/index.js'),
        ]);
        const chain = privatePki(loaded);
        const chainClause = chain ? [`its certificate authorities replaced by the private PKI chain ${chain.path} (${chain.subjects.join(' → ')})`] : [];
        // The root's notes end their own sentences: no second full stop ("…is used as it is..").
        this.options.log.info(`Trusted root: ${endSentence(describeTrustRoot(loaded.info, chainClause))}`);
        // GitHub's root, loaded and refreshed beside the public-good one (trust-root.ts), as the CLI's `Trust (github's instance)`.
        for (const sibling of loaded.siblings ?? []) this.options.log.info(`Trusted root (${sibling.info.instance}'s instance): ${endSentence(describeTrustRoot(sibling.info))}`);
        return loaded;
      });
      root.catch(() => this.roots.delete(key));
      this.roots.set(key, root);
    }
    return root;
  }
}

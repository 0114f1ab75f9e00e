// The verification engine behind the release view and "Verify image": the trusted root (the
// embedded public-good root, or the `provenanceLens.trustedRoot` file), the policy, and
// verifyImage over the graph the view already has. Loaded on first use, like the other engines.
import type { ImageGraph } from '../registry/graph-types';
import type { ContentSource } from '../registry/source';
import type { ImagePolicy } from '../verify/image-policy';
import type { TrustRoot } from '../verify/trust-root';
import type { ImageVerification } from '../verify/verify-image';
import type { LensSettings } from './config';

export interface VerifierOptions {
  readonly settings: () => LensSettings;
  readonly source: (graph: ImageGraph) => Promise<ContentSource>;
  readonly log: (message: string) => void;
}

/**
 * What the image must satisfy. Until a policy file can be read, nothing is pinned: a valid
 * signature shows as "unpinned" (never "verified"), as `provenance-lens verify` without flags.
 */
function defaultPolicy(): ImagePolicy {
  return { requiredPredicateTypes: [], requireTlog: true, sources: {}, notes: ['No identity, issuer or key is pinned: valid signatures show as unpinned.'] };
}

export class Verifier {
  private trustRoot: Promise<TrustRoot> | undefined;
  private trustRootFile: string | undefined;

  constructor(private readonly options: VerifierOptions) {}

  async verify(graph: ImageGraph, signal: AbortSignal): Promise<ImageVerification> {
    const [{ verifyImage }, trustRoot, source] = await Promise.all([import('../verify/verify-image.js'), this.root(), this.options.source(graph)]);
    return verifyImage(source, graph, { policy: defaultPolicy(), trustRoot, signal });
  }

  /** Settings changed: the next verification reloads the trusted root. */
  reset(): void {
    this.trustRoot = undefined;
  }

  private root(): Promise<TrustRoot> {
    const file = this.options.settings().trustedRoot;
    if (!this.trustRoot || file !== this.trustRootFile) {
      this.trustRootFile = file;
      this.trustRoot = import('../verify/trust-root.js').then(async ({ loadTrustRoot, describeTrustRoot }) => {
        const root = await loadTrustRoot({ offline: true, ...(file ? { trustedRootFile: file } : {}) });
        this.options.log(`Trusted root: ${describeTrustRoot(root.info)}.`);
        return root;
      });
      this.trustRoot.catch(() => (this.trustRoot = undefined));
    }
    return this.trustRoot;
  }
}

import { trustRootFor } from '../verify/policy';
import type { ImagePolicy } from '../verify/policy';
import type { TrustRoot } from '../verify/trust';
import type { TrustLoadOptions } from './trust-options';

/**
 * The trusted roots of a run that verifies many images (`verify --release`, `refs --verify`): one
 * load per root file and private PKI chain, shared by every image that names them. Online
 * (--refresh-trust-root), every image of the run shares one refresh (trust-refresh.ts).
 */
export class TrustRoots {
  private readonly roots = new Map<string, Promise<TrustRoot>>();

  /** `flagRoot`: the --trusted-root file, which every policy's own gives way to. */
  constructor(private readonly flagRoot: string | undefined, private readonly load: TrustLoadOptions) {}

  for(policy: ImagePolicy): Promise<TrustRoot> {
    const key = `${this.flagRoot ?? policy.trustedRoot ?? ''}\0${policy.certificateChain ?? ''}`;
    let root = this.roots.get(key);
    if (root === undefined) {
      root = trustRootFor(policy, this.flagRoot, this.load);
      this.roots.set(key, root);
    }
    return root;
  }
}

// One verification session: the policy file, what the caller lays over it (the CLI's flags, the
// editor's settings), the release tag, and one trust root per (trusted_root.json, certificate
// chain), shared by every image verified in it. `verify <ref>`, `verify --release`, `diff`,
// `refs --verify` and the editor each open one, so an image gets the same policy and the same
// trust whichever of them asks (docs/policy.md, "How an image's policy is resolved").
import { policyForImage, trustRootFor } from './policy';
import type { ImagePolicy, PolicyFile } from './policy';
import type { LoadTrustRootOptions, TrustRoot } from './trust';

/** How trust material is loaded: offline or refreshed through TUF, and where the refresh is cached. */
export type TrustLoad = Omit<LoadTrustRootOptions, 'trustedRootFile'>;

export interface VerificationSessionOptions {
  /** The policy file, parsed (a file with errors is refused whole by whoever read it). */
  readonly policyFile?: PolicyFile;
  /**
   * The release's git tag, which `{{tag}}` in the policy stands for, when the image's own tag is
   * not it (`app:1.2.0` for `v1.2.0`, `app:latest`, a digest). A call may name its own.
   */
  readonly tag?: string;
  /**
   * What the caller lays over the file's entry for an image (CLI flags, editor settings); it may
   * throw a usage error. Without it the file's entry is the policy.
   */
  readonly overlay?: (fromFile: ImagePolicy | undefined, reference: string) => ImagePolicy | Promise<ImagePolicy>;
  /** A trusted_root.json that replaces the policy's and the embedded ones (`--trusted-root`, the editor's setting). */
  readonly trustedRoot?: string;
  readonly trustLoad?: TrustLoad;
  /** Told once for each trust root the session loads (the editor logs it). */
  readonly onTrustRoot?: (root: TrustRoot) => void;
}

export class VerificationSession {
  private readonly roots = new Map<string, Promise<TrustRoot>>();

  constructor(private readonly options: VerificationSessionOptions = {}) {}

  /** The policy an image is verified under: the file's entry for it, with the release tag, under the overlay. */
  async policyFor(reference: string, o: { tag?: string } = {}): Promise<ImagePolicy> {
    const { policyFile, overlay } = this.options;
    const tag = o.tag ?? this.options.tag;
    const fromFile = policyFile === undefined ? undefined : policyForImage(policyFile, reference, tag === undefined ? {} : { tag });
    if (overlay !== undefined) return overlay(fromFile, reference);
    return fromFile ?? policyForImage(undefined, reference, tag === undefined ? {} : { tag });
  }

  /**
   * The trust material for a policy: the session's trusted_root.json, else the policy's, else the
   * embedded roots; a policy's private PKI chain replaces the certificate authorities. Loaded once
   * per file and chain (an online refresh is shared by every image); a failed load is forgotten,
   * so the next image tries again.
   */
  trustRoot(policy: ImagePolicy): Promise<TrustRoot> {
    const file = this.options.trustedRoot;
    const key = `${file ?? policy.trustedRoot ?? ''}\0${policy.certificateChain ?? ''}`;
    let root = this.roots.get(key);
    if (root === undefined) {
      root = trustRootFor(policy, file, this.options.trustLoad ?? { offline: true }).then((loaded) => {
        this.options.onTrustRoot?.(loaded);
        return loaded;
      });
      root.catch(() => this.roots.delete(key));
      this.roots.set(key, root);
    }
    return root;
  }
}

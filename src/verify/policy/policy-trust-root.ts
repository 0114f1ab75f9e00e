import type { ImagePolicy } from './image-policy';
import { loadCertificateChain, loadTrustRoot, withCertificateChain } from '../trust';
import type { LoadTrustRootOptions, TrustRoot } from '../trust';

/**
 * The trust material for a policy: `--trusted-root`, else the policy's, else the embedded
 * public-good root (or, with `load.offline: false`, the one a TUF refresh gives); with a private
 * PKI chain, the chain replaces its certificate authorities. Offline unless `load` says otherwise.
 */
export async function trustRootFor(
  policy: ImagePolicy,
  trustedRootFlag?: string,
  load: Omit<LoadTrustRootOptions, 'trustedRootFile'> = { offline: true },
): Promise<TrustRoot> {
  const file = trustedRootFlag ?? policy.trustedRoot;
  let base = await loadTrustRoot({ ...load, trustedRootFile: file });
  if (file !== undefined && load.offline === false) {
    // A refresh was asked for, but a file is never refreshed: say why none happened.
    base = { ...base, info: { ...base.info, notes: [...(base.info.notes ?? []), `No TUF refresh: the trusted_root.json file ${file} is used as it is.`] } };
  }
  return policy.certificateChain === undefined ? base : withCertificateChain(base, await loadCertificateChain(policy.certificateChain));
}

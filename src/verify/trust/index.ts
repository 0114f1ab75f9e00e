// The trust room: what a verification may rely on. Sigstore trusted roots (embedded, from a
// file, refreshed through TUF and cached), a private PKI chain in place of Fulcio's CAs, and
// public keys. Loading (files, the network) is in trust-root, trust-refresh, trust-cache and
// the *-file modules; the rest is pure. Outside this folder, import from here.
export { loadCertificateChain } from './certificate-chain-file';
export { privatePki, subjectLine, withCertificateChain } from './certificate-chain';
export { loadPublicKeyFile } from './public-key-file';
export { keyFingerprint, sameKey } from './public-key';
export type { PublicKeyMaterial } from './public-key';
export { chooseTrustRoot, rootLabel } from './trust-choose';
export type { BundleSignals, TrustChoice } from './trust-choose';
export { defaultTrustCacheDir } from './trust-cache';
export { describeTrustRoot, endSentence } from './trust-describe';
export { loadTrustRoot } from './trust-root';
export type { LoadTrustRootOptions } from './trust-root';
export type { TrustRoot, TrustRootInfo } from './trust-types';

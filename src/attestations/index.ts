// Attestations from outside the registry: Sigstore bundle files and `.jsonl` files of bundles
// (`gh attestation download`), and GitHub's attestations API. Each becomes an artifact of the
// image's graph, covering the digest its own signed subject names, and is verified like any other.
// Reading is in bundle-file (files) and github-api (the network, on the registry's HTTP stack).
export { readBundleFile } from './bundle-file';
export { bundlesFromFile } from './bundle-lines';
export type { ExternalBundle } from './bundle-lines';
export { externalArtifacts, withExternalArtifacts } from './external-artifacts';
export type { ExternalArtifacts } from './external-artifacts';
export { githubAttestations } from './github-api';
export { MAX_API_DIGESTS, addImageAttestations } from './image-attestations';
export type { ImageAttestationSources, WithImageAttestations } from './image-attestations';
export type { GithubApiOptions, GithubAttestations } from './github-api';
export { DiskAttestationCache, MemoryAttestationCache } from './github-api-cache';
export type { AttestationCache } from './github-api-cache';

// @sigstore/oci, the client actions/attest-build-provenance attaches attestations with.
// Its 0.6.0 requires `promise-retry` without declaring it: it relied on make-fetch-happen
// (up to 15.0.3) bringing that package along, and make-fetch-happen 15.0.4 replaced it with
// `@gar/promise-retry`, so with the make-fetch-happen npm installs today `@sigstore/oci` cannot
// be loaded ("Cannot find module 'promise-retry'"; 0.7, which no longer needs it, needs Node 22).
// Only when that lookup from inside @sigstore/oci fails is it answered with ./promise-retry.
import Module from 'node:module';
import type * as SigstoreOci from '@sigstore/oci';

type ResolveFilename = (request: string, parent: { filename?: string | null } | undefined, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: ResolveFilename };
const resolveFilename = loader._resolveFilename;
const OCI_PACKAGE = /[\\/]node_modules[\\/]@sigstore[\\/]oci[\\/]/;
loader._resolveFilename = function resolveMissingPromiseRetry(this: unknown, request, parent, ...rest) {
  try {
    return resolveFilename.call(this, request, parent, ...rest);
  } catch (err) {
    if (request !== 'promise-retry' || !OCI_PACKAGE.test(parent?.filename ?? '')) throw err;
    return require.resolve('./promise-retry');
  }
};

// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the resolver above is in place
export const { attachArtifactToImage } = require('@sigstore/oci') as typeof SigstoreOci;

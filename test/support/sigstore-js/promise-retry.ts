// What @sigstore/oci 0.6.0 loads as `promise-retry` (see oci-client.ts): the maintained fork
// that make-fetch-happen itself switched to, `promiseRetry(fn, options)` with the same contract,
// found through declared dependencies only (@sigstore/oci -> make-fetch-happen -> the fork) and
// exported as promise-retry's module value.
import { createRequire } from 'node:module';

const fromOci = createRequire(require.resolve('@sigstore/oci'));
const fromFetch = createRequire(fromOci.resolve('make-fetch-happen'));
const { promiseRetry } = fromFetch('@gar/promise-retry') as { promiseRetry: (...args: unknown[]) => Promise<unknown> };

export = promiseRetry;

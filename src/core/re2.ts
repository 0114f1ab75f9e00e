// RE2 (re2js), loaded on first use: identity patterns and goreleaser's filter functions need it,
// activation and most commands do not. A synchronous require, since the matchers are synchronous;
// in the bundles it is the split file dist/re2js.js (scripts/build.mjs, LAZY).
import type * as Re2js from 're2js';
import type { RE2JS } from 're2js';

let loaded: typeof RE2JS | undefined;

export function re2(): typeof RE2JS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily on purpose
  loaded ??= (require('re2js') as typeof Re2js).RE2JS;
  return loaded;
}

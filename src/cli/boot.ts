// dist/cli.js, the program `provenance-lens` runs: small on purpose. It compiles the CLI's bundles
// through a V8 code cache in the user's cache folder (src/core/code-cache.ts) and runs the entry chunk,
// dist/cli/main.js (src/cli/main.ts), which loads each command's chunk when that command runs
// (scripts/build.mjs).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { existingUserCacheDir } from '../core/user-cache-dir';
import { installCodeCache } from '../core/code-cache';

// undici parses HTTP with llhttp compiled to WebAssembly. V8 runs it with its baseline compiler
// (Liftoff) and recompiles hot functions with TurboFan on a background thread, and Node waits for
// background compilations before it exits: 40 to 200 ms after the output, for a few kB of
// headers that the baseline code parses as fast. Set before anything is compiled, so that the
// code cache is always made and read under the same flags (V8 refuses data made under others).
setFlagsFromString('--liftoff-only');
const cacheDir = existingUserCacheDir();
if (cacheDir !== undefined) installCodeCache({ root: __dirname, dir: join(cacheDir, 'v8-code') });
createRequire(__filename)('./cli/main.js');

// dist/cli.js, the program `provenance-lens` runs: small on purpose. It compiles the CLI's bundles
// through a V8 code cache in the user's cache folder (code-cache.ts) and runs the entry chunk,
// dist/cli/main.js (src/cli/main.ts), which loads each command's chunk when that command runs
// (scripts/build.mjs).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { existingUserCacheDir } from '../core/user-cache-dir';
import { installCodeCache } from './code-cache';

const cacheDir = existingUserCacheDir();
if (cacheDir !== undefined) installCodeCache({ root: __dirname, dir: join(cacheDir, 'v8-code') });
createRequire(__filename)('./cli/main.js');

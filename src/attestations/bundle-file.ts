import { open } from 'node:fs/promises';
import { LensError, describeError } from '../core/errors';
import type { ExternalBundle } from './bundle-lines';
import { MAX_BUNDLE_BYTES, MAX_EXTERNAL_BUNDLES, bundlesFromFile } from './bundle-lines';

/** Largest bundle file read: every bundle at its limit would not fit, but a real `.jsonl` is kilobytes a line. */
export const MAX_BUNDLE_FILE_BYTES = 16 * 1024 * 1024;

/** Reads a bundle file or `.jsonl` (the edge: the rest of this folder is pure). USAGE when unreadable or too large. */
export async function readBundleFile(path: string): Promise<ExternalBundle[]> {
  let bytes: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size > MAX_BUNDLE_FILE_BYTES) {
        throw new LensError(
          'USAGE',
          `${path} is ${size} bytes, over the ${MAX_BUNDLE_FILE_BYTES}-byte limit for a bundle file (at most ${MAX_EXTERNAL_BUNDLES} bundles of ${MAX_BUNDLE_BYTES} bytes).`,
          { path },
        );
      }
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (e) {
    if (e instanceof LensError) throw e;
    throw new LensError('USAGE', `Cannot read the bundle file ${path}: ${describeError(e)}`, { path }, { cause: e });
  }
  return bundlesFromFile(bytes, path);
}

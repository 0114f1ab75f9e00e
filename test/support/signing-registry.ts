// A test registry beside a mini Sigstore whose trusted root is written to a scratch folder: what
// a test, bench or demo of signed releases starts first. stop() stops both and removes the folder;
// when either fails to start, whatever did start is stopped before the error is thrown.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry } from './registry';
import type { RegistryOptions, TestRegistry } from './registry';
import { createMiniSigstore } from './sigstore/mini-sigstore';
import type { MiniSigstore } from './sigstore/mini-sigstore';

export interface SigningRegistry {
  readonly registry: TestRegistry;
  readonly sigstore: MiniSigstore;
  /** The mini Sigstore's trusted_root.json, in `dir`. */
  readonly trustedRoot: string;
  /** Scratch folder (`pl-<name>-*` in the temporary folder), removed by stop(). */
  readonly dir: string;
  stop(): Promise<void>;
}

/** Starts the registry and the mini Sigstore side by side and writes the trusted root. */
export async function startSigningRegistry(name: string, options: RegistryOptions = {}): Promise<SigningRegistry> {
  const [registry, sigstore] = await Promise.allSettled([startRegistry(options), createMiniSigstore()]);
  const dir = mkdtempSync(join(tmpdir(), `pl-${name}-`));
  const stop = async (): Promise<void> => {
    if (registry.status === 'fulfilled') await registry.value.stop();
    if (sigstore.status === 'fulfilled') await sigstore.value.dispose();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (registry.status === 'rejected') throw registry.reason;
    if (sigstore.status === 'rejected') throw sigstore.reason;
    return { registry: registry.value, sigstore: sigstore.value, trustedRoot: await sigstore.value.writeTrustedRoot(dir), dir, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

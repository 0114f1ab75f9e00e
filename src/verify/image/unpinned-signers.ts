// Who signed what "unpinned" is about. Types only from the engine, so the panel model and the
// CLI can use it without loading the verifier.
import type { ImageVerification } from './verify-graph';

/**
 * The distinct signers (certificate identity and issuer) of valid signatures nobody pinned: what
 * "unpinned" asks the user to decide about. Named to the user, never pinned for them.
 */
export function unpinnedSigners(verification: Pick<ImageVerification, 'artifacts'>): Array<{ identity: string; issuer?: string }> {
  const seen = new Map<string, { identity: string; issuer?: string }>();
  for (const a of verification.artifacts) {
    if (a.state !== 'unpinned' || a.identity === undefined) continue;
    seen.set(`${a.identity}\0${a.issuer ?? ''}`, { identity: a.identity, ...(a.issuer !== undefined ? { issuer: a.issuer } : {}) });
  }
  return [...seen.values()];
}

import type { TransparencyLogEntry } from '@sigstore/bundle';
import type { SignatureCheck } from '../checks';
import { check } from '../checks';

/**
 * An inclusion proof's signed checkpoint must be about the proof's own tree. The checkpoint is a
 * signed note (https://github.com/transparency-dev/formats/blob/main/log/README.md): origin,
 * tree size and root hash, a blank line, then signature lines only. `@sigstore/verify` 3.1
 * proves inclusion against the checkpoint's size and root, and never compares them with the
 * proof's `treeSize` and `rootHash` (its verifyCheckpoint says it does), nor refuses text after
 * the signature lines; sigstore-go, and so cosign, refuse both. So a bundle whose proof fields
 * contradict its checkpoint verified here alone.
 */
export function checkpointChecks(entries: readonly TransparencyLogEntry[]): SignatureCheck[] {
  const out: SignatureCheck[] = [];
  entries.forEach((e, i) => {
    const proof = e.inclusionProof;
    const envelope = proof?.checkpoint?.envelope;
    if (proof === undefined || !envelope) return;
    const split = envelope.indexOf('\n\n');
    // No blank line: @sigstore/verify refuses the checkpoint itself (TLOG_INCLUSION_PROOF_ERROR).
    if (split < 0) return;
    const [, size, root] = envelope.slice(0, split).split('\n');
    const evidence = { logIndex: e.logIndex };
    if (!/^(?:\u2014 \S+ \S+\n)+$/.test(envelope.slice(split + 2))) {
      out.push(check('TLOG', 'fail', `The signed checkpoint of log entry ${i} has text that is not a signature line after its note.`, evidence));
    } else {
      const sameSize = size === proof.treeSize;
      const sameRoot = root !== undefined && Buffer.from(root, 'base64').equals(Buffer.from(proof.rootHash));
      if (sameSize && sameRoot) return;
      const what = sameSize
        ? 'another root hash than its signed checkpoint'
        : `a tree of size ${proof.treeSize}, its signed checkpoint one of size ${size ?? '(none)'}`;
      out.push(check('TLOG', 'fail', `The inclusion proof of log entry ${i} names ${what}: the proof and the checkpoint do not belong together.`, evidence));
    }
  });
  return out;
}

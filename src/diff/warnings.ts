import type { Signer } from '../model/cause';
import type { DiffSide } from './side';
import { signerKey } from './signers';
import type { DiffWarning, ImageDiff } from './types';

/**
 * The changes a reviewer should stop at (docs/codes.md, "Diff warnings"), most alarming first: a
 * different signer than last time is the clearest early sign of a compromised pipeline; a release
 * tag built from another commit means the tag moved, or a build did not come from the tag it
 * names; a platform gone leaves its users on the old release; an attestation gone leaves the
 * release without what verified it before.
 */
export function diffWarnings(diff: Pick<ImageDiff, 'signers' | 'platforms' | 'attestations'>, old: DiffSide, next: DiffSide): DiffWarning[] {
  const out: DiffWarning[] = [];
  if (diff.signers.changed) out.push({ code: 'SIGNER_CHANGED', message: signerMessage(diff.signers.old, diff.signers.new, old.image.verdict !== undefined) });
  out.push(...sameRefOtherCommit(old, next));
  if (diff.platforms.removed.length > 0) {
    out.push({
      code: 'PLATFORM_REMOVED',
      message: `${list(diff.platforms.removed)} ${diff.platforms.removed.length === 1 ? 'is' : 'are'} in the old image and not in the new one: a runtime there finds no image to pull.`,
    });
  }
  if (diff.attestations.removed.length > 0) {
    out.push({ code: 'ATTESTATION_DROPPED', message: `The new image carries no ${list(diff.attestations.removed)} attestation, which the old one had.` });
  }
  // Still there but no longer signed: an unsigned statement (BuildKit's, in the index) says what the builder wrote, and nobody vouches for it.
  if (diff.attestations.unsigned.length > 0) {
    const policy = old.image.verdict !== undefined;
    out.push({
      code: 'ATTESTATION_DROPPED',
      message: `The new image carries ${list(diff.attestations.unsigned)} only unsigned (or with a signature that ${policy ? 'the policy does not verify' : 'does not verify'}); the old one had ${diff.attestations.unsigned.length === 1 ? 'it' : 'them'} signed.`,
    });
  }
  return out;
}

const list = (xs: readonly string[]): string => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]!}`);

export function signerText(s: Signer): string {
  return 'keyId' in s ? `the key ${s.keyId}` : `${s.identity}${s.issuer ? ` (issuer ${s.issuer})` : ''}`;
}

function signerMessage(old: readonly Signer[], next: readonly Signer[], policy: boolean): string {
  const none = `no signature or attestation that verifies${policy ? ' under the policy' : ''}`;
  const was = new Set(old.map(signerKey));
  const now = new Set(next.map(signerKey));
  const gone = old.filter((s) => !now.has(signerKey(s))).map(signerText);
  const came = next.filter((s) => !was.has(signerKey(s))).map(signerText);
  if (next.length === 0) return `The new image has ${none}; the old one was signed by ${list(gone)}.`;
  if (old.length === 0) return `The new image is signed by ${list(came)}; the old one had ${none}.`;
  const parts = [came.length ? `signed by ${list(came)}` : '', gone.length ? `no longer by ${list(gone)}` : ''].filter(Boolean);
  return `The new image is ${parts.join(', and ')}.`;
}

/**
 * A release tag (`refs/tags/*`) that both images name as their source, built from different
 * commits. Branches move by design (a new commit on `main` is the normal case); a tag that
 * points elsewhere was moved, or one build did not come from the tag it claims.
 */
function sameRefOtherCommit(old: DiffSide, next: DiffSide): DiffWarning[] {
  const commits = (side: DiffSide): Map<string, Set<string>> => {
    const by = new Map<string, Set<string>>();
    for (const s of side.provenance) {
      const ref = s.fields.get('source.ref');
      const commit = s.fields.get('source.commit');
      if (ref === undefined || commit === undefined || !ref.startsWith('refs/tags/')) continue;
      if (!by.has(ref)) by.set(ref, new Set());
      by.get(ref)!.add(commit);
    }
    return by;
  };
  const was = commits(old);
  const now = commits(next);
  const out: DiffWarning[] = [];
  for (const [ref, after] of now) {
    const before = was.get(ref);
    if (before === undefined || (before.size === after.size && [...after].every((c) => before.has(c)))) continue;
    out.push({
      code: 'SAME_REF_OTHER_COMMIT',
      message: `Both images say they were built from ${ref}: the old one from commit ${[...before].sort().join(', ')}, the new one from ${[...after].sort().join(', ')}. The tag was moved, or a build did not come from the tag it names.`,
    });
  }
  return out;
}

// How the Releases view says that an image is signed by other signers than the release before it
// (src/releases/signer-watch.ts): on the image's first child and on its release's row.
import type { SignerChangeSeen } from '../releases/signer-watch';
import { safeText } from '../releases/artifact-words';

/** The image's note: "Signed by other signers than v1.0.0". */
export function signerChangedText(seen: SignerChangeSeen): string {
  return `Signed by other signers than ${safeText(seen.previousTag, 60)}`;
}

const list = (xs: readonly string[]): string => (xs.length === 0 ? 'nobody whose signature verifies' : xs.map((x) => safeText(x, 300)).join('; '));

/** The whole story, for the note's tooltip: who signed then, who signs now, and where to look. */
export function signerChangedTooltip(seen: SignerChangeSeen): string {
  return [
    `Signed by other signers than ${safeText(seen.previous, 300)}, the release before.`,
    `Then: ${list(seen.beforeText)}.`,
    `Now: ${list(seen.afterText)}.`,
    'A different signer than last time can mean a compromised pipeline. Click to compare the two releases.',
  ].join('\n');
}

/** For the release's row: "signer changed since v1.0.0", or how many images changed signer. */
export function releaseSignerChange(changes: readonly { seen: SignerChangeSeen }[]): string | undefined {
  if (changes.length === 0) return undefined;
  const tags = new Set(changes.map((c) => c.seen.previousTag));
  return tags.size === 1 ? `signer changed since ${safeText([...tags][0]!, 60)}` : `${changes.length} images: signer changed`;
}

// The words a comparison is shown in, for `provenance-lens diff` and the editor's diff view
// alike: one reader meets one vocabulary whichever surface answers. Values are returned as the
// images wrote them; each surface makes them safe for its own medium (a terminal, a webview).
import type { ArtifactFormat } from '../model/image-graph';
import { signerKey } from './signers';
import type { AttestationsDiff, PlatformsDiff, Signer, SignersDiff } from './types';
import { signerText } from './warnings';

/** Where a provenance statement was found. */
export const FROM_WORDS: Readonly<Record<ArtifactFormat, string>> = {
  'buildkit-index': 'BuildKit, in the index (unsigned)',
  'cosign-tag': 'cosign .att',
  referrer: 'OCI referrer',
  'bundle-file': 'bundle file',
  'github-api': "GitHub's attestations API",
};

export const NO_CHANGE = 'No change: the same image, with the same signers, attestations, provenance and SBOMs.';
export const NO_WARNINGS = 'No warnings.';
/** Said beside provenance changes: the statements are read, not verified. */
export const PROVENANCE_NOT_VERIFIED = 'not verified: the signers above say who vouches for it';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** How a platform changed: `changed` is another manifest digest for the same platform. */
export const PLATFORM_CHANGE_WORDS = { changed: 'rebuilt', added: 'added', removed: 'removed', unchanged: 'unchanged' } as const;

/** "1 rebuilt, 1 removed, 2 unchanged", or "none". */
export function platformCounts(p: PlatformsDiff): string {
  const w = PLATFORM_CHANGE_WORDS;
  const counts = [
    [p.changed.length, w.changed],
    [p.added.length, w.added],
    [p.removed.length, w.removed],
    [p.unchanged.length, w.unchanged],
  ] as const;
  return (
    counts
      .filter(([n]) => n > 0)
      .map(([n, w]) => `${n} ${w}`)
      .join(', ') || 'none'
  );
}

export function signersSummary(s: SignersDiff): string {
  if (s.changed) return 'changed';
  return `unchanged${s.new.length ? '' : ' (none: no signature or attestation that verifies)'}`;
}

export interface SignerRow {
  /** `removed`: signed the old image only; `added`: the new one only; `kept`: both. */
  readonly change: 'removed' | 'added' | 'kept';
  readonly signer: Signer;
  /** signerText: the identity (and issuer), or the key. */
  readonly text: string;
}

/** A signer row in words, where a mark (`-`, `+`, `=`) does not fit. */
export const SIGNER_CHANGE_WORDS = { removed: 'signed the old image only', added: 'signs the new image only', kept: 'signs both' } as const;

/** Who signed which: gone first, then new, then those who signed both (every signer of the new image when nothing changed). */
export function signerRows(s: SignersDiff): SignerRow[] {
  const row =
    (change: SignerRow['change']) =>
    (signer: Signer): SignerRow => ({ change, signer, text: signerText(signer) });
  if (!s.changed) return s.new.map(row('kept'));
  const was = new Set(s.old.map(signerKey));
  const now = new Set(s.new.map(signerKey));
  return [
    ...s.old.filter((x) => !now.has(signerKey(x))).map(row('removed')),
    ...s.new.filter((x) => !was.has(signerKey(x))).map(row('added')),
    ...s.new.filter((x) => was.has(signerKey(x))).map(row('kept')),
  ];
}

export interface AttestationRow {
  /** `unsigned`: still carried, but no longer signed (AttestationsDiff.unsigned). */
  readonly change: 'removed' | 'added' | 'unsigned';
  readonly predicateType: string;
}

export function attestationRows(a: AttestationsDiff): AttestationRow[] {
  return [
    ...a.removed.map((predicateType) => ({ change: 'removed' as const, predicateType })),
    ...a.unsigned.map((predicateType) => ({ change: 'unsigned' as const, predicateType })),
    ...a.added.map((predicateType) => ({ change: 'added' as const, predicateType })),
  ];
}

/** "unchanged", or how many predicate types were added, dropped or left unsigned. */
export function attestationsSummary(a: AttestationsDiff): string {
  const n = attestationRows(a).length;
  return n === 0 ? 'unchanged' : `${n} changed`;
}

/** Beside an attestation that is still there, unsigned now. */
export const NO_LONGER_SIGNED = 'no longer signed';

export const ATTESTATION_CHANGE_WORDS = { removed: 'dropped', added: 'added', unsigned: NO_LONGER_SIGNED } as const;

export function provenanceSummary(changes: number): string {
  return changes === 0 ? 'unchanged' : `${plural(changes, 'field')} changed (${PROVENANCE_NOT_VERIFIED})`;
}

export function sbomSummary(changes: number): string {
  return changes === 0 ? 'unchanged (or no SBOM to compare)' : `${changes} changed`;
}

/** A field's or package's value: `(none)` when that side has none, `(no version)` when listed without one. */
export function valueWords(v: string | null): string {
  return v === null ? '(none)' : v === '' ? '(no version)' : v;
}

/** How a package changed: `+` only in the new SBOM, `-` only in the old, `~` another version. */
export function packageMark(c: { old: string | null; new: string | null }): '+' | '-' | '~' {
  return c.old === null ? '+' : c.new === null ? '-' : '~';
}

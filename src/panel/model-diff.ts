// The diff view's model: a comparison from src/diff (the engine of `provenance-lens diff`) in
// that command's words (src/diff/words.ts), as plain JSON for the page. Values are passed as the
// images wrote them; the page renders every one as text.
import {
  ATTESTATION_CHANGE_WORDS,
  attestationsSummary,
  FROM_WORDS,
  NO_CHANGE,
  NO_WARNINGS,
  PLATFORM_CHANGE_WORDS,
  SIGNER_CHANGE_WORDS,
  attestationRows,
  packageMark,
  platformCounts,
  provenanceSummary,
  sbomSummary,
  signerRows,
  signersSummary,
  valueWords,
} from '../diff';
import type { DiffImage, ImageDiff } from '../diff';
import type { PanelDiff, PanelDiffImage, PanelDiffPlatform, PanelDiffProvenanceGroup } from '../protocol/panel';
import { diffTitle, shortImageName } from './diff-title';
import { PANEL_STATES } from './model';

/** Package changes the view lists; the rest are counted (the CLI's `--json` lists every one). */
export const DIFF_VIEW_MAX_PACKAGES = 500;

function image(i: DiffImage): PanelDiffImage {
  return {
    reference: i.reference,
    name: shortImageName(i.reference),
    digest: i.digest,
    ...(i.verdict ? { verdict: { state: i.verdict.state, label: PANEL_STATES[i.verdict.state].label } } : {}),
  };
}

/** Each side's platforms (as it writes them) and their manifest digests: the engine lists added, removed and unchanged platforms by name only. */
export interface PlatformDigests {
  readonly old: ReadonlyMap<string, string>;
  readonly new: ReadonlyMap<string, string>;
}

function platforms(d: ImageDiff, digests: PlatformDigests): PanelDiffPlatform[] {
  const w = PLATFORM_CHANGE_WORDS;
  const p = d.platforms;
  const on = (side: 'old' | 'new', platform: string): { old?: string; new?: string } => {
    const digest = digests[side].get(platform);
    return digest === undefined ? {} : side === 'old' ? { old: digest } : { new: digest };
  };
  return [
    ...p.changed.map((c) => ({ platform: c.platform, change: 'changed' as const, words: w.changed, old: c.old, new: c.new })),
    ...p.added.map((platform) => ({ platform, change: 'added' as const, words: w.added, ...on('new', platform) })),
    ...p.removed.map((platform) => ({ platform, change: 'removed' as const, words: w.removed, ...on('old', platform) })),
    // Unchanged: the same manifest on both sides (the new image's spelling of the platform).
    ...p.unchanged.map((platform) => {
      const same = digests.new.get(platform);
      return { platform, change: 'unchanged' as const, words: w.unchanged, ...(same === undefined ? {} : { old: same, new: same }) };
    }),
  ];
}

function provenance(d: ImageDiff): PanelDiffProvenanceGroup[] {
  const groups: Array<{ platform: string; from: string; changes: Array<{ field: string; old: string; new: string }> }> = [];
  for (const c of d.provenance) {
    const from = FROM_WORDS[c.from];
    let g = groups.at(-1);
    if (g === undefined || g.platform !== c.platform || g.from !== from) groups.push((g = { platform: c.platform, from, changes: [] }));
    g.changes.push({ field: c.field, old: valueWords(c.old), new: valueWords(c.new) });
  }
  return groups;
}

/**
 * The view of `diff`. `digests`: each side's platforms and their manifest digests (from the
 * sides the engine compared), for the rows the engine lists by name only.
 */
export function toPanelDiff(d: ImageDiff, digests: PlatformDigests, maxPackages = DIFF_VIEW_MAX_PACKAGES): PanelDiff {
  const signers = signerRows(d.signers);
  const attestations = attestationRows(d.attestations);
  const packages = d.sbom
    .slice(0, maxPackages)
    .map((c) => ({ platform: c.platform, mark: packageMark(c), package: c.package, old: valueWords(c.old), new: valueWords(c.new) }));
  return {
    title: diffTitle(d.old.reference, d.new.reference),
    old: image(d.old),
    new: image(d.new),
    changed: d.changed,
    ...(d.changed ? {} : { unchanged: NO_CHANGE }),
    warnings: d.warnings.map((w) => ({ code: w.code, message: w.message })),
    noWarnings: NO_WARNINGS,
    platforms: {
      title: 'Platforms',
      summary: platformCounts(d.platforms),
      rows: platforms(d, digests),
      changed: d.platforms.added.length + d.platforms.removed.length + d.platforms.changed.length > 0,
    },
    signers: {
      title: 'Signers',
      summary: signersSummary(d.signers),
      changed: d.signers.changed,
      rows: signers.map((r) => ({ change: r.change, words: SIGNER_CHANGE_WORDS[r.change], signer: r.text })),
    },
    attestations: {
      title: 'Attestations',
      summary: attestationsSummary(d.attestations),
      changed: attestations.length > 0,
      rows: attestations.map((r) => ({ change: r.change, words: ATTESTATION_CHANGE_WORDS[r.change], predicateType: r.predicateType })),
    },
    provenance: { title: 'Provenance', summary: provenanceSummary(d.provenance.length), changed: d.provenance.length > 0, groups: provenance(d) },
    sbom: { title: 'SBOM packages', summary: sbomSummary(d.sbom.length), changed: d.sbom.length > 0, rows: packages, more: d.sbom.length - packages.length },
    notes: d.notes.map((n) => ({ ...(n.side ? { side: n.side } : {}), code: n.code, message: n.message })),
    states: PANEL_STATES,
  };
}

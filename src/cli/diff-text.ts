import type { DiffImage, ImageDiff, ProvenanceChange, SbomChange } from '../diff';
import {
  FROM_WORDS,
  NO_CHANGE,
  NO_LONGER_SIGNED,
  NO_WARNINGS,
  attestationRows,
  packageMark,
  platformCounts,
  provenanceSummary,
  sbomSummary,
  signerRows,
  signersSummary,
  valueWords,
} from '../diff';
import { terminalText, short, verdictMark } from './format';

// The text of `provenance-lens diff`: the two images, the warnings first, then one short block
// per part that changed. Everything the registry or an image supplied goes through terminalText.

/** Package changes printed; `--json` lists every one. */
const SBOM_SHOWN = 25;

export function renderDiff(d: ImageDiff): string {
  const out = ['Comparing', image('old', d.old), image('new', d.new), ''];
  if (!d.changed) {
    out.push(NO_CHANGE);
  } else {
    if (d.warnings.length === 0) out.push(NO_WARNINGS);
    else out.push('Warnings:', ...d.warnings.map((w) => `  ! ${w.code}: ${terminalText(w.message)}`));
    out.push('', ...platforms(d), ...signers(d), ...attestations(d), ...provenance(d.provenance), ...sbom(d.sbom));
  }
  if (d.notes.length > 0) out.push('', 'Not compared:', ...d.notes.map((n) => `  - ${n.side ? `${n.side}: ` : ''}${terminalText(n.message)}`));
  return `${out.join('\n')}\n`;
}

function image(side: 'old' | 'new', i: DiffImage): string {
  return `  ${side}  ${terminalText(i.reference)}  ${i.digest}${i.verdict ? `  ${verdictMark(i.verdict.state)}` : ''}`;
}

function platforms(d: ImageDiff): string[] {
  const p = d.platforms;
  const lines = [`Platforms: ${platformCounts(p)}`];
  for (const c of p.changed) lines.push(`  ~ ${terminalText(c.platform)}  ${short(c.old)} → ${short(c.new)}`);
  for (const a of p.added) lines.push(`  + ${terminalText(a)}`);
  for (const r of p.removed) lines.push(`  - ${terminalText(r)}`);
  return lines;
}

const SIGNER_MARK = { removed: '-', added: '+', kept: '=' } as const;

function signers(d: ImageDiff): string[] {
  return [`Signers: ${signersSummary(d.signers)}`, ...signerRows(d.signers).map((r) => `  ${SIGNER_MARK[r.change]} ${terminalText(r.text)}`)];
}

function attestations(d: ImageDiff): string[] {
  const rows = attestationRows(d.attestations);
  if (rows.length === 0) return ['Attestations: unchanged'];
  const line = (r: (typeof rows)[number]): string =>
    r.change === 'unsigned'
      ? `  ! ${terminalText(r.predicateType)} (${NO_LONGER_SIGNED})`
      : `  ${r.change === 'removed' ? '-' : '+'} ${terminalText(r.predicateType)}`;
  return ['Attestations:', ...rows.map(line)];
}

function provenance(changes: readonly ProvenanceChange[]): string[] {
  if (changes.length === 0) return ['Provenance: unchanged'];
  const lines = [`Provenance: ${provenanceSummary(changes.length)}`];
  let group = '';
  for (const c of changes) {
    const head = `  ${terminalText(c.platform)} · ${FROM_WORDS[c.from]}`;
    if (head !== group) lines.push((group = head));
    lines.push(`    ${terminalText(c.field)}: ${value(c.old)} → ${value(c.new)}`);
  }
  return lines;
}

function sbom(changes: readonly SbomChange[]): string[] {
  if (changes.length === 0) return [`SBOM packages: ${sbomSummary(0)}`];
  const lines = [`SBOM packages: ${sbomSummary(changes.length)}`];
  let group = '';
  for (const c of changes.slice(0, SBOM_SHOWN)) {
    if (c.platform !== group) lines.push(`  ${terminalText((group = c.platform))}`);
    const mark = packageMark(c);
    lines.push(`    ${mark} ${terminalText(c.package)}  ${mark === '+' ? value(c.new) : mark === '-' ? value(c.old) : `${value(c.old)} → ${value(c.new)}`}`);
  }
  if (changes.length > SBOM_SHOWN) lines.push(`  … and ${changes.length - SBOM_SHOWN} more (--json lists them)`);
  return lines;
}

const value = (v: string | null): string => terminalText(valueWords(v));

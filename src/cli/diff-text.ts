import type { DiffImage, ImageDiff, ProvenanceChange, SbomChange } from '../diff';
import { signerText } from '../diff';
import { safeText, short, verdictMark } from './format';

// The text of `provenance-lens diff`: the two images, the warnings first, then one short block
// per part that changed. Everything the registry or an image supplied goes through safeText.

/** Package changes printed; `--json` lists every one. */
const SBOM_SHOWN = 25;

const FROM: Record<ProvenanceChange['from'], string> = {
  'buildkit-index': 'BuildKit, in the index (unsigned)',
  'cosign-tag': 'cosign .att',
  referrer: 'OCI referrer',
  'bundle-file': 'bundle file',
  'github-api': "GitHub's attestations API",
};

export function renderDiff(d: ImageDiff): string {
  const out = ['Comparing', image('old', d.old), image('new', d.new), ''];
  if (!d.changed) {
    out.push('No change: the same image, with the same signers, attestations, provenance and SBOMs.');
  } else {
    if (d.warnings.length === 0) out.push('No warnings.');
    else out.push('Warnings:', ...d.warnings.map((w) => `  ! ${w.code}: ${safeText(w.message)}`));
    out.push('', ...platforms(d), ...signers(d), ...attestations(d), ...provenance(d.provenance), ...sbom(d.sbom));
  }
  if (d.notes.length > 0) out.push('', 'Not compared:', ...d.notes.map((n) => `  - ${n.side ? `${n.side}: ` : ''}${safeText(n.message)}`));
  return `${out.join('\n')}\n`;
}

function image(side: 'old' | 'new', i: DiffImage): string {
  return `  ${side}  ${safeText(i.reference)}  ${i.digest}${i.verdict ? `  ${verdictMark(i.verdict.state)}` : ''}`;
}

function platforms(d: ImageDiff): string[] {
  const p = d.platforms;
  const counts = [[p.changed.length, 'rebuilt'], [p.added.length, 'added'], [p.removed.length, 'removed'], [p.unchanged.length, 'unchanged']] as const;
  const lines = [`Platforms: ${counts.filter(([n]) => n > 0).map(([n, w]) => `${n} ${w}`).join(', ') || 'none'}`];
  for (const c of p.changed) lines.push(`  ~ ${safeText(c.platform)}  ${short(c.old)} → ${short(c.new)}`);
  for (const a of p.added) lines.push(`  + ${safeText(a)}`);
  for (const r of p.removed) lines.push(`  - ${safeText(r)}`);
  return lines;
}

function signers(d: ImageDiff): string[] {
  const s = d.signers;
  const text = (x: Parameters<typeof signerText>[0]): string => safeText(signerText(x));
  if (!s.changed) return [`Signers: unchanged${s.new.length ? '' : ' (none: no signature or attestation that verifies)'}`, ...s.new.map((x) => `  = ${text(x)}`)];
  const was = new Set(s.old.map(text));
  const now = new Set(s.new.map(text));
  return [
    'Signers: changed',
    ...s.old.filter((x) => !now.has(text(x))).map((x) => `  - ${text(x)}`),
    ...s.new.filter((x) => !was.has(text(x))).map((x) => `  + ${text(x)}`),
    ...s.new.filter((x) => was.has(text(x))).map((x) => `  = ${text(x)}`),
  ];
}

function attestations(d: ImageDiff): string[] {
  const a = d.attestations;
  if (a.added.length + a.removed.length === 0) return ['Attestations: unchanged'];
  return ['Attestations:', ...a.removed.map((t) => `  - ${safeText(t)}`), ...a.added.map((t) => `  + ${safeText(t)}`)];
}

function provenance(changes: readonly ProvenanceChange[]): string[] {
  if (changes.length === 0) return ['Provenance: unchanged'];
  const lines = [`Provenance: ${changes.length} field${changes.length === 1 ? '' : 's'} changed (not verified: the signers above say who vouches for it)`];
  let group = '';
  for (const c of changes) {
    const head = `  ${safeText(c.platform)} · ${FROM[c.from]}`;
    if (head !== group) lines.push((group = head));
    lines.push(`    ${safeText(c.field)}: ${value(c.old)} → ${value(c.new)}`);
  }
  return lines;
}

function sbom(changes: readonly SbomChange[]): string[] {
  if (changes.length === 0) return ['SBOM packages: unchanged (or no SBOM to compare)'];
  const lines = [`SBOM packages: ${changes.length} changed`];
  let group = '';
  for (const c of changes.slice(0, SBOM_SHOWN)) {
    if (c.platform !== group) lines.push(`  ${safeText((group = c.platform))}`);
    const mark = c.old === null ? '+' : c.new === null ? '-' : '~';
    lines.push(`    ${mark} ${safeText(c.package)}  ${c.old === null ? value(c.new) : c.new === null ? value(c.old) : `${value(c.old)} → ${value(c.new)}`}`);
  }
  if (changes.length > SBOM_SHOWN) lines.push(`  … and ${changes.length - SBOM_SHOWN} more (--json lists them)`);
  return lines;
}

const value = (v: string | null): string => (v === null ? '(none)' : v === '' ? '(no version)' : safeText(v));

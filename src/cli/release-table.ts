import { variableSource } from '../goreleaser/template-context';
import { VERDICTS } from '../model/verdict';
import type { DigestVerdict } from '../verify/image';
import { identityShort } from '../releases/cause-words';
import { wrap } from './cause-line';
import { terminalText, short } from './format';
import { pinHint, unpinnedSeen } from './pin-hint';
import type { ReleaseImageResult, ReleaseOutcome } from './release-rows';

/**
 * The text of `verify --release`, within WIDTH columns: each image's reference on a line of its
 * own, then a row per platform (digest, state, who signed it, attestations), with GitHub workflow
 * identities shortened (`owner/repo/release.yml@v1.2.3`; `--json` keeps them whole); below it, why
 * each image is not verified (its causes, wrapped), the unresolved variables and a summary.
 */
export const WIDTH = 120;
const HEAD = ['PLATFORM', 'DIGEST', 'STATE', 'SIGNED BY', 'ATTESTATIONS'] as const;
const SIGNER = 3;
const ATTESTATIONS = 4;
const INDENT = '  ';
const GAP = '  ';

const WHERE: Record<ReturnType<typeof variableSource>, string> = {
  env: 'set it with --env NAME=VALUE',
  tag: 'give --tag',
  git: 'run next to the git checkout',
  config: 'set project_name in the file',
  module: 'put the go.mod of the Go module beside the file',
  clock: 'known only when the release runs',
  release: 'known only when the release runs',
};

/** One image of the table: its reference line, and its rows (cells) or why it was not checked. */
interface ImageBlock {
  name: string;
  rows: string[][];
  notChecked?: string;
}

export function renderReleaseTable(file: string, tag: string, results: readonly ReleaseImageResult[], summary: ReleaseOutcome): string {
  const blocks = results.map(block);
  const widths = columnWidths(blocks.flatMap((b) => b.rows));
  const line = (r: readonly string[]) =>
    `${INDENT}${r.map((cell, c) => (c === r.length - 1 ? fit(cell, widths[c]!, c) : fit(cell, widths[c]!, c).padEnd(widths[c]!))).join(GAP)}`.trimEnd();
  const out = [`${terminalText(file)} at ${terminalText(tag)}: ${summary.images} image${summary.images === 1 ? '' : 's'}`, '', line(HEAD)];
  for (const b of blocks) {
    out.push(b.name, ...b.rows.map(line));
    if (b.notChecked !== undefined) out.push(...wrap(`${INDENT}not checked: ${b.notChecked}`, WIDTH, `${INDENT}  `));
  }
  out.push('');
  for (const r of results) {
    if (r.verdict === undefined || r.verdict.state === 'verified') continue;
    const name = terminalText(r.reference ?? r.template);
    if (r.verdict.state === 'excepted') {
      out.push(...wrap(`${name}: EXCEPTED: ${terminalText(r.verdict.coverage)}`, WIDTH, INDENT));
      continue;
    }
    out.push(`${name}: NOT VERIFIED (${VERDICTS[r.verdict.state].short})`);
    for (const c of r.verdict.causes) out.push(...wrap(`${INDENT}- ${terminalText(c.message)}`, WIDTH, `${INDENT}  `));
  }
  for (const r of results) {
    if (!r.signerChanged || r.previousRelease === undefined) continue;
    const name = terminalText(r.reference ?? r.template);
    out.push(
      ...wrap(
        `${name}: SIGNER CHANGED: signed by other signers than ${terminalText(r.previousRelease)}; \`provenance-lens diff ${terminalText(r.previousRelease)} ${name}\` shows who.`,
        WIDTH,
        INDENT,
      ),
    );
  }
  const unresolved = [...new Set(results.flatMap((r) => r.error?.unresolved ?? []))];
  if (unresolved.length > 0)
    out.push(...wrap(`Unresolved: ${unresolved.map((v) => `${terminalText(v)} (${WHERE[variableSource(v)]})`).join('; ')}.`, WIDTH, INDENT));
  const parts = (['verified', 'excepted', 'failed', 'unsigned', 'unpinned', 'notChecked'] as const)
    .filter((k) => summary[k] > 0)
    .map((k) => `${summary[k]} ${k === 'notChecked' ? 'not checked' : k}`);
  out.push(`Summary: ${parts.join(', ') || 'nothing to check'}; exit ${summary.exitCode}.`);
  out.push(...pinHint(unpinnedSeen(results.flatMap((r) => r.verdict?.causes ?? []))));
  return `${out.join('\n')}\n`;
}

function block(r: ReleaseImageResult): ImageBlock {
  const name = terminalText(r.reference ?? r.preview ?? r.template);
  if (r.error !== undefined || r.verdict === undefined) {
    return { name, rows: [], notChecked: r.error ? `${terminalText(r.error.message)} [${r.error.code}]` : 'no verdict' };
  }
  const index = r.verdict.digests.find((d) => d.target === 'index');
  const rows = r.platforms.map((p) => {
    const digest = r.verdict!.digests.find((d) => d.digest === p.digest && d.target === p.platform);
    const signers = p.signedBy.length > 0 ? p.signedBy.map(shortLabel) : digest ? mismatched(digest, index) : [];
    const missing = r
      .verdict!.checks.filter((c) => c.code === 'REQUIRED_ATTESTATION' && c.status === 'fail' && (c.evidence?.platforms ?? []).includes(p.platform))
      .map((c) => c.evidence?.requirement ?? c.evidence?.predicateType ?? 'a required attestation');
    const attestations = [...p.attestations.map(shortTypes), ...(p.missing.length > 0 ? missing : []).map((m) => `missing ${shortTypes(m)}`)];
    return [p.platform, p.digest === '-' ? '-' : short(p.digest), VERDICTS[p.state].short, signers.join(', ') || '-', attestations.join(', ') || '-'];
  });
  return { name, rows: rows.map((row) => row.map((cell) => terminalText(cell).replace(/ {2,}/g, ' '))) };
}

/** A failed platform's actual signers: those whose signatures verify but for their identity (its own, the index's). */
function mismatched(p: DigestVerdict, index: DigestVerdict | undefined): string[] {
  const own = (p.mismatchedBy ?? []).map(identityShort);
  const above = p.ownState === 'verified' || index === undefined ? [] : (index.mismatchedBy ?? []).map((s) => `${identityShort(s)} (index)`);
  return [...own, ...above];
}

/** `https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1 (index)` -> `o/r/release.yml@v1 (index)`. */
function shortLabel(label: string): string {
  const m = /^(.*?)( \((?:index|attestation|index attestation|unpinned)\))?$/.exec(label)!;
  return `${identityShort(m[1]!)}${m[2] ?? ''}`;
}

/**
 * `https://slsa.dev/provenance/v1` -> `slsa.dev/provenance/v1`; a requirement with alternatives
 * (`any of https://slsa.dev/provenance/v0.2, https://slsa.dev/provenance/v1`) -> `slsa.dev/provenance/{v0.2,v1}`.
 */
export function shortTypes(text: string): string {
  const types = text
    .replace(/^any of /, '')
    .split(', ')
    .map((t) => t.replace(/^https?:\/\//, ''));
  if (types.length === 1) return types[0]!;
  let stem = types[0]!.slice(0, types[0]!.lastIndexOf('/') + 1);
  while (stem !== '' && !types.every((t) => t.startsWith(stem))) stem = stem.slice(0, stem.lastIndexOf('/', stem.length - 2) + 1);
  return stem === '' ? types.join('|') : `${stem}{${types.map((t) => t.slice(stem.length)).join(',')}}`;
}

/**
 * Natural widths, then, if the rows would pass WIDTH, the signer column shrinks first (to no less
 * than 24 columns), then the attestations: a narrowed cell keeps its end (the ref, `(index)`).
 */
function columnWidths(rows: readonly string[][]): number[] {
  const widths = HEAD.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const total = () => INDENT.length + widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1);
  if (total() > WIDTH) widths[SIGNER] = Math.max(24, widths[SIGNER]! - (total() - WIDTH));
  if (total() > WIDTH) widths[ATTESTATIONS] = Math.max(HEAD[ATTESTATIONS].length, widths[ATTESTATIONS]! - (total() - WIDTH));
  return widths;
}

function fit(cell: string, width: number, column: number): string {
  if (cell.length <= width) return cell;
  return column === SIGNER ? `…${cell.slice(cell.length - width + 1)}` : `${cell.slice(0, width - 1)}…`;
}

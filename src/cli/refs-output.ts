import type { Cause } from '../model/cause';
import { VERDICTS } from '../model/verdict';
import type { ImageState } from '../model/verdict';
import { checkReference } from '../references/positions';
import type { ReferenceSite } from '../references/types';
import type { FileResult } from './refs-files';
import { terminalText } from './format';

/**
 * A verdict added by `refs --verify`, by reference (docs/refs-json.md, "verdict"): the engine's
 * state, or `no-policy` for an image the policy says nothing about (not fetched), or
 * `not-checked` with the error that kept it from a verdict.
 */
export interface SiteVerdict {
  readonly state: ImageState | 'no-policy';
  /** The digest the reference points to, as verified. */
  readonly digest?: string;
  readonly coverage?: string;
  /** Why it is not verified, as `verify --json`'s verdict.causes. */
  readonly causes?: readonly Cause[];
  /** The policy file's entry that applied. */
  readonly policyEntry?: string;
  readonly error?: { readonly code: string; readonly message: string };
}

/** How a verdict reads on the text output's row. */
function verdictWords(v: SiteVerdict): string {
  if (v.error) return `not checked: ${v.error.message} [${v.error.code}]`;
  if (v.state === 'no-policy') return 'no policy for this image';
  const cause = v.causes?.[0];
  return cause && v.state !== 'verified' ? `${VERDICTS[v.state].long}: ${cause.message}` : VERDICTS[v.state].long;
}

/** One reference in the JSON of docs/refs-json.md. */
export function siteJson(s: ReferenceSite, verdict?: SiteVerdict): Record<string, unknown> {
  const checked = s.reference !== null ? checkReference(s.reference) : undefined;
  return {
    reference: s.reference,
    raw: s.raw,
    line: s.line,
    column: s.column,
    endLine: s.endLine,
    endColumn: s.endColumn,
    ...(s.unresolved ? { unresolved: s.unresolved } : {}),
    ...(s.platform !== undefined ? { platform: s.platform } : {}),
    ...(checked?.ok ? { normalized: checked.normalized } : {}),
    ...(checked && !checked.ok ? { invalid: checked.message } : {}),
    via: s.via,
    ...(verdict ? { verdict } : {}),
  };
}

export function fileJson(f: FileResult, verdicts?: ReadonlyMap<ReferenceSite, SiteVerdict>): Record<string, unknown> {
  return {
    file: f.file,
    kind: f.kind,
    references: f.references.map((s) => siteJson(s, verdicts?.get(s))),
    ...(f.problems.length ? { problems: f.problems } : {}),
  };
}

/** The JSON document streamed file by file: `{"files": [ … ]}`, each file as soon as it is read. */
export class JsonStream {
  private first = true;

  constructor(private readonly out: { write(s: string): unknown }) {
    out.write('{\n  "files": [');
  }

  file(json: Record<string, unknown>): void {
    const body = JSON.stringify(json, null, 2).replace(/\n/g, '\n    ');
    this.out.write(`${this.first ? '\n' : ',\n'}    ${body}`);
    this.first = false;
  }

  /** Closes the document; `summary` (refs --verify) is added after the files. */
  end(summary?: object): void {
    const tail = summary === undefined ? '' : `,\n  "summary": ${JSON.stringify(summary)}`;
    this.out.write(`${this.first ? ']' : '\n  ]'}${tail}\n}\n`);
  }
}

function shown(s: ReferenceSite): string {
  if (s.reference !== null && !s.unresolved) return s.reference;
  return `${s.reference ?? s.raw}  [unresolved: ${(s.unresolved ?? []).join(', ')}]`;
}

/** A file as text: a heading, then one line per reference (position, reference, where). */
export function fileText(f: FileResult, verdicts?: ReadonlyMap<ReferenceSite, SiteVerdict>): string {
  const lines = [`${f.file} (${f.kind}): ${f.references.length} reference${f.references.length === 1 ? '' : 's'}`];
  const rows = f.references.map((s) => {
    const v = verdicts?.get(s);
    const verdict = v ? `  ${verdictWords(v)}` : '';
    const platform = s.platform !== undefined ? ` (--platform=${s.platform})` : '';
    return [`${s.line}:${s.column}`, `${shown(s)}${platform}`, `${s.via}${verdict}`];
  });
  const widths = [0, 1].map((c) => Math.max(0, ...rows.map((r) => r[c]!.length)));
  for (const r of rows) lines.push(`  ${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]}`);
  for (const p of f.problems) lines.push(`  ! ${p.line}:${p.column} ${p.message}`);
  return `${lines.map(terminalText).join('\n')}\n`;
}

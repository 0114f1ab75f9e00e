// Runs single-field mutations of a verified artifact through the verifier and keeps one row per
// mutation: the artifact's state, the image verdict, and the checks that refused it. The table
// is printed per field; the assertions live in `assertMutationTable`.
import assert from 'node:assert/strict';
import type { Outcome } from './signed-image';
import { caughtBy } from './signed-image';

export interface MutationRow {
  field: string;
  how: string;
  state: string;
  image: string;
  caughtBy: string[];
}

/**
 * What legitimately does not matter, each with the reason: a field, one mutation of it
 * (`field (how)`), or with `*` at the end every field that starts so.
 */
export type Ignored = Readonly<Record<string, string>>;

export function row(field: string, how: string, outcome: Outcome): MutationRow {
  return { field, how, state: outcome.artifact.state, image: outcome.image.verdict.state, caughtBy: caughtBy(outcome) };
}

export function ignoredEntry(ignored: Ignored, r: Pick<MutationRow, 'field' | 'how'>): string | undefined {
  return Object.keys(ignored).find((k) => (k.endsWith('*') ? r.field.startsWith(k.slice(0, -1)) : k === r.field || k === `${r.field} (${r.how})`));
}

/** One line per field: how many mutations, and which checks caught them (or why none had to). */
export function formatTable(title: string, rows: readonly MutationRow[], ignored: Ignored): string {
  const byField = new Map<string, MutationRow[]>();
  for (const r of rows) byField.set(r.field, [...(byField.get(r.field) ?? []), r]);
  const lines = [...byField].map(([field, rs]) => {
    const counts = new Map<string, number>();
    const reasons = new Set<string>();
    for (const r of rs) {
      const entry = ignoredEntry(ignored, r);
      if (entry !== undefined && r.state === 'verified') reasons.add(`${entry.endsWith('*') || entry === field ? '' : `${r.how}: `}${ignored[entry]}`);
      else for (const c of r.caughtBy.length > 0 ? r.caughtBy : [`(${r.state})`]) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    const caught = counts.size > 0 ? `caught by ${[...counts].map(([c, n]) => `${c} x${n}`).join(', ')}` : '';
    const still = reasons.size > 0 ? `still verified, does not matter: ${[...reasons].join('; ')}` : '';
    return `  ${field}: ${rs.length} mutation(s); ${[caught, still].filter((x) => x !== '').join('; ')}`;
  });
  return `${title}: ${rows.length} mutations of ${byField.size} fields\n${lines.join('\n')}`;
}

/**
 * Every mutation not listed as not mattering leaves the artifact failed (or not checked, when it
 * can no longer be read) and the image not verified; every listed entry is there because some
 * mutation it covers stayed verified. So the list is exact: it cannot grow unnoticed, nor keep
 * an entry that no longer applies.
 */
export function assertMutationTable(rows: readonly MutationRow[], ignored: Ignored): void {
  const wrong = rows.filter(
    (r) => ignoredEntry(ignored, r) === undefined && !(['failed', 'not-checked'].includes(r.state) && ['failed', 'not-checked'].includes(r.image)),
  );
  assert.deepEqual(
    wrong.map((r) => `${r.field} (${r.how}): ${r.state}, image ${r.image}`),
    [],
    'mutations that did not fail',
  );
  const used = new Set(rows.filter((r) => r.state === 'verified').map((r) => ignoredEntry(ignored, r)));
  assert.deepEqual(
    Object.keys(ignored).filter((k) => !used.has(k)),
    [],
    'listed as not mattering, yet no mutation they cover stayed verified: remove them',
  );
}

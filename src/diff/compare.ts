import type { DiffSide } from './side';
import { sameSigners } from './signers';
import type { AttestationsDiff, DiffNote, ImageDiff, PlatformsDiff, ProvenanceChange, SbomChange } from './types';
import { diffWarnings } from './warnings';

/** Package changes listed at most; the rest are counted in a note. */
export const MAX_SBOM_CHANGES = 1000;

/**
 * What changed from `old` to `new` (both read by `diffSide`): pure, so the CLI, the editor and the
 * tests compare the same way. A target (`index`, a platform) is compared with the same target of
 * the other image; one entry per field or package that differs, none for what is equal.
 */
export function diffImages(old: DiffSide, next: DiffSide, options: { maxSbomChanges?: number } = {}): ImageDiff {
  const notes: DiffNote[] = [...old.notes.map((n) => ({ ...n, side: 'old' as const })), ...next.notes.map((n) => ({ ...n, side: 'new' as const }))];
  const platforms = diffPlatforms(old, next);
  const signers = { old: old.signers, new: next.signers, changed: !sameSigners(old.signers, next.signers, { a: old.ownRefs, b: next.ownRefs }) };
  const attestations: AttestationsDiff = {
    added: next.attestationTypes.filter((t) => !old.attestationTypes.includes(t)),
    removed: old.attestationTypes.filter((t) => !next.attestationTypes.includes(t)),
    unsigned: old.signedAttestationTypes.filter((t) => next.attestationTypes.includes(t) && !next.signedAttestationTypes.includes(t)),
  };
  const rank = targetRank(old, next);
  const provenance = diffProvenance(old, next, rank);
  const sbom = diffSboms(old, next, rank, notes, options.maxSbomChanges ?? MAX_SBOM_CHANGES);
  const changed =
    old.image.digest !== next.image.digest ||
    platforms.added.length + platforms.removed.length + platforms.changed.length > 0 ||
    signers.changed ||
    attestations.added.length + attestations.removed.length + attestations.unsigned.length > 0 ||
    provenance.length > 0 ||
    sbom.length > 0;
  const diff: Omit<ImageDiff, 'warnings'> = { old: old.image, new: next.image, changed, platforms, signers, attestations, provenance, sbom, notes };
  return { ...diff, warnings: diffWarnings(diff, old, next), notes };
}

function diffPlatforms(old: DiffSide, next: DiffSide): PlatformsDiff {
  // A runtime takes the first entry that matches its platform: so does the comparison.
  const first = (side: DiffSide) => {
    const by = new Map<string, DiffSide['platforms'][number]>();
    for (const p of side.platforms) if (!by.has(p.key)) by.set(p.key, p);
    return by;
  };
  const was = first(old);
  const now = first(next);
  const out: PlatformsDiff = { added: [], removed: [], changed: [], unchanged: [] };
  for (const [key, p] of now) {
    const before = was.get(key);
    if (before === undefined) out.added.push(p.label);
    else if (before.digest !== p.digest) out.changed.push({ platform: p.label, old: before.digest, new: p.digest });
    else out.unchanged.push(p.label);
  }
  for (const [key, p] of was) if (!now.has(key)) out.removed.push(p.label);
  return out;
}

/** Output order: the index first, then platforms as the new image lists them, then the old one's, then the rest. */
function targetRank(old: DiffSide, next: DiffSide): (key: string) => number {
  const order = ['index', ...next.platforms.map((p) => p.key), ...old.platforms.map((p) => p.key)];
  return (key) => {
    const i = order.indexOf(key);
    return i === -1 ? order.length : i;
  };
}

const FIELD_ORDER = ['builder.', 'buildType', 'source.', 'workflow.', 'trigger', 'frontend', 'buildArgs.', 'labels.', 'args.', 'inputs.', 'materials.'];
const fieldRank = (field: string): number => {
  const i = FIELD_ORDER.findIndex((f) => field === f || (f.endsWith('.') && field.startsWith(f)));
  return i === -1 ? FIELD_ORDER.length : i;
};
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Values of one field over several statements or packages: distinct, sorted, comma-separated. */
const joined = (values: Set<string> | undefined): string | null => (values === undefined ? null : [...values].sort(byText).join(', '));

interface Group {
  label: string;
  /** What statements are paired on besides the target: where they were found. */
  group: string;
  values: Map<string, Set<string>>;
}

/** Values per (target, group) and name, gathered over every statement or document of a side. */
function gather<T extends { key: string; label: string }>(
  items: readonly T[],
  group: (item: T) => string,
  entries: (item: T) => Iterable<readonly [string, string]>,
): Map<string, Group> {
  const out = new Map<string, Group>();
  for (const item of items) {
    const id = `${item.key}\0${group(item)}`;
    let g = out.get(id);
    if (g === undefined) out.set(id, (g = { label: item.label, group: group(item), values: new Map() }));
    for (const [name, value] of entries(item)) {
      let set = g.values.get(name);
      if (set === undefined) g.values.set(name, (set = new Set()));
      set.add(value);
    }
  }
  return out;
}

function diffProvenance(old: DiffSide, next: DiffSide, rank: (key: string) => number): ProvenanceChange[] {
  type S = DiffSide['provenance'][number];
  const from = (s: S): string => s.from;
  const fields = (s: S) => s.fields.entries();
  const was = gather(old.provenance, from, fields);
  const now = gather(next.provenance, from, fields);
  const out: Array<ProvenanceChange & { key: string }> = [];
  for (const id of new Set([...now.keys(), ...was.keys()])) {
    const a = was.get(id);
    const b = now.get(id);
    const { label, group } = (b ?? a)!;
    const from = group as ProvenanceChange['from'];
    for (const field of new Set([...(b?.values.keys() ?? []), ...(a?.values.keys() ?? [])])) {
      const before = joined(a?.values.get(field));
      const after = joined(b?.values.get(field));
      if (before !== after) out.push({ key: id.split('\0')[0]!, platform: label, field, old: before, new: after, from });
    }
  }
  out.sort(
    (x, y) =>
      rank(x.key) - rank(y.key) || byText(x.key, y.key) || byText(x.from, y.from) || fieldRank(x.field) - fieldRank(y.field) || byText(x.field, y.field),
  );
  return out.map(({ key: _k, ...c }) => c);
}

function diffSboms(old: DiffSide, next: DiffSide, rank: (key: string) => number, notes: DiffNote[], max: number): SbomChange[] {
  type S = DiffSide['sboms'][number];
  const packages = (s: S) => s.packages.map((p) => [p.id, p.version ?? ''] as const);
  const was = gather(old.sboms, () => '', packages);
  const now = gather(next.sboms, () => '', packages);
  const out: Array<SbomChange & { key: string }> = [];
  for (const id of new Set([...now.keys(), ...was.keys()])) {
    const a = was.get(id);
    const b = now.get(id);
    const key = id.split('\0')[0]!;
    if (a === undefined || b === undefined) {
      // Packages are compared only where both images carry an SBOM: with none to compare against, none can be said to have changed.
      const g = (a ?? b)!;
      notes.push({
        code: 'SBOM_ONE_SIDE',
        side: a ? 'old' : 'new',
        message: `Only the ${a ? 'old' : 'new'} image has an SBOM for ${g.label} (${g.values.size} package${g.values.size === 1 ? '' : 's'}): there is nothing to compare them with, so none is listed.`,
      });
      continue;
    }
    for (const pkg of new Set([...b.values.keys(), ...a.values.keys()])) {
      const before = joined(a.values.get(pkg));
      const after = joined(b.values.get(pkg));
      if (before !== after) out.push({ key, platform: b.label, package: pkg, old: before, new: after });
    }
  }
  out.sort((x, y) => rank(x.key) - rank(y.key) || byText(x.key, y.key) || byText(x.package, y.package));
  if (out.length > max) notes.push({ code: 'SBOM_TRUNCATED', message: `${out.length} package changes; the first ${max} are listed.` });
  return out.slice(0, max).map(({ key: _k, ...c }) => c);
}

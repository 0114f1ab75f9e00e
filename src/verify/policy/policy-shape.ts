/**
 * The keys `.provenance-lens.yaml` accepts, per object. The validator walks these and
 * `schemas/provenance-lens.schema.json` declares the same names (a test compares them),
 * so an editor and the verifier never disagree about what a key means.
 */
const RULE_KEYS = ['identity', 'issuer', 'github', 'keys', 'trustedRoot', 'certificateChain', 'requireTlog', 'coverage', 'attestations', 'slsa'] as const;

export const POLICY_KEYS = {
  root: ['version', 'defaults', 'images'],
  defaults: [...RULE_KEYS, 'derive'],
  image: ['image', ...RULE_KEYS, 'builtIn', 'exception'],
  github: ['repository', 'workflow', 'ref', 'trigger', 'commit'],
  slsa: ['builders', 'source', 'requireKnownBuildType'],
  source: ['repository', 'ref', 'commit'],
  exception: ['reason'],
  matcher: ['exact', 'regexp'],
} as const satisfies Record<string, readonly string[]>;

export type PolicyObject = keyof typeof POLICY_KEYS;

/** The closest candidate within a small edit distance, for "did you mean ...?". */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

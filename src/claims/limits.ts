/**
 * Bounds for reading attestations from a registry we do not trust. Real provenance is small
 * (the largest BuildKit mode=max statement in the fixtures is 85 kB; a 4-platform release with
 * big LLB definitions stays under a few MB), so these are generous for real data and still stop
 * memory and stack exhaustion: the byte limit bounds strings, the depth limit bounds every
 * recursive walk (ours, JSON.stringify, the webview's), the value count bounds how many objects
 * JSON.parse may allocate for a document that is small in bytes.
 */
export interface ProvenanceLimits {
  /** Largest document (statement, DSSE envelope or bundle), and largest decoded DSSE payload. */
  maxBytes: number;
  /** Deepest nesting of arrays/objects. */
  maxDepth: number;
  /** Most JSON values (roughly: containers plus array/object members) in one document. */
  maxValues: number;
  /** Subjects and materials kept in the summary; the rest are counted as truncated. */
  maxListEntries: number;
  /** Build args, inputs and digest algorithms kept per map. */
  maxMapEntries: number;
  /** A summary string longer than this is left out (with a note); the raw statement keeps it. */
  maxStringLength: number;
}

export const DEFAULT_PROVENANCE_LIMITS: Readonly<ProvenanceLimits> = {
  maxBytes: 16 * 1024 * 1024,
  maxDepth: 64,
  maxValues: 2_000_000,
  maxListEntries: 5000,
  maxMapEntries: 1000,
  maxStringLength: 64 * 1024,
};

export function provenanceLimits(overrides?: Partial<ProvenanceLimits>): ProvenanceLimits {
  return { ...DEFAULT_PROVENANCE_LIMITS, ...overrides };
}

/**
 * Limits that refuse nothing already held: for the verifier, which reads only the statement layer
 * and a few named fields of bytes the registry client or a file already bounded, and walks no
 * predicate. A signed statement is then authentic or not whatever its size and nesting; what a
 * person is shown is bounded by the defaults above.
 */
export function heldContentLimits(byteLength: number): ProvenanceLimits {
  const all = Math.max(1, byteLength);
  return provenanceLimits({ maxBytes: all, maxDepth: all, maxValues: all });
}

// Golden snapshots of command output that carries per-run values: signatures, certificates and
// Rekor entries are fresh on every run, so their digests, base64 blobs, PEM blocks, times, the
// registry's port and the scratch folders differ from run to run. `normalise` replaces each
// distinct such value with a placeholder numbered in order of first appearance, so two runs of
// the same scenario produce the same text, and a value that repeats (the index digest a signature
// covers) still shows as the same placeholder wherever it appears.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

interface Rule {
  readonly name: string;
  readonly pattern: RegExp;
}

// Longest first: a PEM block holds base64, a digest holds hex, a time holds digits.
const RULES: readonly Rule[] = [
  { name: 'pem', pattern: /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----\n?/g },
  { name: 'sha256', pattern: /sha256[:-][0-9a-f]{64}/g },
  { name: 'time', pattern: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g },
  { name: 'port', pattern: /(?<=(?:127\.0\.0\.1|localhost):)\d{2,5}/g },
  { name: 'tmp', pattern: /\/tmp\/[\w.-]+/g },
  // A file's fingerprint as the trust-root note shortens it, and an age that grows by the day.
  { name: 'short-hex', pattern: /(?<=sha256 )[0-9a-f]{12}(?![0-9a-f])/g },
  { name: 'age', pattern: /\d+ days? old/g },
  // Base64 (standard or URL-safe) of at least 24 characters with a digit and a letter of both
  // cases: signatures, payloads, key IDs. Words and paths never qualify.
  { name: 'base64', pattern: /(?<![\w+/=-])(?=[A-Za-z0-9+/_-]*\d)(?=[A-Za-z0-9+/_-]*[a-z])(?=[A-Za-z0-9+/_-]*[A-Z])[A-Za-z0-9+/_-]{24,}={0,2}(?![\w+/=-])/g },
  { name: 'hex', pattern: /(?<![0-9a-f])[0-9a-f]{40,}(?![0-9a-f])/g },
];

/** Media types of documents that hold a signature inline; their sizes vary with it. */
const PER_RUN_SIZE = /^application\/vnd\.(?:dsse\.envelope\.v1\+json|dev\.sigstore\.bundle)/;

/** A short digest (`sha256:` + 12 hex) of a full one seen before reads as that one's placeholder. */
const SHORT_DIGEST = /sha256:[0-9a-f]{12}(?![0-9a-f])/g;

export class Normaliser {
  private readonly seen = new Map<string, string>();
  private readonly counts = new Map<string, number>();

  private placeholder(name: string, value: string): string {
    const key = `${name}\0${value}`;
    let p = this.seen.get(key);
    if (p === undefined) {
      const n = (this.counts.get(name) ?? 0) + 1;
      this.counts.set(name, n);
      p = `<${name}-${n}>`;
      this.seen.set(key, p);
    }
    return p;
  }

  text(s: string): string {
    let out = s;
    for (const r of RULES) out = out.replace(r.pattern, (m) => this.placeholder(r.name, m.startsWith('sha256-') ? `sha256:${m.slice(7)}` : m));
    return out.replace(SHORT_DIGEST, (m) => {
      for (const [key, p] of this.seen) if (key.startsWith(`sha256\0${m}`)) return `${p.slice(0, -1)}…>`;
      return this.placeholder('sha256-short', m);
    });
  }

  /** Every string of a JSON value (keys included), in document order; numbers that are times too. */
  json(v: unknown, key?: string): unknown {
    if (typeof v === 'string') return this.text(v);
    if (typeof v === 'number' && key !== undefined && /time|logIndex/i.test(key)) return this.placeholder(key, String(v));
    // A trust root's age counts days to today: the same root reads a day older after midnight.
    if (typeof v === 'number' && key === 'ageDays' && Number.isInteger(v) && v >= 0) return '<days to today>';
    if (Array.isArray(v)) return v.map((x) => this.json(x));
    if (v !== null && typeof v === 'object') {
      // A DSSE envelope or a Sigstore bundle carries a fresh ECDSA signature, whose DER encoding
      // is 70 to 72 bytes long, so the document's size changes from run to run by a few bytes.
      const signed = typeof (v as { mediaType?: unknown }).mediaType === 'string' && PER_RUN_SIZE.test((v as { mediaType: string }).mediaType);
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [this.text(k), signed && k === 'size' && typeof x === 'number' ? '<per-run size>' : this.json(x, k)]),
      );
    }
    return v;
  }
}

/**
 * Compares `actual` with the snapshot at `path` (pretty JSON); `UPDATE_GOLDEN=1` writes it
 * instead. Returns the snapshot text so the caller's assertion names what differed.
 */
export function goldenJson(path: string, actual: unknown): { expected: unknown; actual: unknown } {
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  if (!existsSync(path)) throw new Error(`No golden snapshot ${path}: run the test once with UPDATE_GOLDEN=1 and review the file before committing it.`);
  return { expected: JSON.parse(readFileSync(path, 'utf8')), actual: JSON.parse(text) };
}

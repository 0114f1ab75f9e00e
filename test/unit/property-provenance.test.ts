// Property tests of the provenance normaliser (src/provenance/summary.ts and what it reads
// through): whatever an attestation layer holds (any JSON, any bytes, real provenance with a
// field changed), reading it gives a summary or a ProvenanceError, never another exception,
// and a summary only ever speaks for the predicate type the statement states.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ProvenanceError } from '../../src/claims/errors';
import { parseStatement } from '../../src/claims/statement';
import type { ProvenanceDocument } from '../../src/provenance/summary';
import { SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V1, readProvenance, slsaVersionOf, summarizePredicate, summarizeStatement } from '../../src/provenance/summary';
import type { ProvenanceSummary } from '../../src/provenance/types';
import { holds, runFor } from '../support/properties/run';
import { realFixtureDir } from '../support/real-fixtures';
import { anyText } from '../support/properties/text';

/** The value, or the ProvenanceError; anything else thrown fails the property. */
function readOrError<T>(what: string, read: () => T): T | ProvenanceError {
  try {
    return read();
  } catch (e) {
    if (e instanceof ProvenanceError) return e;
    throw new Error(`${what} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
}

/** A summary goes to JSON output and the webview: plain data, about the stated predicate type only. */
function checkSummary(summary: ProvenanceSummary, predicateType: string): void {
  assert.equal(summary.predicateType, predicateType);
  assert.equal(summary.slsaVersion, slsaVersionOf(predicateType));
  assert.doesNotThrow(() => JSON.stringify(summary));
}

function checkDocument(what: string, input: string | Uint8Array): void {
  const r = readOrError(what, () => readProvenance(input));
  if (r instanceof ProvenanceError) return;
  checkSummary((r as ProvenanceDocument).summary, (r as ProvenanceDocument).statement.predicateType);
}

/** JSON with the keys that trip naive object handling. */
const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
  'sha256',
  'uri',
  'digest',
  'id',
  'builder',
);
const json = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    fc.dictionary(fc.oneof(hostileKey, fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 5 }),
    fc.array(tie('value'), { maxLength: 4 }),
  ),
})).value;

const statementOf = (predicateType: string, predicate: unknown, subject: unknown = [{ name: 'x', digest: { sha256: 'ab' } }]) => ({
  _type: 'https://in-toto.io/Statement/v1',
  subject,
  predicateType,
  predicate,
});
const dsse = (statement: unknown) => ({
  payloadType: 'application/vnd.in-toto+json',
  payload: Buffer.from(JSON.stringify(statement) ?? 'null').toString('base64'),
  signatures: [{ sig: '' }],
});
const bundle = (statement: unknown) => ({
  mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
  verificationMaterial: {},
  dsseEnvelope: dsse(statement),
});

describe('property: any attestation content gives a summary or a ProvenanceError', () => {
  test('arbitrary JSON documents, bytes and text', () => {
    holds(
      'arbitrary JSON',
      runFor(0x9e01, 1500),
      fc.property(json, (v) => {
        checkDocument('a JSON document', JSON.stringify(v) ?? 'null');
        const st = readOrError('parseStatement', () => parseStatement(v));
        if (!(st instanceof ProvenanceError)) {
          const s = readOrError('summarizeStatement', () => summarizeStatement(st));
          if (!(s instanceof ProvenanceError)) checkSummary(s, st.predicateType);
        }
      }),
    );
    holds(
      'arbitrary bytes',
      runFor(0x9e02, 1000),
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => checkDocument('bytes', b)),
    );
    holds(
      'arbitrary text',
      runFor(0x9e03, 1000),
      fc.property(anyText(200), (t) => checkDocument('text', t)),
    );
  });

  test('arbitrary predicates and subjects of SLSA v0.2 and v1 statements, bare, in DSSE and in a bundle', () => {
    holds(
      'arbitrary predicates',
      runFor(0x9e04, 600),
      fc.property(
        fc.constantFrom(SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V1, 'https://slsa.dev/provenance/v1.1', 'https://example/other'),
        json,
        json,
        (type, predicate, subject) => {
          for (const st of [statementOf(type, predicate), statementOf(type, predicate, subject), statementOf(type, predicate, [subject])]) {
            checkDocument('a statement', JSON.stringify(st));
            checkDocument('a DSSE envelope', JSON.stringify(dsse(st)));
            checkDocument('a bundle', JSON.stringify(bundle(st)));
          }
          const bare = readOrError('summarizePredicate', () => summarizePredicate(type, predicate));
          if (!(bare instanceof ProvenanceError)) checkSummary(bare, type);
        },
      ),
    );
  });

  test('nesting far deeper than the limit is TOO_DEEP, not a stack overflow', () => {
    holds(
      'deep nesting',
      runFor(0x9e05, 20),
      fc.property(fc.integer({ min: 65, max: 200_000 }), fc.constantFrom('[', '{"a":'), (n, open) => {
        const close = open === '[' ? ']' : '}';
        const r = readOrError('deep JSON', () => readProvenance(`${open.repeat(n)}1${close.repeat(n)}`));
        assert.ok(r instanceof ProvenanceError && r.code === 'TOO_DEEP', `depth ${n}: ${r instanceof ProvenanceError ? r.code : 'read'}`);
      }),
    );
  });
});

const provenanceDir = realFixtureDir('slsa-provenance');

describe('property: real provenance with one field changed', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir)
      .sort()
      .flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith('.json') ? [join(dir, n)] : []));
  const paths = (v: unknown, at: string[] = []): string[][] => [
    at,
    ...(v !== null && typeof v === 'object' ? Object.entries(v).flatMap(([k, c]) => paths(c, [...at, k])) : []),
  ];
  const setAt = (v: unknown, at: readonly string[], to: unknown): unknown => {
    if (at.length === 0) return to;
    const [k, ...rest] = at as [string, ...string[]];
    const copy: Record<string, unknown> = Array.isArray(v) ? ([...v] as unknown as Record<string, unknown>) : { ...(v as Record<string, unknown>) };
    if (to === undefined && rest.length === 0) delete copy[k];
    else copy[k] = setAt((v as Record<string, unknown>)[k], rest, to);
    return copy;
  };

  test('every document of the fixtures reads as provenance as it is', () => {
    for (const f of files(provenanceDir)) {
      const doc = JSON.parse(readFileSync(f, 'utf8')) as { predicateType?: string };
      if (doc.predicateType !== undefined) checkSummary(readProvenance(readFileSync(f)).summary, doc.predicateType);
      else for (const type of [SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V1]) checkSummary(summarizePredicate(type, doc), type);
    }
  });

  test('a field set to any JSON value, or removed: summary or ProvenanceError, in every container', () => {
    const docs = files(provenanceDir).map((f) => JSON.parse(readFileSync(f, 'utf8')) as unknown);
    const indexed = docs.map((d) => ({ d, at: paths(d) }));
    holds(
      'mutated real provenance',
      runFor(0x9e06, 700),
      fc.property(fc.nat(), fc.nat(), fc.option(json, { nil: undefined, freq: 4 }), (i, j, to) => {
        const { d, at } = indexed[i % indexed.length]!;
        const changed = setAt(d, at[j % at.length]!, to);
        const type = (changed as { predicateType?: unknown } | null)?.predicateType;
        if ((d as { predicateType?: unknown }).predicateType === undefined) {
          // A bare predicate (rancher slsactl keeps them so): summarised under both versions.
          for (const t of [SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V1]) {
            const s = readOrError('summarizePredicate', () => summarizePredicate(t, changed));
            if (!(s instanceof ProvenanceError)) checkSummary(s, t);
          }
          return;
        }
        checkDocument('a changed statement', JSON.stringify(changed) ?? 'null');
        checkDocument('a changed statement in DSSE', JSON.stringify(dsse(changed)));
        if (typeof type === 'string') checkDocument('a changed statement in a bundle', JSON.stringify(bundle(changed)));
      }),
    );
  });
});

// Property tests of the cosign-layer-to-bundle converter (src/verify/bundle/cosign-bundle.ts) and the
// verification behind it: annotations and blobs come from whoever can push to the registry, so
// any of them converts to a bundle or to a failed BUNDLE_FORMAT check (never an exception), and
// no change to a valid signed layer verifies unless what is verified is exactly what was signed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readProvenance } from '../../src/provenance/summary';
import { bundleFromCosignAttestation, bundleFromCosignSignature, CosignAnnotation } from '../../src/verify/bundle/cosign-bundle';
import type { Conversion } from '../../src/verify/bundle/cosign-bundle';
import { stringMutations } from '../support/properties/mutate';
import { holds, runFor } from '../support/properties/run';
import type { Layer, Outcome, SignedImage } from '../support/properties/signed-image';
import { attestationPolicy, createSignedImage, pinnedPolicy, verifySubject } from '../support/properties/signed-image';
import { anyText } from '../support/properties/text';

/** Converts without throwing; a refusal is one failed BUNDLE_FORMAT check. */
function convert(kind: 'signature' | 'attestation', layer: Layer): Conversion {
  let c: Conversion;
  try {
    c = kind === 'signature' ? bundleFromCosignSignature(layer.bytes, layer.annotations) : bundleFromCosignAttestation(layer.bytes, layer.annotations);
  } catch (e) {
    throw new Error(`${kind} conversion threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  if (c.ok) assert.doesNotThrow(() => JSON.stringify(c.bundle));
  else assert.deepEqual([c.failure.code, c.failure.status], ['BUNDLE_FORMAT', 'fail']);
  return c;
}

/**
 * What a bundle says, spelling aside: base64 fields as their bytes, and without the DSSE keyid
 * (an unsigned hint). Two layers with the same meaning verify alike; any other difference must not verify.
 */
function meaning(v: unknown): unknown {
  if (typeof v === 'string') return /^[A-Za-z0-9+/_-]{16,}={0,2}$/.test(v) ? `bytes:${Buffer.from(v, 'base64').toString('hex')}` : v;
  if (Array.isArray(v)) return v.map(meaning);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => k !== 'keyid')
        .map(([k, c]) => [k, meaning(c)]),
    );
  return v;
}

const ANNOTATION_KEYS = [...Object.values(CosignAnnotation), 'predicateType', 'org.example/other'];

/** Annotations and blobs with nothing valid in them. */
const junkLayer = fc.record({
  mediaType: fc.constant(''),
  bytes: fc.oneof(
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v) ?? '')),
  ),
  annotations: fc.dictionary(
    fc.constantFrom(...ANNOTATION_KEYS),
    fc.oneof(
      anyText(120),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? ''),
    ),
    { maxKeys: 6 },
  ),
});

describe('property: the cosign layer converter', () => {
  let si: SignedImage;
  before(async () => {
    si = await createSignedImage();
  });
  after(() => si?.mini.dispose());

  const verify = (kind: 'signature' | 'attestation', layer: Layer): Outcome =>
    verifySubject(si, { kind: 'cosign-tag', artifactKind: kind, layer }, kind === 'signature' ? pinnedPolicy(si) : attestationPolicy(si));
  const valid = (kind: 'signature' | 'attestation'): Layer => (kind === 'signature' ? si.sig : si.att);

  test('arbitrary annotations and blobs: a bundle or a failed BUNDLE_FORMAT check, and never verified', () => {
    holds(
      'junk layers',
      runFor(0xb001, 400),
      fc.property(junkLayer, fc.constantFrom('signature', 'attestation' as const), (junk, kind) => {
        convert(kind, junk);
        const o = verify(kind, { ...junk, mediaType: valid(kind).mediaType });
        assert.ok(o.artifact.state === 'failed' && o.image.verdict.state === 'failed', `${kind}: ${o.artifact.state}/${o.image.verdict.state}`);
      }),
    );
  });

  test('valid layers with up to three arbitrary changes verify only when they say exactly what was signed', () => {
    const change = (kind: 'signature' | 'attestation') =>
      fc
        .oneof(
          // An annotation replaced by one of its encoding-aware mutations, by arbitrary text, or removed.
          fc
            .tuple(fc.constantFrom(...ANNOTATION_KEYS), fc.nat(), anyText(40), fc.constantFrom('mutate', 'text', 'remove'))
            .map(([key, n, text, what]) => (l: Layer): Layer => {
              if (what === 'remove') return { ...l, annotations: Object.fromEntries(Object.entries(l.annotations).filter(([k]) => k !== key)) };
              const current = l.annotations[key] ?? '';
              const options = stringMutations(current);
              const to = what === 'text' || options.length === 0 ? text : options[n % options.length]!.to;
              return { ...l, annotations: { ...l.annotations, [key]: to } };
            }),
          // The blob: a byte flipped, a range cut out, or its JSON field changed.
          fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.integer({ min: 1, max: 255 })).map(([n, len, x]) => (l: Layer): Layer => {
            const i = n % l.bytes.length;
            return len === 0
              ? { ...l, bytes: Buffer.concat([l.bytes.subarray(0, i), l.bytes.subarray(i + len + 1)]) }
              : { ...l, bytes: Buffer.from(l.bytes.map((b, j) => (j === i ? b ^ x : b))) };
          }),
          fc.tuple(fc.nat(), fc.nat()).map(([n, m]) => (l: Layer): Layer => {
            const options = stringMutations(l.bytes.toString('utf8'));
            const o = options[(n + m) % options.length];
            return o === undefined ? l : { ...l, bytes: Buffer.from(o.to) };
          }),
        )
        .map((f) => ({ kind, f }));
    for (const kind of ['signature', 'attestation'] as const) {
      const original = convert(kind, valid(kind));
      assert.ok(original.ok && verify(kind, valid(kind)).artifact.state === 'verified', `baseline ${kind}`);
      holds(
        `changed ${kind} layers`,
        runFor(kind === 'signature' ? 0xb002 : 0xb003, 250),
        fc.property(fc.array(change(kind), { minLength: 1, maxLength: 3 }), (changes) => {
          const layer = changes.reduce((l, c) => c.f(l), valid(kind));
          const c = convert(kind, layer);
          const o = verify(kind, layer);
          assert.notEqual(o.artifact.state, 'unpinned');
          if (o.artifact.state !== 'verified' && o.image.verdict.state !== 'verified') return;
          // Verified: then it must be the signed content, merely spelled differently.
          assert.ok(c.ok, 'verified without a bundle');
          assert.deepEqual(meaning(c.bundle), meaning((original as Extract<Conversion, { ok: true }>).bundle), `${kind} verified with another meaning`);
          if (kind === 'signature') assert.ok(layer.bytes.equals(valid(kind).bytes), 'a .sig payload is compared as bytes');
        }),
      );
    }
  });

  test('regression: junk in the DSSE payload\'s base64 ("fQ=<") was skipped by the decoder and verified, while cosign and the provenance reader refuse it', () => {
    const text = si.att.bytes.toString('utf8');
    const env = JSON.parse(text) as { payload: string; signatures: Array<{ sig: string }> };
    assert.ok(env.payload.endsWith('=='));
    for (const [what, edit] of [
      ['payload padding', (e: typeof env) => ({ ...e, payload: `${e.payload.slice(0, -1)}<` })],
      ['payload inner character', (e: typeof env) => ({ ...e, payload: `${e.payload.slice(0, 10)}*${e.payload.slice(10)}` })],
      ['signature padding', (e: typeof env) => ({ ...e, signatures: [{ ...e.signatures[0]!, sig: `${e.signatures[0]!.sig.replace(/=*$/, '')}==<` }] })],
    ] as const) {
      const bytes = Buffer.from(JSON.stringify(edit(env)));
      const c = convert('attestation', { ...si.att, bytes });
      assert.ok(!c.ok, `${what}: converted`);
      assert.match(c.failure.message, /not base64/);
      assert.equal(verify('attestation', { ...si.att, bytes }).artifact.state, 'failed', what);
    }
    assert.throws(() => readProvenance(Buffer.from(JSON.stringify({ ...env, payload: `${env.payload.slice(0, -1)}<` }))), /not base64/);
    // URL-safe base64 is DSSE's other alphabet: still accepted.
    const urlSafe = { ...env, payload: Buffer.from(env.payload, 'base64').toString('base64url') };
    assert.ok(convert('attestation', { ...si.att, bytes: Buffer.from(JSON.stringify(urlSafe)) }).ok);
  });
});

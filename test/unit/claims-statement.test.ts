import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dssePayload, isDsseBase64, readDsseEnvelope, statementFromPayload } from '../../src/claims/dsse';
import { decodeAttestation, isSigstoreBundle } from '../../src/claims/envelope';
import { ProvenanceError } from '../../src/claims/errors';
import { heldContentLimits, provenanceLimits } from '../../src/claims/limits';
import { parseStatement, statementCovers, subjectWithDigest } from '../../src/claims/statement';
import { predicateFromEnvelope } from '../../src/registry/graph-artifacts';
import { bundleFromCosignAttestation } from '../../src/verify/bundle/cosign-bundle';
import { realFixture } from '../support/real-fixtures';

// The one reader of in-toto statements and DSSE envelopes (src/claims) over real ones: the `.att`
// layer slsa-github-generator v1.8.0 pushed (slsa-verifier's testdata), its statement, and a
// GitHub artifact attestation bundle. The registry's graph walk, the verifier and the provenance
// summaries all read through it.
const LAYOUT = ['cosign-signatures', 'slsa-github-generator-container', 'v1.8.0', 'container_workflow_dispatch'];
const ATT_MANIFEST = 'sha256:195f75fe5d0554704527695e9205c457d3544bd0b078340bebd109a761c57920';
const ATT_BLOB = 'sha256:291729ce6264067c1a61f8156f9133f2efcc3f72341d5cd22f2b9ba279ecb25f';
const blob = (digest: string): Buffer => readFileSync(realFixture(...LAYOUT, 'blobs', 'sha256', digest.slice(7)));
const IMAGE = readFileSync(realFixture(...LAYOUT.slice(0, -1), 'container_workflow_dispatch.digest'), 'utf8').trim();
const SLSA_V02 = 'https://slsa.dev/provenance/v0.2';

const rejects = (f: () => unknown, code: string, field?: string) =>
  assert.throws(f, (e: unknown) => e instanceof ProvenanceError && e.code === code && (field === undefined || e.details.field === field));

describe('in-toto statements', () => {
  test('a real statement: type, predicate type, subjects', () => {
    const raw = JSON.parse(
      readFileSync(realFixture('slsa-provenance', 'slsa-github-generator', 'container-v0.2.generator_container_slsa3-v1.4.0.intoto.json'), 'utf8'),
    ) as unknown;
    const s = parseStatement(raw);
    assert.deepEqual([s._type, s.predicateType, s.subject.length], ['https://in-toto.io/Statement/v0.1', SLSA_V02, 1]);
  });

  test('the subject with a digest: algorithm exact, hex in any case, any subject', () => {
    const s = parseStatement({
      _type: 'https://in-toto.io/Statement/v1',
      predicateType: 'x',
      subject: [
        { name: 'a', digest: { sha512: 'ab' } },
        { name: 'b', digest: { sha256: 'AB' } },
      ],
    });
    assert.equal(subjectWithDigest(s, 'sha256', 'ab')?.name, 'b');
    assert.equal(subjectWithDigest(s, 'sha256', 'AB')?.name, 'b');
    assert.equal(subjectWithDigest(s, 'sha384', 'ab'), undefined);
    assert.ok(statementCovers(s, 'sha512:AB'));
    assert.ok(!statementCovers(s, 'ab'));
  });

  test('what is missing is named: the subject list, the predicate type', () => {
    rejects(() => parseStatement({ _type: 'https://in-toto.io/Statement/v1', predicateType: 'x' }), 'STATEMENT_INVALID', 'subject');
    rejects(() => parseStatement({ _type: 'https://in-toto.io/Statement/v1', subject: [], predicateType: { uri: 'x' } }), 'STATEMENT_INVALID', 'predicateType');
    rejects(() => parseStatement({ _type: 'https://in-toto.io/Statement/v1', subject: [], predicateType: '' }), 'STATEMENT_INVALID', 'predicateType');
    rejects(() => parseStatement({ _type: 'https://in-toto.io/Statement/v2', subject: [], predicateType: 'x' }), 'STATEMENT_TYPE');
  });
});

describe('DSSE envelopes', () => {
  test('a real cosign .att layer: its envelope, payload and statement about the image', () => {
    const env = readDsseEnvelope(JSON.parse(blob(ATT_BLOB).toString('utf8')));
    assert.equal(env.payloadType, 'application/vnd.in-toto+json');
    assert.equal(env.signatures.length, 1);
    assert.match(env.signatures[0]!.sig, /^[A-Za-z0-9+/]+=*$/);
    const { statement } = statementFromPayload(env.payloadType, dssePayload(env, provenanceLimits()), provenanceLimits());
    assert.equal(statement.predicateType, SLSA_V02);
    assert.ok(statementCovers(statement, IMAGE), `the statement is about ${IMAGE}`);
  });

  test('the graph walk labels a cosign .att by its statement, and only a statement', () => {
    const bytes = blob(ATT_BLOB);
    assert.equal(predicateFromEnvelope(bytes), SLSA_V02);
    const env = JSON.parse(bytes.toString('utf8')) as { payloadType: string; payload: string };
    // A payload that is not an in-toto statement names no predicate type, whatever it holds.
    assert.equal(predicateFromEnvelope(Buffer.from(JSON.stringify({ ...env, payloadType: 'text/plain' }))), undefined);
    const notStatement = Buffer.from(JSON.stringify({ predicateType: SLSA_V02 })).toString('base64');
    assert.equal(predicateFromEnvelope(Buffer.from(JSON.stringify({ ...env, payload: notStatement }))), undefined);
  });

  test('base64 as cosign reads it: either alphabet, line breaks skipped, nothing else', () => {
    const payload = readDsseEnvelope(JSON.parse(blob(ATT_BLOB).toString('utf8'))).payload;
    assert.ok(isDsseBase64(payload));
    assert.ok(isDsseBase64(payload.replace(/(.{76})/g, '$1\n')));
    assert.ok(isDsseBase64(Buffer.from(payload, 'base64').toString('base64url')));
    assert.ok(!isDsseBase64(`${payload.slice(0, -1)}<`), 'junk the decoder would skip');
    assert.ok(!isDsseBase64('ab+_'), 'two alphabets at once');
    assert.ok(!isDsseBase64('abcde'), 'a length no base64 has');
    const wrapped = readDsseEnvelope({ payloadType: 'x', payload: payload.replace(/(.{76})/g, '$1\r\n'), signatures: [{ sig: 'AAAA', keyid: '' }] });
    assert.deepEqual(dssePayload(wrapped, provenanceLimits()), Buffer.from(payload, 'base64'));
  });

  test('the summaries and the verifier accept the same envelopes: a payload wrapped at 76 columns, junk in it', () => {
    const manifest = JSON.parse(blob(ATT_MANIFEST).toString('utf8')) as { layers: Array<{ digest: string; annotations: Record<string, string> }> };
    const layer = manifest.layers.find((l) => l.digest === ATT_BLOB)!;
    const env = JSON.parse(blob(ATT_BLOB).toString('utf8')) as { payload: string };
    const wrapped = Buffer.from(JSON.stringify({ ...env, payload: env.payload.replace(/(.{76})/g, '$1\n') }));
    assert.ok(bundleFromCosignAttestation(wrapped, layer.annotations).ok, 'the verifier converts it, as cosign reads it');
    assert.equal(decodeAttestation(wrapped).statement.predicateType, SLSA_V02, 'and the provenance reader reads it');
    const junk = Buffer.from(JSON.stringify({ ...env, payload: `${env.payload.slice(0, -1)}<` }));
    assert.ok(!bundleFromCosignAttestation(junk, layer.annotations).ok);
    rejects(() => decodeAttestation(junk), 'PAYLOAD_ENCODING');
  });

  test('a Sigstore bundle is told by its media type or its content, as decodeAttestation and bundle files tell it', () => {
    const bundle = JSON.parse(readFileSync(realFixture('sigstore-bundles', 'gh-cli', 'reusable-workflow-attestation.sigstore.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    assert.ok(isSigstoreBundle(bundle));
    assert.ok(isSigstoreBundle({ dsseEnvelope: bundle.dsseEnvelope }), 'no media type, a DSSE envelope');
    assert.ok(!isSigstoreBundle(JSON.parse(blob(ATT_BLOB).toString('utf8'))), 'a bare DSSE envelope is not a bundle');
    assert.ok(!isSigstoreBundle({ mediaType: 'application/vnd.in-toto+json' }));
    assert.equal(decodeAttestation(JSON.stringify(bundle)).container, 'sigstore-bundle');
  });

  test('envelopes that break their schema', () => {
    rejects(() => readDsseEnvelope([]), 'ENVELOPE_INVALID');
    rejects(() => readDsseEnvelope({ payloadType: 'x', payload: 'AAAA' }), 'ENVELOPE_INVALID');
    rejects(() => readDsseEnvelope({ payloadType: 'x', payload: 'AAAA', signatures: [{ keyid: 'k' }] }), 'ENVELOPE_INVALID');
    rejects(() => readDsseEnvelope({ payloadType: 'x', payload: 'AAAA', signatures: [{ sig: 'A*AA' }] }), 'PAYLOAD_ENCODING');
    rejects(() => statementFromPayload('text/plain', Buffer.from('{}'), provenanceLimits()), 'PAYLOAD_TYPE');
    rejects(() => dssePayload({ payload: 'A'.repeat(4000) }, provenanceLimits({ maxBytes: 1000 })), 'TOO_LARGE');
  });

  test('the verifier reads a deep statement it holds; a person is shown it only within the limits', () => {
    const deep = Buffer.from(
      `{"_type":"https://in-toto.io/Statement/v1","predicateType":"x","subject":[{"digest":{"sha256":"ab"}}],"predicate":${'['.repeat(200)}${']'.repeat(200)}}`,
    );
    assert.ok(statementCovers(statementFromPayload('application/vnd.in-toto+json', deep, heldContentLimits(deep.length)).statement, 'sha256:ab'));
    rejects(() => statementFromPayload('application/vnd.in-toto+json', deep, provenanceLimits()), 'TOO_DEEP');
  });
});

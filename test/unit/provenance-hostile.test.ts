import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeAttestation } from '../../src/claims/envelope';
import { ProvenanceError } from '../../src/claims/errors';
import type { ProvenanceErrorCode } from '../../src/claims/errors';
import { statementCovers } from '../../src/claims/statement';
import { readProvenance, summarizePredicate } from '../../src/provenance/summary';
import { realFixtureDir } from '../support/real-fixtures';

// What a hostile or broken registry can hand us. Every case ends as a summary or a typed
// ProvenanceError with the code that names the problem; nothing else escapes.

const V1 = 'https://slsa.dev/provenance/v1';
const DIGEST = 'a'.repeat(64);

function statement(
  extra: Record<string, unknown> = {},
  predicate: unknown = { buildDefinition: { buildType: 'x' }, runDetails: { builder: { id: 'b' } } },
): Record<string, unknown> {
  return { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'img', digest: { sha256: DIGEST } }], predicateType: V1, predicate, ...extra };
}
const json = (v: unknown) => JSON.stringify(v);
const b64 = (s: string) => Buffer.from(s).toString('base64');
const envelope = (payload: string, extra: Record<string, unknown> = {}) =>
  json({ payloadType: 'application/vnd.in-toto+json', payload, signatures: [{ keyid: '', sig: 'AAAA' }], ...extra });

function fails(code: ProvenanceErrorCode, input: Uint8Array | string, limits?: Parameters<typeof readProvenance>[1]): ProvenanceError {
  let caught: unknown;
  try {
    readProvenance(input, limits);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof ProvenanceError, `expected a ProvenanceError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  return caught;
}

describe('input that is not an attestation', () => {
  test('not JSON, not UTF-8, not an object', () => {
    fails('NOT_JSON', 'hello');
    fails('NOT_JSON', '');
    fails('NOT_JSON', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
    fails('UNRECOGNISED', '[1,2,3]');
    fails('UNRECOGNISED', '42');
    fails('UNRECOGNISED', json({ hello: 'world' }));
  });

  test('a byte-order mark in front of the JSON is tolerated', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json(statement()))]);
    assert.equal(readProvenance(bytes).summary.builder.id, 'b');
  });

  test('wrong or missing _type, subject, predicateType', () => {
    fails('STATEMENT_TYPE', json(statement({ _type: 'https://in-toto.io/Statement/v2' })));
    fails('STATEMENT_TYPE', json(statement({ _type: 1 })));
    const e = fails('STATEMENT_TYPE', json(statement({ _type: 'x'.repeat(100_000) })));
    assert.ok(e.message.length < 500, 'the message quotes a bounded part of the value');
    fails('STATEMENT_INVALID', json(statement({ subject: 'img' })));
    fails('STATEMENT_INVALID', json(statement({ subject: [null] })));
    fails('STATEMENT_INVALID', json(statement({ predicateType: '' })));
    fails('STATEMENT_INVALID', json(statement({ predicateType: ['x'] })));
  });

  test('a statement that is not SLSA provenance, or whose predicate is not an object', () => {
    fails('NOT_PROVENANCE', json(statement({ predicateType: 'https://spdx.dev/Document' })));
    fails('NOT_PROVENANCE', json(statement({ predicateType: 'https://slsa.dev/provenance/v0.1' })));
    fails('PREDICATE_INVALID', json(statement({}, [1, 2])));
    fails('PREDICATE_INVALID', json(statement({ predicate: undefined })));
  });
});

describe('DSSE envelopes and Sigstore bundles', () => {
  test('payload not base64, wrong payload type, missing fields', () => {
    fails('PAYLOAD_ENCODING', envelope('not base64!'));
    fails('PAYLOAD_ENCODING', envelope('QUJD+-'), undefined); // standard and URL-safe alphabets mixed
    fails('PAYLOAD_ENCODING', envelope('QUJDR'));
    fails('PAYLOAD_TYPE', envelope(b64(json(statement())), { payloadType: 'application/vnd.dev.cosign.simplesigning.v1+json' }));
    fails('ENVELOPE_INVALID', json({ payloadType: 'application/vnd.in-toto+json', payload: 42, signatures: [] }));
    fails('ENVELOPE_INVALID', json({ payloadType: 'application/vnd.in-toto+json', payload: b64('{}') }));
    fails('NOT_JSON', envelope(b64('<html>')));
    fails('STATEMENT_TYPE', envelope(b64(json({ payload: 'nested' }))));
  });

  test('standard and URL-safe base64 payloads both decode (DSSE allows either)', () => {
    const payload = json(statement({}, { buildDefinition: { buildType: 'x' }, runDetails: { builder: { id: '>>>???' } } }));
    const std = readProvenance(envelope(Buffer.from(payload).toString('base64')));
    const url = readProvenance(envelope(Buffer.from(payload).toString('base64url')));
    assert.equal(std.summary.builder.id, '>>>???');
    assert.deepEqual(url.summary, std.summary);
    assert.equal(std.container, 'dsse');
  });

  test('bundles: message signatures and broken envelopes', () => {
    fails('NOT_AN_ATTESTATION', json({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', messageSignature: { signature: 'AAAA' } }));
    fails('ENVELOPE_INVALID', json({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', dsseEnvelope: 'x' }));
    fails('ENVELOPE_INVALID', json({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json' }));
    const ok = readProvenance(json({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', dsseEnvelope: JSON.parse(envelope(b64(json(statement())))) }));
    assert.equal(ok.container, 'sigstore-bundle');
  });
});

describe('bounds', () => {
  test('documents and payloads past the byte limit are refused before parsing', () => {
    fails('TOO_LARGE', json(statement({ pad: 'x'.repeat(2000) })), { maxBytes: 1024 });
    fails('TOO_LARGE', envelope(b64('x'.repeat(600))), { maxBytes: 700 });
  });

  test('nesting bombs are refused, inside a statement and inside a DSSE payload', () => {
    fails('TOO_DEEP', '['.repeat(100_000) + ']'.repeat(100_000));
    fails('TOO_DEEP', json(statement({}, { buildDefinition: JSON.parse('{"a":'.repeat(70) + '1' + '}'.repeat(70)) })));
    fails('TOO_DEEP', envelope(b64('{"x":'.repeat(1000) + '1' + '}'.repeat(1000))));
    // Brackets and commas inside strings are text, not structure.
    assert.equal(readProvenance(json(statement({}, { runDetails: { builder: { id: '[[[[{{{{,,,,"\\"'.repeat(50) } } }))).summary.builder.id?.length, 750);
  });

  test('value bombs: many small values within the byte limit', () => {
    fails('TOO_DEEP', `[${'[],'.repeat(20_000)}[]]`, { maxValues: 10_000 });
  });

  test('huge subject and material lists are capped with a count of what was left out', () => {
    const subject = Array.from({ length: 12_000 }, (_, i) => ({ name: `s${i}`, digest: { sha256: i.toString(16).padStart(64, '0') } }));
    const resolvedDependencies = Array.from({ length: 20_000 }, (_, i) => ({ uri: `pkg:docker/dep${i}`, digest: { sha256: DIGEST } }));
    const doc = readProvenance(json(statement({ subject }, { buildDefinition: { buildType: 'x', resolvedDependencies }, runDetails: {} })));
    assert.equal(doc.summary.subject.length, 5000);
    assert.equal(doc.summary.subjectTruncated, 7000);
    assert.equal(doc.summary.materials.length, 5000);
    assert.equal(doc.summary.materialsTruncated, 15_000);
    assert.deepEqual(
      doc.summary.notes
        .filter((n) => n.code === 'TRUNCATED')
        .map((n) => n.field)
        .sort(),
      ['buildDefinition.resolvedDependencies', 'subject'],
    );
    // The coverage check reads every subject, not only the ones the summary keeps.
    assert.ok(statementCovers(doc.statement, `sha256:${(11_999).toString(16).padStart(64, '0')}`));
  });

  test('build args past the map limit are counted, long strings are left out rather than cut', () => {
    const args = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`build-arg:A${i}`, 'v']));
    const s = summarizePredicate(
      V1,
      {
        buildDefinition: { buildType: 'https://mobyproject.org/buildkit@v1', externalParameters: { request: { args } } },
        runDetails: { builder: { id: 'x'.repeat(5000) } },
      },
      { limits: { maxMapEntries: 10, maxStringLength: 4096 } },
    );
    assert.equal(s.parameters.buildArgs.length, 10);
    assert.equal(s.parameters.truncated, 20);
    assert.equal(s.builder.id, undefined);
    assert.deepEqual(s.notes.map((n) => [n.code, n.field]).slice(0, 2), [
      ['TRUNCATED', 'buildDefinition.externalParameters.request.args'],
      ['TOO_LONG', 'runDetails.builder.id'],
    ]);
  });
});

describe('hostile values inside a well-formed statement', () => {
  test('fields of the wrong type are left out with a note; the raw statement still has them', () => {
    const doc = readProvenance(
      json(
        statement(
          {},
          {
            buildDefinition: { buildType: 7, externalParameters: { workflow: 'main.yml' }, resolvedDependencies: 'none' },
            runDetails: { builder: { id: { evil: true } }, metadata: { startedOn: 'yesterday', finishedOn: 12 } },
          },
        ),
      ),
    );
    const s = doc.summary;
    assert.equal(s.buildType, undefined);
    assert.equal(s.builder.id, undefined);
    assert.equal(s.startedOn, 'yesterday');
    assert.equal(s.finishedOn, undefined);
    assert.deepEqual(s.materials, []);
    assert.deepEqual(s.notes.map((n) => `${n.code} ${n.field}`).sort(), [
      'BAD_TIME runDetails.metadata.startedOn',
      'NO_SOURCE ',
      'WRONG_TYPE buildDefinition.buildType',
      'WRONG_TYPE buildDefinition.externalParameters.workflow',
      'WRONG_TYPE buildDefinition.resolvedDependencies',
      'WRONG_TYPE runDetails.builder.id',
      'WRONG_TYPE runDetails.metadata.finishedOn',
    ]);
  });

  test('__proto__ and constructor keys stay data: no prototype pollution, no inherited values read', () => {
    const text =
      '{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"__proto__":{"polluted":"yes"},"sha256":"' +
      DIGEST +
      '"}}],' +
      '"predicateType":"https://slsa.dev/provenance/v1","predicate":{"buildDefinition":{"buildType":"https://mobyproject.org/buildkit@v1",' +
      '"externalParameters":{"request":{"args":{"__proto__":"x","build-arg:constructor":"y"}}}},"runDetails":{"builder":{"version":{"__proto__":"1.0"}}}}}';
    const s = readProvenance(text).summary;
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.keys(s.subject[0]!.digest), ['sha256']);
    assert.deepEqual(s.parameters.otherArgs, [{ name: '__proto__', value: 'x' }]);
    assert.deepEqual(s.parameters.buildArgs, [{ name: 'constructor', value: 'y' }]);
    assert.equal(Object.getPrototypeOf(s.builder.version), Object.prototype);
    assert.deepEqual(Object.entries(s.builder.version ?? {}), [['__proto__', '1.0']]);
    // A predicate with no `constructor` key must not surface Object's constructor from the prototype.
    assert.equal(summarizePredicate(V1, {}).builder.id, undefined);
  });

  test('markup and control characters are kept exactly as written (the UI renders text, never HTML)', () => {
    const id = '<img src=x onerror=alert(1)>\u202e\u0007';
    const s = readProvenance(json(statement({}, { buildDefinition: { buildType: 'x' }, runDetails: { builder: { id } } }))).summary;
    assert.equal(s.builder.id, id);
  });

  test('a run URL or repository link is only derived from https', () => {
    const s = summarizePredicate(V1, {
      buildDefinition: {
        buildType: 'https://actions.github.io/buildtypes/workflow/v1',
        externalParameters: { workflow: { repository: 'javascript:alert(1)', ref: 'refs/heads/main', path: 'x.yml' } },
      },
      runDetails: { builder: { id: 'b' }, metadata: { invocationId: 'http://github.com/o/r/actions/runs/1' } },
    });
    // Not a repository location (no host): shown only as the workflow wrote it, never as a source or link.
    assert.equal(s.workflow?.repository, 'javascript:alert(1)');
    assert.equal(s.source, undefined);
    assert.equal(s.runUrl, undefined);
  });
});

describe('mutations of real provenance never crash the reader', () => {
  const dir = realFixtureDir('slsa-provenance', 'buildkit');
  test('3000 truncations, byte flips and splices: a summary or a ProvenanceError, nothing else', () => {
    const seeds = readdirSync(dir).map((f) => readFileSync(join(dir, f)));
    let state = 0x2545f491;
    const rand = (n: number) => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) % n;
    };
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const seed = Buffer.from(seeds[rand(seeds.length)]!);
      const mode = rand(3);
      let input: Buffer;
      if (mode === 0) input = seed.subarray(0, rand(seed.length));
      else if (mode === 1) {
        input = Buffer.from(seed);
        for (let k = 0; k < 1 + rand(8); k++) input[rand(input.length)] = rand(256);
      } else {
        const at = rand(seed.length);
        input = Buffer.concat([seed.subarray(0, at), Buffer.from(['"', '{', '[', ']', '}', ',', 'null', '1e999', '"\\u0000"'][rand(9)]!), seed.subarray(at)]);
      }
      let outcome: string;
      try {
        readProvenance(input);
        outcome = 'summary';
      } catch (e) {
        assert.ok(e instanceof ProvenanceError, `mutation ${i} (mode ${mode}) threw ${String(e)}`);
        outcome = e.code;
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    assert.ok((outcomes.get('NOT_JSON') ?? 0) > 0 && (outcomes.get('summary') ?? 0) > 0, JSON.stringify([...outcomes]));
  });
});

describe('decodeAttestation alone', () => {
  test('reads any statement, provenance or not', () => {
    const d = decodeAttestation(json(statement({ predicateType: 'https://spdx.dev/Document', predicate: { spdxVersion: 'SPDX-2.3' } })));
    assert.equal(d.container, 'statement');
    assert.equal(d.statement.predicateType, 'https://spdx.dev/Document');
  });
});

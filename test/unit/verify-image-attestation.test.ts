import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Artifact as GraphArtifact } from '../../src/model/image-graph';
import type { ImageCheckCode } from '../../src/verify/image/image-checks';
import { verifyArtifact } from '../../src/verify/image/verify-artifact';
import type { ArtifactVerification } from '../../src/verify/image/verify-artifact';
import type { ImagePolicy } from '../../src/verify/policy/image-policy';
import { parseTrustedRoot } from '../../src/verify/trust/trust-parse';
import { embeddedTrustRoot } from '../../src/verify/trust/trust-seeds';
import type { TrustRoot } from '../../src/verify/trust/trust-types';
import { realFixture, realFixtureDir } from '../support/real-fixtures';

// The real cosign `.att` layers of slsa-github-generator's container workflow (slsa-verifier
// testdata), logged as Rekor intoto 0.0.1 entries, which @sigstore/verify cannot check and
// src/verify/bundle/rekor-intoto.ts does. Mutations of the real bytes show each check biting.
const generator = realFixtureDir('cosign-signatures', 'slsa-github-generator-container');

const GITHUB = 'https://token.actions.githubusercontent.com';
const identity = (v: string) => `https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/${v}`;

interface Att {
  covers: string;
  layer: { digest: string; size: number; annotations: Record<string, string> };
  envelope: Buffer;
}
function att(version: string): Att {
  const dir = join(generator, version, 'container_workflow_dispatch');
  const blob = (digest: string) => readFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)));
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string; annotations: Record<string, string> }> };
  const manifest = JSON.parse(blob(index.manifests.find((m) => m.annotations.kind === 'dev.cosignproject.cosign/atts')!.digest).toString('utf8')) as {
    layers: Att['layer'][];
  };
  const layer = manifest.layers[0]!;
  return { covers: readFileSync(`${dir}.digest`, 'utf8').trim(), layer, envelope: blob(layer.digest) };
}
const policy = (v: string, p: Partial<ImagePolicy> = {}): ImagePolicy => ({
  identity: { exact: identity(v) },
  issuer: { exact: GITHUB },
  requiredPredicateTypes: [],
  requireTlog: true,
  sources: {},
  ...p,
});

function verify(
  a: Att,
  p: ImagePolicy,
  overrides: { covers?: string; envelope?: Buffer; annotations?: Record<string, string>; trustRoot?: TrustRoot } = {},
): ArtifactVerification {
  const annotations = overrides.annotations ?? a.layer.annotations;
  const envelope = overrides.envelope ?? a.envelope;
  const g: GraphArtifact = {
    coversDigest: overrides.covers ?? a.covers,
    kind: 'attestation',
    format: 'cosign-tag',
    digest: a.layer.digest,
    mediaType: 'application/vnd.dsse.envelope.v1+json',
    size: envelope.length,
    annotations,
  };
  return verifyArtifact(
    g,
    { kind: 'layer', mediaType: g.mediaType, bytes: envelope, annotations },
    { policy: p, trustRoot: overrides.trustRoot ?? embeddedTrustRoot() },
  );
}
const status = (r: ArtifactVerification, code: ImageCheckCode) => r.checks.filter((c) => c.code === code).map((c) => c.status);
const failures = (r: ArtifactVerification) => r.checks.filter((c) => c.status === 'fail').map((c) => c.code);

/** The envelope with its statement edited (base64 payload re-encoded; the signature no longer fits). */
function withStatement(envelope: Buffer, edit: (s: Record<string, unknown>) => void, payloadType?: string): Buffer {
  const env = JSON.parse(envelope.toString('utf8')) as { payload: string; payloadType: string };
  const statement = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as Record<string, unknown>;
  edit(statement);
  env.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
  if (payloadType !== undefined) env.payloadType = payloadType;
  return Buffer.from(JSON.stringify(env));
}

function withRekorBundle(
  a: Att,
  edit: (b: { SignedEntryTimestamp: string; Payload: { body: string; integratedTime: number; logIndex: number; logID: string } }) => void,
): Record<string, string> {
  const b = JSON.parse(a.layer.annotations['dev.sigstore.cosign/bundle']!) as Parameters<typeof edit>[0];
  edit(b);
  return { ...a.layer.annotations, 'dev.sigstore.cosign/bundle': JSON.stringify(b) };
}

describe('real cosign attestations with Rekor intoto 0.0.1 entries', () => {
  for (const v of ['v1.4.0', 'v1.5.0', 'v1.6.0', 'v1.7.0', 'v1.8.0']) {
    test(`${v}: verified for the generator's workflow, SET and body checked by us`, () => {
      const r = verify(att(v), policy(v));
      assert.deepEqual(
        [r.state, r.kind, r.predicateType, r.identity, r.issuer],
        ['verified', 'attestation', 'https://slsa.dev/provenance/v0.2', identity(v), GITHUB],
      );
      const tlog = r.checks.filter((c) => c.code === 'TLOG');
      assert.equal(tlog.length, 1);
      assert.equal(tlog[0]!.evidence?.entryKind, 'intoto/0.0.1');
      assert.match(tlog[0]!.message, /SET verifies with the trusted log key and its body records this envelope \(envelope and payload hashes\)/);
      assert.deepEqual(status(r, 'TLOG_SIGNER'), ['pass']);
      assert.deepEqual(status(r, 'CERTIFICATE_CHAIN'), ['pass']);
      assert.deepEqual(status(r, 'TIMESTAMP'), ['pass']);
    });
  }

  test('tampered envelope bytes (same content, one more space): the logged envelope hash no longer matches', () => {
    const a = att('v1.4.0');
    const r = verify(a, policy('v1.4.0'), { envelope: Buffer.concat([a.envelope, Buffer.from(' ')]) });
    assert.equal(r.state, 'failed');
    assert.deepEqual(failures(r), ['TLOG']);
    assert.match(r.checks.find((c) => c.code === 'TLOG')!.message, /envelope hash mismatch/);
  });

  test('tampered statement: signature and logged payload hash both refuse it', () => {
    const a = att('v1.5.0');
    const r = verify(a, policy('v1.5.0'), {
      envelope: withStatement(a.envelope, (s) => {
        s.predicate = {};
      }),
    });
    assert.equal(r.state, 'failed');
    assert.ok(failures(r).includes('TLOG'));
    assert.match(r.checks.find((c) => c.code === 'TLOG')!.message, /payload hash mismatch/);
  });

  test('statement about another image: the subject check fails, even though everything is validly signed', () => {
    const r = verify(att('v1.6.0'), policy('v1.6.0'), { covers: att('v1.7.0').covers });
    assert.equal(r.state, 'failed');
    assert.deepEqual(failures(r), ['ARTIFACT']);
    assert.deepEqual(status(r, 'SIGNATURE'), ['pass']);
  });

  test('wrong payload type: not an in-toto statement, nothing binds it to the image', () => {
    const a = att('v1.6.0');
    const r = verify(a, policy('v1.6.0'), { envelope: withStatement(a.envelope, () => undefined, 'application/json') });
    assert.equal(r.state, 'failed');
    assert.ok(failures(r).includes('ARTIFACT'));
    assert.match(r.checks.find((c) => c.code === 'ARTIFACT' && c.status === 'fail')!.message, /payload type is "application\/json"/);
  });

  test('a SET over another body, a moved integrated time, an unknown log: the promise does not verify', () => {
    const a = att('v1.7.0');
    const other = att('v1.8.0');
    const otherBody = (JSON.parse(other.layer.annotations['dev.sigstore.cosign/bundle']!) as { Payload: { body: string } }).Payload.body;
    const swapped = verify(a, policy('v1.7.0'), {
      annotations: withRekorBundle(a, (b) => {
        b.Payload.body = otherBody;
      }),
    });
    assert.equal(swapped.state, 'failed');
    assert.match(swapped.checks.find((c) => c.code === 'TLOG')!.message, /SET\) of entry 0 \(intoto\/0\.0\.1\) does not verify/);
    const moved = verify(a, policy('v1.7.0'), {
      annotations: withRekorBundle(a, (b) => {
        b.Payload.integratedTime += 60;
      }),
    });
    assert.match(moved.checks.find((c) => c.code === 'TLOG')!.message, /does not verify/);
    const unknown = verify(a, policy('v1.7.0'), {
      annotations: withRekorBundle(a, (b) => {
        b.Payload.logID = 'ab'.repeat(32);
      }),
    });
    assert.match(unknown.checks.find((c) => c.code === 'TLOG')!.message, /names a log this trusted root does not have/);
  });

  test('the certificate of another attestation: the log entry records another signer, the signature does not verify', () => {
    const a = att('v1.4.0');
    const cert = att('v1.5.0').layer.annotations['dev.sigstore.cosign/certificate']!;
    const r = verify(a, policy('v1.5.0'), { annotations: { ...a.layer.annotations, 'dev.sigstore.cosign/certificate': cert } });
    assert.equal(r.state, 'failed');
    assert.ok(failures(r).includes('TLOG_SIGNER'));
  });

  test("an untrusted CA (GitHub's own instance instead of public-good): the chain does not verify", () => {
    const path = realFixture('trusted-root', 'github.trusted_root.json');
    const github = parseTrustedRoot(readFileSync(path), { kind: 'file', path });
    const r = verify(att('v1.8.0'), policy('v1.8.0'), { trustRoot: github });
    assert.equal(r.state, 'failed');
    assert.deepEqual(failures(r), ['CERTIFICATE_CHAIN', 'TLOG']);
  });

  test('unpinned, wrong identity, wrong issuer, unanchored-only pattern', () => {
    const a = att('v1.8.0');
    assert.equal(verify(a, policy('v1.8.0', { identity: undefined, issuer: undefined })).state, 'unpinned');
    assert.deepEqual(failures(verify(a, policy('v1.7.0'))), ['IDENTITY']);
    assert.deepEqual(failures(verify(a, policy('v1.8.0', { issuer: { exact: 'https://accounts.google.com' } }))), ['ISSUER']);
    assert.deepEqual(failures(verify(a, policy('v1.8.0', { identity: { regexp: 'https://github.com/slsa-framework/slsa-github-generator/' } }))), ['IDENTITY']);
  });

  test('GitHub claims the policy pins: source repository and trigger from the certificate', () => {
    const a = att('v1.8.0');
    const ok = verify(a, policy('v1.8.0', { github: { buildTrigger: { exact: 'workflow_dispatch' } } }));
    assert.equal(ok.state, 'verified');
    assert.deepEqual(status(ok, 'GITHUB_CLAIMS'), ['pass']);
    const wrong = verify(a, policy('v1.8.0', { github: { sourceRepositoryUri: { exact: 'https://github.com/rancher/fleet' } } }));
    assert.equal(wrong.state, 'failed');
    assert.match(
      wrong.checks.find((c) => c.code === 'GITHUB_CLAIMS')!.message,
      /source repository \(1\.3\.6\.1\.4\.1\.57264\.1\.12\) is "https:\/\/github\.com\/slsa-framework\/example-package"; the policy expects "https:\/\/github\.com\/rancher\/fleet"/,
    );
  });
});

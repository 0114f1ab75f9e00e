// Issue 6 item 1: gzip bombs, JSON bombs and deeply nested JSON from a hostile registry, through the
// real client, buildGraph and verifyImage. The client never decompresses (undici's request() does
// not, and nothing asks it to), so a bomb is judged by its bytes on the wire: the digest check or
// the size limit refuses it. A signed payload nested 100,000 levels deep is checked without a
// crash (JSON.parse in V8 is iterative).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { buildGraph } from '../../src/registry/graph';
import { openReference } from '../../src/registry/open';
import { parseReference } from '../../src/registry/reference';
import type { ImagePolicy } from '../../src/verify/image-policy';
import { parseTrustedRoot } from '../../src/verify/trust-root';
import type { TrustRoot } from '../../src/verify/trust-root';
import type { ImageVerification } from '../../src/verify/verify-image';
import { verifyImage } from '../../src/verify/verify-image';
import { pushMultiArchIndex } from '../support/fixtures';
import type { PushedIndex } from '../support/fixtures';
import { INDEX_TYPE, MANIFEST_TYPE, attack, serveBytes } from '../support/hostile-answers';
import { gzipBomb, nestedArrays, sha256 } from '../support/hostile-bombs';
import { rejectsWith, startHostileRegistry, walk } from '../support/hostile-registry';
import type { HostileRegistry } from '../support/hostile-registry';
import type { SigningIdentity } from '../support/sigstore/ca';
import { attestationLayer, signatureLayer } from '../support/sigstore/cosign';
import { IN_TOTO_PAYLOAD_TYPE, SLSA_PROVENANCE_V1 } from '../support/sigstore/in-toto';
import { createMiniSigstore } from '../support/sigstore/mini-sigstore';
import type { MiniSigstore } from '../support/sigstore/mini-sigstore';
import { pushCosignLayers } from '../support/sigstore/release';
import { signEnvelope, signMessage } from '../support/sigstore/signed';

const TAG = 'v1.0.0';
/** 64 MiB of zeros: 16 times the manifest limit once inflated, about 64 KiB on the wire. */
const BOMB = gzipBomb(64 * 1024 * 1024);
/** Deeply nested, as the issue asks: 100,000 levels. */
const DEEP = 100_000;

describe('hostile content: gzip and JSON bombs', () => {
  let h: HostileRegistry;
  let index: PushedIndex;
  const repo = 'hostile/bombs';
  const indexPath = `/v2/${repo}/manifests/${TAG}`;
  const ref = (): string => `${h.proxy.host}/${repo}:${TAG}`;
  before(async () => {
    h = await startHostileRegistry();
    index = await pushMultiArchIndex(h.reg, repo, { tag: TAG, platforms: ['linux/amd64', 'linux/arm64'], predicateTypes: [], buildCacheEntry: false });
  });
  beforeEach(() => h.proxy.reset());
  after(() => h?.stop());

  test(`gzip bomb as a platform manifest by digest (64 MiB of zeros, ${BOMB.length} bytes gzipped, Content-Encoding: gzip): not inflated; DIGEST_MISMATCH computed over the bytes on the wire`, async () => {
    const amd64 = index.platforms[0]!;
    const path = `/v2/${repo}/manifests/${amd64.digest}`;
    h.proxy.inject({ path, method: 'GET', fault: attack('gzip bomb', serveBytes(BOMB, { 'content-type': MANIFEST_TYPE, 'content-encoding': 'gzip' })) });
    const g = await walk(h, h.client(), ref());
    assert.deepEqual(g.problems.map((p) => [p.at, p.code]), [[amd64.digest, 'DIGEST_MISMATCH']]);
    assert.ok(g.problems[0]!.message.includes(`does not match its digest ${amd64.digest} (computed ${sha256(BOMB)})`), g.problems[0]!.message);
    assert.deepEqual(h.proxy.requestsTo(path).map((r) => [r.status, r.bytesSent, r.aborted]), [[200, BOMB.length, false]]);
  });

  test('gzip bomb as the index by tag (no digest header to check against): PROTOCOL "not valid JSON" for the digest of the gzipped bytes', async () => {
    h.proxy.inject({ path: indexPath, method: 'GET', fault: attack('gzip bomb', serveBytes(BOMB, { 'content-type': INDEX_TYPE, 'content-encoding': 'gzip' })) });
    const e = await rejectsWith(walk(h, h.client(), ref()), 'PROTOCOL');
    assert.equal(e.message, `Manifest ${sha256(BOMB)} is not valid JSON.`);
  });

  test('gzip bomb larger on the wire than manifestBytes (16 KiB): TOO_LARGE from its Content-Length, refused unread', async () => {
    h.proxy.inject({ path: indexPath, method: 'GET', fault: attack('gzip bomb', serveBytes(BOMB, { 'content-type': INDEX_TYPE, 'content-encoding': 'gzip' })) });
    const e = await rejectsWith(walk(h, h.client({ manifestBytes: 16 * 1024 }), ref()), 'TOO_LARGE');
    assert.deepEqual([e.details.limit, e.details.seen], [16 * 1024, BOMB.length]);
  });

});

describe('hostile content: deeply nested signature payloads and attestations, signed by the pinned signer', () => {
  let h: HostileRegistry;
  let mini: MiniSigstore;
  let signer: SigningIdentity;
  let trustRoot: TrustRoot;
  let policy: ImagePolicy;
  const repo = 'hostile/deep';

  before(async () => {
    [h, mini] = await Promise.all([startHostileRegistry(), createMiniSigstore()]);
    signer = await mini.githubIdentity({ repository: 'hostile/app', ref: `refs/tags/${TAG}` });
    trustRoot = parseTrustedRoot(mini.trustedRootBytes, { kind: 'file', path: 'mini-sigstore/trusted_root.json' });
    policy = { identity: { exact: signer.identity }, issuer: { exact: signer.issuer! }, requiredPredicateTypes: [], requireTlog: true, sources: {} };
  });
  after(async () => {
    await h?.stop();
    await mini?.dispose();
  });

  /** Pushes an index signed by `.sig`/`.att` layers whose payloads the test writes as text; verifies it. */
  async function verifyWith(name: string, sig: string | undefined, statement: string | undefined, policyFor: ImagePolicy = policy): Promise<ImageVerification> {
    const pushed = await pushMultiArchIndex(h.reg, `${repo}-${name}`, { tag: TAG, platforms: ['linux/amd64'], predicateTypes: [], buildCacheEntry: false });
    const log = { log: mini.log };
    const fill = (text: string): Buffer => Buffer.from(text.replace('<DIGEST>', pushed.digest).replace('<HEX>', pushed.digest.slice(7)));
    if (sig !== undefined) await pushCosignLayers(h.reg, `${repo}-${name}`, pushed.digest, 'sig', [signatureLayer(signMessage(signer, fill(sig), log))]);
    if (statement !== undefined) {
      const envelope = signEnvelope(signer, IN_TOTO_PAYLOAD_TYPE, fill(statement), { ...log, entryKind: 'intoto/0.0.2' });
      await pushCosignLayers(h.reg, `${repo}-${name}`, pushed.digest, 'att', [attestationLayer(envelope, SLSA_PROVENANCE_V1)]);
    }
    const client = h.client();
    try {
      const { source, target } = openReference(parseReference(`${h.proxy.host}/${repo}-${name}:${TAG}`), client);
      const graph = await buildGraph(source, target);
      return await verifyImage(source, graph, { policy: policyFor, trustRoot });
    } finally {
      await client.close();
    }
  }

  const critical = (image: string): string => `{"identity":{"docker-reference":"${repo}"},"image":${image},"type":"cosign container image signature"}`;
  /** SLSA v1 in shape, with the nesting where a reader of the source would look. */
  const deepProvenance = (): string => `{"buildDefinition":{"buildType":"https://hostile.example/build","externalParameters":{"workflow":${nestedArrays(DEEP)}}},"runDetails":{"builder":{"id":"https://hostile.example/builder"}}}`;
  const statement = (predicate: string): string => `{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"${SLSA_PROVENANCE_V1}","subject":[{"name":"${repo}","digest":{"sha256":"<HEX>"}}],"predicate":${predicate}}`;

  test(`simple-signing payload with ${DEEP.toLocaleString('en')} levels in "optional": verified (optional is free-form), no crash`, async () => {
    const v = await verifyWith('optional', `{"critical":${critical('{"docker-manifest-digest":"<DIGEST>"}')},"optional":${nestedArrays(DEEP)}}`, undefined);
    assert.deepEqual(v.artifacts.map((a) => [a.kind, a.state]), [['signature', 'verified']]);
    assert.equal(v.verdict.state, 'verified');
  });

  test(`simple-signing payload whose critical.image is ${DEEP.toLocaleString('en')} levels deep: signature failed on CLAIMS, never verified`, async () => {
    const v = await verifyWith('critical', `{"critical":${critical(nestedArrays(DEEP))},"optional":null}`, undefined);
    const a = v.artifacts[0]!;
    assert.deepEqual([a.kind, a.state], ['signature', 'failed']);
    assert.deepEqual(a.checks.filter((c) => c.status === 'fail').map((c) => c.code), ['CLAIMS']);
    assert.equal(v.verdict.verified, false);
  });

  test(`attestation whose SLSA v1 predicate is ${DEEP.toLocaleString('en')} levels deep (externalParameters.workflow), no SLSA expectations: verified as signed by the pinned signer (the predicate is not walked), no crash`, async () => {
    const v = await verifyWith('predicate', undefined, statement(deepProvenance()));
    const a = v.artifacts.find((x) => x.format === 'cosign-tag')!;
    assert.deepEqual([a.kind, a.predicateType, a.state], ['attestation', SLSA_PROVENANCE_V1, 'verified']);
    assert.deepEqual(a.checks.filter((c) => c.status === 'fail'), []);
    assert.equal(v.verdict.state, 'unsigned', 'an attestation is not a signature');
  });

  test(`attestation whose SLSA v1 predicate is ${DEEP.toLocaleString('en')} levels deep (externalParameters.workflow), under a source-repository expectation: failed (SLSA_SOURCE_REPOSITORY not met), never verified, no crash`, async () => {
    const v = await verifyWith('slsa', undefined, statement(deepProvenance()), { ...policy, slsa: { sourceRepository: 'https://github.com/hostile/app' } });
    const a = v.artifacts.find((x) => x.format === 'cosign-tag')!;
    assert.deepEqual([a.kind, a.state, a.verified], ['attestation', 'failed', false]);
    // The required expectation is not met (the walk of the predicate found no source), so the attestation fails.
    assert.deepEqual(a.checks.filter((c) => c.code.startsWith('SLSA_')).map((c) => [c.code, c.status]), [['SLSA_FORMAT', 'pass'], ['SLSA_BUILDER', 'info'], ['SLSA_BUILD_TYPE', 'warn'], ['SLSA_SOURCE_REPOSITORY', 'warn']]);
    assert.equal(a.checks.find((c) => c.code === 'SLSA_SOURCE_REPOSITORY')!.message, 'The provenance does not record the source repository; expected https://github.com/hostile/app.');
  });
});

// Gzip bombs, JSON bombs and deeply nested JSON from a hostile registry, through the
// real client, buildGraph and verifyImage. The client never decompresses (undici's request() does
// not, and nothing asks it to), so a bomb is judged by its bytes on the wire: the digest check or
// the size limit refuses it. JSON.parse in V8 is iterative, so depth alone cannot overflow its
// stack, but 4 MiB of brackets cost it seconds and a hundred MB (a 32 MiB tag list, a gigabyte):
// registry JSON nested deeper than 64 levels or holding over a million values is refused before
// it is parsed (src/registry/json-shape.ts).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { buildGraph } from '../../src/registry/graph';
import { openReference } from '../../src/registry/open';
import { parseReference } from '../../src/registry/reference';
import type { ImagePolicy } from '../../src/verify/policy/image-policy';
import { parseTrustedRoot } from '../../src/verify/trust/trust-parse';
import type { TrustRoot } from '../../src/verify/trust/trust-types';
import type { ImageVerification } from '../../src/verify/image/verify-graph';
import { verifyImage } from '../../src/verify/verify-image';
import { pushMultiArchIndex } from '../support/fixtures';
import type { PushedIndex } from '../support/fixtures';
import { INDEX_TYPE, MANIFEST_TYPE, attack, serveBytes } from '../support/hostile-answers';
import { deepIndex, gzipBomb, nestedArrays, sha256, tinyObjectsIndex } from '../support/hostile-bombs';
import { startHostileRegistry, timed, walk } from '../support/hostile-registry';
import { rejectsWith } from '../support/rejects-with';
import type { HostileRegistry } from '../support/hostile-registry';
import type { SigningIdentity } from '../support/sigstore/ca';
import { attestationLayer, signatureLayer } from '../support/sigstore/cosign';
import { IN_TOTO_PAYLOAD_TYPE, SLSA_PROVENANCE_V1 } from '../support/sigstore/in-toto';
import { createMiniSigstore } from '../support/sigstore/mini-sigstore';
import type { MiniSigstore } from '../support/sigstore/mini-sigstore';
import { pushCosignLayers } from '../support/sigstore/release';
import { signEnvelope, signMessage } from '../support/sigstore/signed';

const TAG = 'v1.0.0';
const MANIFEST_LIMIT = 4 * 1024 * 1024;
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
    assert.deepEqual(
      g.problems.map((p) => [p.at, p.code]),
      [[amd64.digest, 'DIGEST_MISMATCH']],
    );
    assert.ok(g.problems[0]!.message.includes(`does not match its digest ${amd64.digest} (computed ${sha256(BOMB)})`), g.problems[0]!.message);
    assert.deepEqual(
      h.proxy.requestsTo(path).map((r) => [r.status, r.bytesSent, r.aborted]),
      [[200, BOMB.length, false]],
    );
  });

  test('gzip bomb as the index by tag (no digest header to check against): NOT_A_MANIFEST "not valid JSON" for the digest of the gzipped bytes', async () => {
    h.proxy.inject({
      path: indexPath,
      method: 'GET',
      fault: attack('gzip bomb', serveBytes(BOMB, { 'content-type': INDEX_TYPE, 'content-encoding': 'gzip' })),
    });
    const e = await rejectsWith(walk(h, h.client(), ref()), 'NOT_A_MANIFEST');
    assert.equal(e.message, `Manifest ${sha256(BOMB)} is not valid JSON, so it is no image manifest or index.`);
  });

  test('gzip bomb larger on the wire than manifestBytes (16 KiB): TOO_LARGE from its Content-Length, refused unread', async () => {
    h.proxy.inject({
      path: indexPath,
      method: 'GET',
      fault: attack('gzip bomb', serveBytes(BOMB, { 'content-type': INDEX_TYPE, 'content-encoding': 'gzip' })),
    });
    const e = await rejectsWith(walk(h, h.client({ manifestBytes: 16 * 1024 }), ref()), 'TOO_LARGE');
    assert.deepEqual([e.details.limit, e.details.seen], [16 * 1024, BOMB.length]);
  });

  test('JSON bomb: a manifest of 2 million nested arrays (4 MiB, just under the limit): PROTOCOL "nests deeper than 64 levels", refused unparsed, < 1 s', async () => {
    const body = Buffer.from(nestedArrays(MANIFEST_LIMIT / 2 - 8));
    h.proxy.inject({ path: indexPath, method: 'GET', fault: attack('nested-array bomb', serveBytes(body, { 'content-type': INDEX_TYPE })) });
    const { ms, error } = await timed(walk(h, h.client(), ref()));
    const e = await rejectsWith(Promise.reject(error), 'PROTOCOL');
    assert.equal(e.message, `Manifest ${sha256(body)} nests deeper than 64 levels; real ones are flat, so it was refused unparsed.`);
    assert.ok(ms < 1_000, `${Math.round(ms)} ms`);
  });

  test('JSON bomb: 2 million nested arrays in an unknown field of an otherwise valid index (4 MiB): PROTOCOL "nests deeper than 64 levels", < 1 s', async () => {
    const body = deepIndex((MANIFEST_LIMIT - 200) / 2);
    assert.ok(body.length < MANIFEST_LIMIT && body.length > MANIFEST_LIMIT - 256);
    h.proxy.inject({ path: indexPath, method: 'GET', fault: attack('nested arrays in an unknown field', serveBytes(body, { 'content-type': INDEX_TYPE })) });
    const { ms, error } = await timed(walk(h, h.client(), ref()));
    const e = await rejectsWith(Promise.reject(error), 'PROTOCOL');
    assert.equal(e.message, `Manifest ${sha256(body)} nests deeper than 64 levels; real ones are flat, so it was refused unparsed.`);
    assert.ok(ms < 1_000, `${Math.round(ms)} ms`);
  });

  test('JSON bomb: 1.4 million empty objects as index entries (4 MiB): PROTOCOL "more than 1000000 values", refused unparsed, < 1 s', async () => {
    const body = tinyObjectsIndex(Math.floor((MANIFEST_LIMIT - 100) / 3));
    h.proxy.inject({ path: indexPath, method: 'GET', fault: attack('a million tiny objects', serveBytes(body, { 'content-type': INDEX_TYPE })) });
    const { ms, error } = await timed(walk(h, h.client(), ref()));
    const e = await rejectsWith(Promise.reject(error), 'PROTOCOL');
    assert.equal(e.message, `Manifest ${sha256(body)} holds more than 1000000 values; it was refused unparsed.`);
    assert.ok(ms < 1_000, `${Math.round(ms)} ms`);
  });

  test('JSON bomb: a tag list of 15 million nested arrays (30 MiB, under the 32 MiB limit): refused unparsed; the walk asks for each cosign and referrers tag instead, complete, < 3 s', async () => {
    const body = Buffer.from(`{"name":"${repo}","tags":${nestedArrays(15 * 1024 * 1024)}}`);
    const tagsPath = `/v2/${repo}/tags/list`;
    h.proxy.inject({ path: tagsPath, method: 'GET', fault: attack('tag list bomb', serveBytes(body, { 'content-type': 'application/json' })) });
    const { ms, value: g } = await timed(walk(h, h.client(), ref()));
    assert.deepEqual([g?.digest, g?.platforms.length, g?.problems], [index.digest, 2, []]);
    assert.deepEqual(
      h.proxy.requestsTo(tagsPath).map((r) => [r.status, r.bytesSent]),
      [[200, body.length]],
    );
    assert.equal(
      h.proxy.requestsTo(/\/manifests\/sha256-[0-9a-f]{64}(\.sig|\.att|\.sbom)?$/).length,
      3 * 4,
      'without the tag list, the 3 cosign tags and the referrers tag of each of 3 digests are asked for',
    );
    assert.ok(ms < 3_000, `${Math.round(ms)} ms`);
  });

  test(`deeply nested platform manifest (${DEEP.toLocaleString('en')} levels in an unknown field): PROTOCOL problem at that platform; the other platform read`, async () => {
    const amd64 = index.platforms[0]!;
    const doc = await h.reg.dispatcher
      .request({ origin: h.reg.url, path: `/v2/${repo}/manifests/${amd64.digest}`, method: 'GET', headers: { accept: MANIFEST_TYPE } })
      .then((r) => r.body.text());
    const body = Buffer.from(`${doc.slice(0, -1)},"hostile":${nestedArrays(DEEP)}}`);
    const digest = sha256(body);
    const lied = Buffer.from(
      index.bytes.toString('utf8').replace(`"digest":"${amd64.digest}","size":${amd64.size}`, `"digest":"${digest}","size":${body.length}`),
    );
    h.proxy.inject({ path: indexPath, method: 'GET', fault: attack('index naming a deep manifest', serveBytes(lied, { 'content-type': INDEX_TYPE })) });
    h.proxy.inject({ path: `/v2/${repo}/manifests/${digest}`, method: 'GET', fault: attack('deep manifest', serveBytes(body)) });
    const g = await walk(h, h.client(), ref());
    assert.deepEqual(g.problems, [
      { at: digest, code: 'PROTOCOL', message: `Manifest ${digest} nests deeper than 64 levels; real ones are flat, so it was refused unparsed.` },
    ]);
    assert.deepEqual(
      g.platforms.map((p) => [p.digest, p.imageSize !== undefined]),
      [
        [digest, false],
        [index.platforms[1]!.digest, true],
      ],
    );
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
  const deepProvenance = (): string =>
    `{"buildDefinition":{"buildType":"https://hostile.example/build","externalParameters":{"workflow":${nestedArrays(DEEP)}}},"runDetails":{"builder":{"id":"https://hostile.example/builder"}}}`;
  const statement = (predicate: string): string =>
    `{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"${SLSA_PROVENANCE_V1}","subject":[{"name":"${repo}","digest":{"sha256":"<HEX>"}}],"predicate":${predicate}}`;

  test(`simple-signing payload with ${DEEP.toLocaleString('en')} levels in "optional": verified (optional is free-form), no crash`, async () => {
    const v = await verifyWith('optional', `{"critical":${critical('{"docker-manifest-digest":"<DIGEST>"}')},"optional":${nestedArrays(DEEP)}}`, undefined);
    assert.deepEqual(
      v.artifacts.map((a) => [a.kind, a.state]),
      [['signature', 'verified']],
    );
    assert.equal(v.verdict.state, 'verified');
  });

  test(`simple-signing payload whose critical.image is ${DEEP.toLocaleString('en')} levels deep: signature failed on CLAIMS, never verified`, async () => {
    const v = await verifyWith('critical', `{"critical":${critical(nestedArrays(DEEP))},"optional":null}`, undefined);
    const a = v.artifacts[0]!;
    assert.deepEqual([a.kind, a.state], ['signature', 'failed']);
    assert.deepEqual(
      a.checks.filter((c) => c.status === 'fail').map((c) => c.code),
      ['CLAIMS'],
    );
    assert.equal(v.verdict.verified, false);
  });

  test(`attestation whose SLSA v1 predicate is ${DEEP.toLocaleString('en')} levels deep (externalParameters.workflow), no SLSA expectations: verified as signed by the pinned signer (the predicate is not walked), no crash`, async () => {
    const v = await verifyWith('predicate', undefined, statement(deepProvenance()));
    const a = v.artifacts.find((x) => x.format === 'cosign-tag')!;
    assert.deepEqual([a.kind, a.predicateType, a.state], ['attestation', SLSA_PROVENANCE_V1, 'verified']);
    assert.deepEqual(
      a.checks.filter((c) => c.status === 'fail'),
      [],
    );
    assert.equal(v.verdict.state, 'unsigned', 'an attestation is not a signature');
  });

  test(`attestation whose SLSA v1 predicate is ${DEEP.toLocaleString('en')} levels deep (externalParameters.workflow), under a source-repository expectation: failed (SLSA_SOURCE_REPOSITORY not met), never verified, no crash`, async () => {
    const v = await verifyWith('slsa', undefined, statement(deepProvenance()), { ...policy, slsa: { sourceRepository: 'https://github.com/hostile/app' } });
    const a = v.artifacts.find((x) => x.format === 'cosign-tag')!;
    assert.deepEqual([a.kind, a.state, a.verified], ['attestation', 'failed', false]);
    // The required expectation is not met (the walk of the predicate found no source), so the attestation fails.
    assert.deepEqual(
      a.checks.filter((c) => c.code.startsWith('SLSA_')).map((c) => [c.code, c.status]),
      [
        ['SLSA_FORMAT', 'pass'],
        ['SLSA_BUILDER', 'info'],
        ['SLSA_BUILD_TYPE', 'warn'],
        ['SLSA_SOURCE_REPOSITORY', 'warn'],
      ],
    );
    assert.equal(
      a.checks.find((c) => c.code === 'SLSA_SOURCE_REPOSITORY')!.message,
      'The provenance does not record the source repository; expected https://github.com/hostile/app.',
    );
  });
});

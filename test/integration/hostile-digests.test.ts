// A hostile registry: content that is not what its digest (or its index entry) says, from a hostile
// registry, through the real client, buildGraph and verifyImage with the mini Sigstore. A signature
// whose bytes were changed is never "verified": it is not checked, and the image with it.
// Already covered in test/integration/faults.test.ts and not repeated: a flipped byte in a platform
// manifest, in a blob served by another host, and in the index by tag and by digest (CLI).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { buildGraph } from '../../src/registry/graph';
import type { ImageGraph } from '../../src/model/image-graph';
import { openReference } from '../../src/registry/open';
import { parseReference } from '../../src/registry/reference';
import type { ImagePolicy } from '../../src/verify/policy/image-policy';
import { parseTrustedRoot } from '../../src/verify/trust/trust-parse';
import type { TrustRoot } from '../../src/verify/trust/trust-types';
import type { ImageVerification } from '../../src/verify/image/verify-graph';
import { verifyImage } from '../../src/verify/verify-image';
import { INDEX_TYPE, attack, bytesOf, serveBytes } from '../support/hostile-answers';
import { sha256 } from '../support/hostile-bombs';
import { startHostileRegistry, walk } from '../support/hostile-registry';
import { rejectsWith } from '../support/rejects-with';
import type { HostileRegistry } from '../support/hostile-registry';
import type { SigningIdentity } from '../support/sigstore/ca';
import { createMiniSigstore } from '../support/sigstore/mini-sigstore';
import type { MiniSigstore } from '../support/sigstore/mini-sigstore';
import { pushSignedRelease } from '../support/sigstore/release';
import type { SignedRelease } from '../support/sigstore/release';

const TAG = 'v1.0.0';

describe('hostile content: bytes that are not what their digest says', () => {
  let h: HostileRegistry;
  let mini: MiniSigstore;
  let signer: SigningIdentity;
  let trustRoot: TrustRoot;
  let policy: ImagePolicy;
  /** Signed by a cosign `.sig` on the index only. */
  let cosign: SignedRelease;
  /** Signed by cosign v3 referrers (a sign/v1 bundle and SLSA provenance) on the index only. */
  let referrers: SignedRelease;

  before(async () => {
    [h, mini] = await Promise.all([startHostileRegistry(), createMiniSigstore()]);
    signer = await mini.githubIdentity({ repository: 'hostile/app', ref: `refs/tags/${TAG}` });
    trustRoot = parseTrustedRoot(mini.trustedRootBytes, { kind: 'file', path: 'mini-sigstore/trusted_root.json' });
    policy = { identity: { exact: signer.identity }, issuer: { exact: signer.issuer! }, requiredPredicateTypes: [], requireTlog: true, sources: {} };
    const common = { sigstore: mini, signer, tag: TAG, platforms: ['linux/amd64', 'linux/arm64'], sourceRepository: 'hostile/app' } as const;
    cosign = await pushSignedRelease(h.reg, 'hostile/cosign', { ...common, cosignSignatures: ['index'], cosignAttestations: [] });
    referrers = await pushSignedRelease(h.reg, 'hostile/referrers', { ...common, cosignSignatures: [], cosignAttestations: [], referrers: ['index'] });
  });
  beforeEach(() => h.proxy.reset());
  after(async () => {
    await h?.stop();
    await mini?.dispose();
  });

  const ref = (r: SignedRelease): string => `${h.proxy.host}/${r.repo}:${TAG}`;

  async function verify(r: SignedRelease): Promise<{ graph: ImageGraph; result: ImageVerification }> {
    const client = h.client();
    try {
      const { source, target } = openReference(parseReference(ref(r)), client);
      const graph = await buildGraph(source, target);
      return { graph, result: await verifyImage(source, graph, { policy, trustRoot }) };
    } finally {
      await client.close();
      await h.proxy.settled();
    }
  }

  const stateOf = (v: { result: ImageVerification }, digest: string): string | undefined => v.result.artifacts.find((a) => a.digest === digest)?.state;

  test('control: untouched, the cosign .sig verifies and so does the image', async () => {
    const v = await verify(cosign);
    const sig = cosign.signatures[0]!;
    assert.deepEqual([stateOf(v, sig.layerDigest), v.result.verdict.state], ['verified', 'verified']);
  });

  test('cosign .sig layer with a flipped byte: DIGEST_MISMATCH naming its digest; the signature is not-checked (never verified), and so is the image', async () => {
    const sig = cosign.signatures[0]!;
    const path = `/v2/${cosign.repo}/blobs/${sig.layerDigest}`;
    h.proxy.inject({ path, method: 'GET', fault: { kind: 'flip-byte' } });
    const v = await verify(cosign);
    const a = v.result.artifacts.find((x) => x.digest === sig.layerDigest)!;
    assert.deepEqual([a.state, a.verified], ['not-checked', false]);
    assert.deepEqual(
      a.checks.map((c) => [c.code, c.status]),
      [['READ', 'warn']],
    );
    assert.match(
      a.checks[0]!.message,
      new RegExp(`content does not match its digest ${sig.layerDigest} \\(computed sha256:[0-9a-f]{64}\\).*\\[DIGEST_MISMATCH\\]\\.$`),
    );
    assert.deepEqual([v.result.verdict.state, v.result.verdict.verified], ['not-checked', false]);
    assert.deepEqual(h.proxy.statuses(path), [200], 'read once: a digest mismatch is not retried');
  });

  test('control: untouched, both referrers verify (cosign v3 sign bundle, SLSA provenance) and the image is verified', async () => {
    const v = await verify(referrers);
    assert.deepEqual(
      referrers.signatures.map((s) => stateOf(v, s.manifestDigest)),
      ['verified', 'verified'],
    );
    assert.equal(v.result.verdict.state, 'verified');
  });

  test('referrer bundle blob with a flipped byte: DIGEST_MISMATCH; that referrer is not-checked, the image not verified', async () => {
    const sign = referrers.signatures[0]!;
    const path = `/v2/${referrers.repo}/blobs/${sign.layerDigest}`;
    h.proxy.inject({ path, method: 'GET', fault: { kind: 'flip-byte' } });
    const v = await verify(referrers);
    const a = v.result.artifacts.find((x) => x.digest === sign.manifestDigest)!;
    assert.deepEqual([a.state, a.verified, a.checks.map((c) => c.code)], ['not-checked', false, ['READ']]);
    assert.ok(a.checks[0]!.message.includes(`does not match its digest ${sign.layerDigest}`), a.checks[0]!.message);
    assert.equal(stateOf(v, referrers.signatures[1]!.manifestDigest), 'verified', 'the untouched attestation still verifies');
    assert.deepEqual([v.result.verdict.state, v.result.verdict.verified], ['not-checked', false]);
    assert.deepEqual(h.proxy.statuses(path), [200]);
  });

  test('referrer manifest X served with the bytes of another valid referrer Y of the same subject: DIGEST_MISMATCH, X not-checked; Y verifies on its own', async () => {
    const [sign, provenance] = referrers.signatures;
    const x = `/v2/${referrers.repo}/manifests/${sign!.manifestDigest}`;
    h.proxy.inject({
      path: x,
      method: 'GET',
      fault: attack('bytes of another referrer', bytesOf(`/v2/${referrers.repo}/manifests/${provenance!.manifestDigest}`)),
    });
    const v = await verify(referrers);
    const a = v.result.artifacts.find((r) => r.digest === sign!.manifestDigest)!;
    assert.equal(a.state, 'not-checked');
    assert.ok(
      a.checks[0]!.message.includes(`does not match its digest ${sign!.manifestDigest} (computed ${provenance!.manifestDigest})`),
      a.checks[0]!.message,
    );
    assert.equal(stateOf(v, provenance!.manifestDigest), 'verified');
    assert.equal(v.result.verdict.verified, false);
  });

  test('index entry X served with the bytes of platform Y: DIGEST_MISMATCH problem at X naming both; Y unaffected', async () => {
    const [amd64, arm64] = cosign.index.platforms;
    h.proxy.inject({
      path: `/v2/${cosign.repo}/manifests/${amd64!.digest}`,
      method: 'GET',
      fault: attack('bytes of another platform', bytesOf(`/v2/${cosign.repo}/manifests/${arm64!.digest}`)),
    });
    const g = await walk(h, h.client(), ref(cosign));
    assert.deepEqual(
      g.problems.map((p) => [p.at, p.code]),
      [[amd64!.digest, 'DIGEST_MISMATCH']],
    );
    assert.ok(g.problems[0]!.message.includes(`does not match its digest ${amd64!.digest} (computed ${arm64!.digest})`), g.problems[0]!.message);
    assert.deepEqual(
      g.platforms.map((p) => [p.digest, typeof p.imageSize]),
      [
        [amd64!.digest, 'undefined'],
        [arm64!.digest, 'number'],
      ],
    );
  });

  test('manifest by tag whose Docker-Content-Digest claims another digest: DIGEST_MISMATCH naming both, nothing used', async () => {
    const indexPath = `/v2/${cosign.repo}/manifests/${TAG}`;
    const claimed = cosign.index.platforms[0]!.digest;
    h.proxy.inject({ path: indexPath, method: 'GET', fault: attack('digest header that lies', bytesOf(indexPath, claimed)) });
    const e = await rejectsWith(walk(h, h.client(), ref(cosign)), 'DIGEST_MISMATCH');
    assert.equal(
      e.message,
      `Manifest ${cosign.repo}:${TAG} from ${h.proxy.host}: the registry says its digest is ${claimed}, but the bytes it sent hash to ${cosign.index.digest}. Nothing from it was used.`,
    );
    assert.deepEqual(h.proxy.statuses(indexPath), [200]);
  });

  test('index entry whose declared size is one byte more than the manifest: SIZE_MISMATCH problem at that platform', async () => {
    const doc = JSON.parse(cosign.index.bytes.toString('utf8')) as { manifests: Array<{ size: number; digest: string }> };
    const lied = doc.manifests[0]!;
    const actual = lied.size;
    lied.size += 1;
    const bytes = Buffer.from(JSON.stringify(doc));
    h.proxy.inject({
      path: `/v2/${cosign.repo}/manifests/${TAG}`,
      method: 'GET',
      fault: attack('index with a wrong size', serveBytes(bytes, { 'content-type': INDEX_TYPE })),
    });
    const g = await walk(h, h.client(), ref(cosign));
    assert.equal(g.digest, sha256(bytes));
    assert.deepEqual(
      g.problems.map((p) => [p.at, p.code, p.message]),
      [
        [
          lied.digest,
          'SIZE_MISMATCH',
          `The index says ${lied.digest} is ${actual + 1} bytes; it is ${actual}. A runtime checking sizes refuses it, so it was not examined.`,
        ],
      ],
    );
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RegistryClient } from '../../src/registry/client';
import type { ContentSource } from '../../src/registry/source';
import { buildGraph } from '../../src/registry/graph';
import { DEFAULT_LIMITS } from '../../src/registry/limits';
import { openReference } from '../../src/registry/open';
import { parseReference } from '../../src/registry/reference';
import { verifyImage } from '../../src/verify';
import type { ImagePolicy } from '../../src/verify/policy';
import { loadTrustRoot } from '../../src/verify/trust';
import { realFixtureDir } from '../support/real-fixtures';

// The most common real failure, on a real image: slsa-github-generator's container workflow
// (v1.8.0, `cosign save` layout in test/fixtures/real, read through `oci-layout:`) verified
// against another release of that workflow. Its attestation verifies cryptographically; only its
// signer is not the one the policy names. The cause must say so with both refs, never that the
// signature "does not verify".
const GITHUB = 'https://token.actions.githubusercontent.com';
const generator = (ref: string) => `https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/${ref}`;
const LAYOUT = realFixtureDir('cosign-signatures', 'slsa-github-generator-container', 'v1.8.0', 'container_workflow_dispatch');

async function verifyReal(policy: ImagePolicy) {
  const ref = parseReference(`oci-layout:${LAYOUT}`);
  // A layout needs no registry client: only its limits are read.
  const { source, target } = openReference(ref, { limits: DEFAULT_LIMITS } as RegistryClient);
  const graph = await buildGraph(source, target);
  const trustRoot = await loadTrustRoot({ offline: true });
  return verifyImage(source, graph, { policy, trustRoot });
}

const policy = (identity: string, coverage: ImagePolicy['coverage']): ImagePolicy => ({
  identity: { exact: identity },
  issuer: { exact: GITHUB },
  requiredPredicateTypes: [],
  requireTlog: true,
  coverage,
  sources: {},
});

describe('causes on the real slsa-github-generator v1.8.0 image', () => {
  test('verified against v1.7.0 of the workflow: IDENTITY_MISMATCH naming both refs', async () => {
    const r = await verifyReal(policy(generator('v1.7.0'), 'signatures-or-attestations'));
    assert.equal(r.verdict.state, 'failed');
    assert.deepEqual(r.verdict.causes, [
      {
        code: 'IDENTITY_MISMATCH',
        message: `The index has a SLSA provenance attestation signed by "${generator('v1.8.0')}", but the policy expects "${generator('v1.7.0')}".`,
        platforms: ['index', 'linux/amd64'],
        seen: [{ identity: generator('v1.8.0'), issuer: GITHUB }],
        expected: { identity: generator('v1.7.0'), issuer: GITHUB },
      },
    ]);
    assert.ok(r.verdict.causes.every((c) => !/does not verify/.test(c.message)));
  });

  test("under cosign's rule the same image is not signed: NO_SIGNATURE for the whole image", async () => {
    const r = await verifyReal(policy(generator('v1.7.0'), 'signatures'));
    assert.deepEqual(
      r.verdict.causes.map((c) => [c.code, c.platforms, c.message]),
      [['NO_SIGNATURE', ['index', 'linux/amd64'], 'The image is not signed: no signature on its index or on linux/amd64.']],
    );
  });

  test('with its own ref it is verified, and has no cause', async () => {
    const r = await verifyReal(policy(generator('v1.8.0'), 'signatures-or-attestations'));
    assert.deepEqual([r.verdict.state, r.verdict.causes], ['verified', []]);
  });
});

describe("BuildKit's unsigned statements left unread (the editor's readUnsignedStatements: false)", () => {
  test('the same verdict and causes, the statement never fetched, and the artifact says it was not read', async () => {
    const ref = parseReference(`oci-layout:${LAYOUT}`);
    const { source, target } = openReference(ref, { limits: DEFAULT_LIMITS } as RegistryClient);
    const graph = await buildGraph(source, target);
    const statements = graph.artifacts.filter((a) => a.format === 'buildkit-index').map((a) => a.digest);
    assert.equal(statements.length, 1, 'the real v1.8.0 image carries one BuildKit statement');
    const blobsRead: string[] = [];
    const counting: ContentSource = Object.assign(Object.create(source) as ContentSource, {
      getBlob: (repository: string, digest: string, o?: Parameters<ContentSource['getBlob']>[2]) => {
        blobsRead.push(digest);
        return source.getBlob(repository, digest, o);
      },
    });
    const trustRoot = await loadTrustRoot({ offline: true });
    const p = policy(generator('v1.8.0'), 'signatures-or-attestations');
    const read = await verifyImage(counting, graph, { policy: p, trustRoot });
    assert.ok(blobsRead.includes(statements[0]!), 'by default the statement is read');
    blobsRead.length = 0;
    const unread = await verifyImage(counting, graph, { policy: p, trustRoot, readUnsignedStatements: false });
    assert.deepEqual(
      blobsRead.filter((d) => statements.includes(d)),
      [],
      'left unread: never fetched',
    );
    assert.ok(blobsRead.length > 0, 'the signed attestation is still read');

    assert.equal(read.verdict.state, 'verified');
    assert.deepEqual(unread.verdict, read.verdict);
    const bk = (r: typeof read) => r.artifacts.find((a) => a.format === 'buildkit-index')!;
    assert.equal(bk(read).state, 'unsigned');
    assert.equal(bk(unread).state, 'unsigned');
    assert.deepEqual(
      bk(read).checks.map((c) => [c.code, c.status]),
      [
        ['UNSIGNED', 'info'],
        ['SUBJECT', 'info'],
      ],
    );
    assert.deepEqual(
      bk(unread).checks.map((c) => [c.code, c.status]),
      [
        ['UNSIGNED', 'info'],
        ['READ', 'info'],
      ],
    );
    assert.match(
      bk(unread).checks[1]!.message,
      /^Left unread, as asked: being unsigned, it cannot change the verdict, so whether it names this platform was not checked\.$/,
    );
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockAgent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import type { Dispatcher } from 'undici';
import { LensError } from '../../src/core/errors';
import { parsePublicKey } from '../../src/verify/trust/public-key';
import { loadPublicKeyFile } from '../../src/verify/trust/public-key-file';
import { describeTrustRoot } from '../../src/verify/trust/trust-describe';
import { parseTrustedRoot } from '../../src/verify/trust/trust-parse';
import { loadTrustRoot } from '../../src/verify/trust/trust-root';
import { embeddedTrustRoot } from '../../src/verify/trust/trust-seeds';
import { realFixtureDir } from '../support/real-fixtures';
import { refuseNetwork } from '../support/no-network';

const trustDir = realFixtureDir('trusted-root');
const conformance = realFixtureDir('sigstore-bundles', 'conformance');

async function rejects(p: Promise<unknown> | (() => unknown), code: string, message?: RegExp): Promise<LensError> {
  const e = await Promise.resolve()
    .then(typeof p === 'function' ? p : () => p)
    .then(
      () => assert.fail('expected an error'),
      (err: unknown) => err,
    );
  assert.ok(e instanceof LensError, `expected a LensError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  if (message) assert.match(e.message, message);
  return e;
}

describe('the embedded public-good root loads with no network', () => {
  const attempts: string[] = [];
  let previous: Dispatcher;
  let openNetwork: () => void = () => undefined;

  before(() => {
    // Every way out is closed and recorded: undici (fetch) refuses, raw sockets and DNS throw.
    previous = getGlobalDispatcher();
    const agent = new MockAgent();
    agent.disableNetConnect();
    setGlobalDispatcher(agent);
    openNetwork = refuseNetwork(attempts);
  });

  after(() => {
    openNetwork();
    setGlobalDispatcher(previous);
  });

  test('loadTrustRoot({ offline: true }) returns the public-good root, its source and age', async () => {
    const root = await loadTrustRoot({ offline: true, now: new Date('2025-10-03T12:00:00Z') });
    assert.deepEqual(attempts, []);
    const tufVersion = (JSON.parse(readFileSync(require.resolve('@sigstore/tuf/package.json'), 'utf8')) as { version: string }).version;
    assert.deepEqual(root.info.source, { kind: 'embedded', package: '@sigstore/tuf', version: tufVersion, tufRepository: 'https://tuf-repo-cdn.sigstore.dev' });
    assert.equal(root.info.instance, 'sigstore-public-good');
    assert.equal(root.info.mediaType, 'application/vnd.dev.sigstore.trustedroot+json;version=0.1');
    assert.equal(root.info.refreshed, false);
    assert.deepEqual(root.info.counts, { certificateAuthorities: 2, tlogs: 2, ctlogs: 2, timestampAuthorities: 1 });
    // The newest key is Rekor's log2025-1 shard (validFor.start 2025-09-23).
    assert.equal(root.info.newestKeyStart, '2025-09-23T00:00:00.000Z');
    assert.equal(root.info.ageDays, 10);
    assert.deepEqual(
      root.root.tlogs.map((t) => t.baseUrl),
      ['https://rekor.sigstore.dev', 'https://log2025-1.rekor.sigstore.dev'],
    );
    assert.match(
      describeTrustRoot(root.info),
      /^sigstore-public-good trusted root from embedded @sigstore\/tuf@4\.0\.\d+ \(https:\/\/tuf-repo-cdn\.sigstore\.dev\), sha256 [0-9a-f]{12}, newest key from 2025-09-23 \(10 days old\)$/,
    );
  });

  test('the embedded bytes are the published public-good trusted_root.json', () => {
    const published = readFileSync(join(trustDir, 'sigstore-public-good.trusted_root.json'));
    assert.equal(embeddedTrustRoot().info.sha256, createHash('sha256').update(published).digest('hex'));
    assert.deepEqual(attempts, []);
  });

  test("no TUF client code is loaded: @sigstore/tuf's network client stays out of the process", () => {
    embeddedTrustRoot();
    const loaded = Object.keys(require.cache).filter((p) => /[\\/]node_modules[\\/](?:@sigstore[\\/]tuf[\\/]dist|tuf-js|make-fetch-happen)[\\/]/.test(p));
    assert.deepEqual(loaded, []);
  });
});

describe('custom trusted roots', () => {
  const load = (file: string) => loadTrustRoot({ trustedRootFile: join(trustDir, file), now: new Date('2026-01-01T00:00:00Z') });

  test("GitHub's instance: Fulcio and TSA only, no transparency or CT log", async () => {
    const root = await load('github.trusted_root.json');
    assert.equal(root.info.instance, 'github');
    assert.deepEqual(root.info.counts, { certificateAuthorities: 5, tlogs: 0, ctlogs: 0, timestampAuthorities: 5 });
    assert.equal(root.info.newestKeyStart, '2025-11-13T00:00:00.000Z');
    assert.equal(root.info.ageDays, 49);
    assert.deepEqual(root.info.source, { kind: 'file', path: join(trustDir, 'github.trusted_root.json') });
    assert.equal(
      root.info.sha256,
      createHash('sha256')
        .update(readFileSync(join(trustDir, 'github.trusted_root.json')))
        .digest('hex'),
    );
  });

  test('the staging instance is recognised as staging', async () => {
    const root = await load('sigstore-staging.trusted_root.json');
    assert.equal(root.info.instance, 'sigstore-staging');
    assert.deepEqual(root.info.counts, { certificateAuthorities: 1, tlogs: 4, ctlogs: 4, timestampAuthorities: 1 });
  });

  test("gh CLI's public-good snapshot (2024, no TSA) is public-good too", async () => {
    const root = await load('cli-testdata.public-good.trusted_root.json');
    assert.equal(root.info.instance, 'sigstore-public-good');
    assert.equal(root.info.counts.timestampAuthorities, 0);
  });

  test('a tlog key whose validFor has no start rejects the whole root, naming the entry', async () => {
    await rejects(
      loadTrustRoot({ trustedRootFile: join(conformance, 'trust-root-tlog-missing-validity-start_fail', 'trusted_root.json') }),
      'PROTOCOL',
      /tlogs\[1\] \(https:\/\/log2025-alpha1\.rekor\.sigstage\.dev\) publicKey\.validFor has no start/,
    );
  });

  test('a TUF root.json is not mistaken for a trusted root', async () => {
    await rejects(load('github.tuf-root.json'), 'PROTOCOL', /is not a Sigstore trusted root/);
  });

  test('a missing file is a usage error naming the path', async () => {
    await rejects(loadTrustRoot({ trustedRootFile: join(trustDir, 'nope.json') }), 'USAGE', /nope\.json/);
  });
});

describe('trusted roots that are malformed in other ways', () => {
  const good = () =>
    JSON.parse(embeddedTrustRootJson()) as {
      certificateAuthorities: Array<{ validFor: { start?: string } }>;
      ctlogs: Array<{ publicKey: { rawBytes?: string } }>;
    };
  const source = { kind: 'file', path: 'test.json' } as const;

  test('not JSON', async () => {
    await rejects(() => parseTrustedRoot(Buffer.from('{"mediaType":'), source), 'PROTOCOL', /test\.json is not JSON/);
  });

  test('a CA with an unparseable start', async () => {
    const json = good();
    json.certificateAuthorities[1]!.validFor.start = 'yesterday';
    await rejects(
      () => parseTrustedRoot(Buffer.from(JSON.stringify(json)), source),
      'PROTOCOL',
      /certificateAuthorities\[1\] \(https:\/\/fulcio\.sigstore\.dev\) validFor has an invalid start/,
    );
  });

  test('a CT log without a key', async () => {
    const json = good();
    delete json.ctlogs[0]!.publicKey.rawBytes;
    await rejects(
      () => parseTrustedRoot(Buffer.from(JSON.stringify(json)), source),
      'PROTOCOL',
      /ctlogs\[0\] \(https:\/\/ctfe\.sigstore\.dev\/test\) has no publicKey\.rawBytes/,
    );
  });
});

function embeddedTrustRootJson(): string {
  const seeds = JSON.parse(readFileSync(require.resolve('@sigstore/tuf/seeds.json'), 'utf8')) as Record<string, { targets: Record<string, string> }>;
  return Buffer.from(seeds['https://tuf-repo-cdn.sigstore.dev']!.targets['trusted_root.json']!, 'base64').toString('utf8');
}

describe('public keys for key-based verification', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pl-keys-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test("the conformance managed key: P-256, fingerprint = the bundle's key hint", async () => {
    const key = await loadPublicKeyFile(join(conformance, 'managed-key-happy-path', 'key.pub'));
    assert.equal(key.algorithm, 'ecdsa-p256');
    // The bundle's publicKey.hint is base64(sha256(SPKI DER)).
    assert.equal(key.fingerprint, `sha256:${Buffer.from('TLMsSDfG3ajPsWge+z/vX5T/zluXnmvbkTkwLIV68Tk=', 'base64').toString('hex')}`);
  });

  test('a corrupted key (conformance managed-key-wrong-key) is a usage error', async () => {
    await rejects(loadPublicKeyFile(join(conformance, 'managed-key-wrong-key_fail', 'key.pub')), 'USAGE', /is not a valid public key/);
  });

  test('RSA and P-384 keys are described by type and size', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    assert.equal(parsePublicKey(rsa, 'rsa.pub').algorithm, 'rsa-2048');
    const pkcs1 = generateKeyPairSync('rsa', { modulusLength: 3072 }).publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    assert.equal(parsePublicKey(pkcs1, 'rsa1.pub').algorithm, 'rsa-3072');
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    assert.equal(parsePublicKey(p384, 'p384.pub').algorithm, 'ecdsa-p384');
  });

  test('a private key is refused, not silently turned into its public half', async () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await writeFile(join(dir, 'cosign.key'), pem);
    await rejects(loadPublicKeyFile(join(dir, 'cosign.key')), 'USAGE', /holds a PRIVATE KEY; pass the public key instead/);
  });

  test('a certificate or text without PEM is refused with what was found', async () => {
    assert.throws(
      () => parsePublicKey('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', 'c.pem'),
      /holds a PEM "CERTIFICATE", expected "PUBLIC KEY"/,
    );
    assert.throws(() => parsePublicKey('ssh-ed25519 AAAA', 'id.pub'), /is not a PEM public key/);
  });
});

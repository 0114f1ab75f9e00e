// `verify --refresh-trust-root` and `verify-blob --refresh-trust-root` from the command line, with
// the user cache in a temp XDG_CACHE_HOME: offline stays the default; a refresh from a TUF
// repository served here (PROVENANCE_LENS_TUF_MIRROR / PROVENANCE_LENS_TUF_ROOT, the test knobs)
// gives this run its root and caches it; a repository that hangs or refuses connections never
// holds a verification past the 3 s bound and the output says why; and against Sigstore's own
// repository (unreachable on machines without internet) the embedded root still verifies.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { TUF_MIRROR_ENV, TUF_ROOT_ENV } from '../../src/cli/trust-options';
import type { BlobVerification } from '../../src/verify/bundle/verify-blob';
import type { ImageVerdict } from '../../src/verify/image/image-verdict';
import { refreshTrustRoot } from '../../src/verify/trust/trust-refresh';
import { DEFAULT_REFRESH_WAIT_MS } from '../../src/verify/trust/trust-root';
import { PUBLIC_GOOD_TUF_URL } from '../../src/verify/trust/trust-seeds';
import type { TrustRootInfo } from '../../src/verify/trust/trust-types';
import { cli } from '../support/cli';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import { messageSignatureBundle } from '../support/sigstore/bundle';
import { GITHUB_ISSUER } from '../support/sigstore/ca';
import { createMiniSigstore } from '../support/sigstore/mini-sigstore';
import type { MiniSigstore } from '../support/sigstore/mini-sigstore';
import { pushSignedRelease } from '../support/sigstore/release';
import { realFixture } from '../support/real-fixtures';
import { DEFAULT_IDENTITY, DEFAULT_ISSUER } from '../support/sigstore-conformance';
import { createTufRepository } from '../support/tuf/repository';
import { startTufServer } from '../support/tuf/server';
import type { TestTufServer } from '../support/tuf/server';

const execFileAsync = promisify(execFile);
/** The package's bin, as scripts/build.mjs built it (npm test builds before it runs the tests). */
const BUILT_CLI = resolve(__dirname, '../../../dist/cli.js');

type VerifyJson = { verdict: ImageVerdict; trustRoot: TrustRootInfo };
/** The bound a refreshing run waits, plus room for a loaded machine to do the rest of the work. */
const BOUND_MS = DEFAULT_REFRESH_WAIT_MS + 1_000;

const timed = async <T>(work: Promise<T>): Promise<{ value: T; ms: number }> => {
  const start = performance.now();
  const value = await work;
  return { value, ms: performance.now() - start };
};

describe('the CLI refreshes the trusted root only when asked, and never waits past the bound', () => {
  let reg: TestRegistry;
  let mini: MiniSigstore;
  let server: TestTufServer;
  let dir: string;
  let cacheHome: string;
  let ref: string;
  let identity: string;
  let blob: string;
  let bundle: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    [reg, mini] = await Promise.all([startRegistry(), createMiniSigstore()]);
    dir = mkdtempSync(join(tmpdir(), 'pl-trust-cli-'));
    cacheHome = join(dir, 'cache-home');
    // The mini Sigstore's root, published through a TUF repository of our own.
    const repo = createTufRepository();
    repo.publish(mini.trustedRootBytes);
    server = await startTufServer(repo);
    const tufRoot = join(dir, 'root.json');
    writeFileSync(tufRoot, repo.rootJson);
    env = { XDG_CACHE_HOME: cacheHome, [TUF_MIRROR_ENV]: server.url, [TUF_ROOT_ENV]: tufRoot };
    const signer = await mini.githubIdentity({ repository: 'org/app', ref: 'refs/tags/v1.0.0' });
    identity = signer.identity;
    await pushSignedRelease(reg, 'org/app', { sigstore: mini, tag: 'v1.0.0', platforms: ['linux/amd64'], signer, sourceRepository: 'org/app' });
    ref = `${reg.host}/org/app:v1.0.0`;
    blob = join(dir, 'hello.txt');
    writeFileSync(blob, 'hello');
    bundle = join(dir, 'hello.sigstore.json');
    writeFileSync(bundle, messageSignatureBundle(signer, Buffer.from('hello'), { log: mini.log }).bytes);
  });
  after(async () => {
    await server?.close();
    await reg?.stop();
    await mini?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const verify = (...extra: string[]) => cli(['verify', ref, '--certificate-identity', identity, '--certificate-oidc-issuer', GITHUB_ISSUER, ...extra], env);
  const verifyBlob = (...extra: string[]) =>
    cli(['verify-blob', '--bundle', bundle, '--certificate-identity', identity, '--certificate-oidc-issuer', GITHUB_ISSUER, ...extra, blob], env);

  test('--offline and --refresh-trust-root are opposites, and a trusted_root.json file is never refreshed: usage errors, exit 2', async () => {
    for (const run of [verify, verifyBlob]) {
      const both = await run('--offline', '--refresh-trust-root');
      assert.equal(both.code, 2);
      assert.equal(both.stdout, '');
      assert.match(both.stderr, /--offline and --refresh-trust-root are opposites.*Give one of them\. \[USAGE\]$/m);
      const file = await run('--trusted-root', join(dir, 'trusted_root.json'), '--refresh-trust-root');
      assert.equal(file.code, 2);
      assert.match(
        file.stderr,
        /--trusted-root and --refresh-trust-root do not go together: a trusted_root\.json file is used as it is, never refreshed\. \[USAGE\]$/m,
      );
    }
    const release = await cli(['verify', '--release', join(dir, '.goreleaser.yaml'), '--tag', 'v1.0.0', '--offline', '--refresh-trust-root'], env);
    assert.equal(release.code, 2);
    assert.match(release.stderr, /are opposites/);
    assert.deepEqual(server.requests, []);
  });

  test('offline by default (and with --offline): the embedded public-good root, no request, nothing cached', async () => {
    for (const extra of [[], ['--offline']]) {
      const r = await verify('--json', ...extra);
      assert.equal(r.code, 1, r.stderr);
      const out = JSON.parse(r.stdout) as VerifyJson;
      assert.equal(out.trustRoot.source.kind, 'embedded');
      assert.equal(out.trustRoot.refresh, undefined);
      assert.equal(out.verdict.state, 'failed', 'the mini Sigstore is not the public-good instance');
    }
    assert.deepEqual(server.requests, []);
    // No trust material; only the registry content cache (manifests and blobs by digest).
    assert.deepEqual(existsSync(cacheHome) ? readdirSync(join(cacheHome, 'provenance-lens')) : [], ['manifests-and-blobs']);
  });

  test('--refresh-trust-root: the root TUF verified is used in this run and cached in $XDG_CACHE_HOME/provenance-lens', async () => {
    const { value: r, ms } = await timed(verify('--json', '--refresh-trust-root'));
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as VerifyJson;
    assert.equal(out.verdict.state, 'verified');
    assert.equal(out.trustRoot.source.kind, 'tuf');
    assert.equal(out.trustRoot.refreshed, true);
    assert.deepEqual({ ...out.trustRoot.refresh, waitedMs: 0 }, { tufRepository: server.url, status: 'refreshed', changed: true, waitedMs: 0 });
    assert.ok(ms < 30_000);
    assert.ok(server.requests.includes('/timestamp.json'), server.requests.join(' '));
    assert.deepEqual(readdirSync(join(cacheHome, 'provenance-lens', 'trusted-root')), [`${encodeURIComponent(new URL(server.url).host)}.json`]);

    const text = await verifyBlob('--refresh-trust-root');
    assert.equal(text.code, 0, text.stdout + text.stderr);
    assert.match(
      text.stdout,
      /^INFO {2}TRUST_ROOT +Using the custom trusted root from TUF repository http:\/\/127\.0\.0\.1:\d+, refreshed in this run, sha256 [0-9a-f]{12}, .*; the refresh found no change\.$/m,
    );
  });

  test('verify --release: every image is verified with the refreshed root; without the flag, offline with the embedded one', async () => {
    const file = join(dir, '.goreleaser.yaml');
    writeFileSync(
      file,
      'version: 2\nproject_name: app\ndockers_v2:\n  - images: ["{{ .Env.REGISTRY }}/org/app"]\n    tags: ["{{ .Tag }}"]\n    platforms: [linux/amd64]\n',
    );
    const release = (...extra: string[]) =>
      cli(
        [
          'verify',
          '--release',
          file,
          '--tag',
          'v1.0.0',
          '--env',
          `REGISTRY=${reg.host}`,
          '--certificate-identity',
          identity,
          '--certificate-oidc-issuer',
          GITHUB_ISSUER,
          '--json',
          ...extra,
        ],
        env,
      );
    const refreshed = await release('--refresh-trust-root');
    assert.equal(refreshed.code, 0, refreshed.stdout + refreshed.stderr);
    const offline = await release();
    assert.equal(offline.code, 1, offline.stdout + offline.stderr);
  });

  test('a policy naming a trusted_root.json: that file is used, not refreshed, and a note says why', async () => {
    const rootFile = await mini.writeTrustedRoot(mkdtempSync(join(dir, 'root-')));
    const policy = join(dir, '.provenance-lens.yaml');
    writeFileSync(policy, `version: 1\nimages:\n  - image: ${reg.host}/org/app\n    trustedRoot: ${rootFile}\n`);
    const before = server.requests.length;
    const r = await verify('--json', '--refresh-trust-root', '--policy', policy);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as VerifyJson;
    assert.deepEqual(out.trustRoot.source, { kind: 'file', path: rootFile });
    assert.equal(out.trustRoot.refresh, undefined);
    assert.deepEqual(out.trustRoot.notes, [`No TUF refresh: the trusted_root.json file ${rootFile} is used as it is.`]);
    assert.equal(server.requests.length, before, 'no request to the TUF repository');
  });

  test('the built dist/cli.js refreshes too: the TUF client is its own bundle (dist/tuf.js), required on first use', async () => {
    const cacheOfItsOwn = join(dir, 'built-cache');
    const r = await execFileAsync(
      process.execPath,
      [
        BUILT_CLI,
        'verify-blob',
        '--json',
        '--refresh-trust-root',
        '--bundle',
        bundle,
        '--certificate-identity',
        identity,
        '--certificate-oidc-issuer',
        GITHUB_ISSUER,
        blob,
      ],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: dir, ...env, XDG_CACHE_HOME: cacheOfItsOwn },
      },
    );
    const result = JSON.parse(r.stdout) as BlobVerification;
    assert.equal(result.verified, true, r.stdout);
    assert.equal(result.trustRoot.source.kind, 'tuf');
    assert.equal(result.trustRoot.refresh?.status, 'refreshed');
  });

  test('a repository that hangs: verified with the cached root within the bound; Trust: and trustRoot.refresh say why', async () => {
    server.mode = 'hang';
    try {
      const { value: r, ms } = await timed(verify('--refresh-trust-root'));
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.ok(ms < BOUND_MS + 2_000, `${ms} ms`);
      assert.match(r.stdout, /^VERIFIED: /m);
      const trust = r.stdout.split('\n').find((l) => l.startsWith('Trust: ')) ?? '';
      assert.match(
        trust,
        /^Trust: custom trusted root from TUF repository http:\/\/127\.0\.0\.1:\d+, cached refresh of \d{4}-\d\d-\d\d \(0 days ago\), .*; the TUF refresh from http:\/\/127\.0\.0\.1:\d+ gave no answer within 3 s, so this root was used; the refresh goes on and its root is used from the next load$/,
      );

      // The refresh that run started goes on (one per cache and repository in a process) until
      // its request times out; once it has, the next run starts its own and waits for it again.
      await refreshTrustRoot({ cacheDir: join(cacheHome, 'provenance-lens'), mirrorURL: server.url }).catch(() => undefined);
      const { value: j, ms: jms } = await timed(verifyBlob('--json', '--refresh-trust-root'));
      assert.equal(j.code, 0, j.stderr);
      assert.ok(jms < BOUND_MS + 2_000, `${jms} ms`);
      const refresh = (JSON.parse(j.stdout) as BlobVerification).trustRoot.refresh;
      assert.equal(refresh?.status, 'pending');
      assert.equal(refresh?.reason, 'no answer within 3 s');
      assert.ok(refresh!.waitedMs >= DEFAULT_REFRESH_WAIT_MS - 50 && refresh!.waitedMs < BOUND_MS, String(refresh?.waitedMs));
    } finally {
      server.mode = 'serve';
    }
  });

  test('a repository that refuses connections: verified with the cached root at once; the reason is NETWORK', async () => {
    const url = server.url;
    await server.close(); // also ends the hanging requests of the test before
    // The refresh the hanging runs left in flight has ended (or this starts and fails a new one).
    await refreshTrustRoot({ cacheDir: join(cacheHome, 'provenance-lens'), mirrorURL: url }).catch(() => undefined);
    const { value: r, ms } = await timed(verify('--json', '--refresh-trust-root'));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(ms < BOUND_MS, `${ms} ms`);
    const out = JSON.parse(r.stdout) as VerifyJson;
    assert.equal(out.verdict.state, 'verified');
    assert.equal(out.trustRoot.source.kind, 'tuf');
    assert.equal(out.trustRoot.refreshed, false);
    assert.equal(out.trustRoot.refresh?.status, 'failed');
    assert.equal(out.trustRoot.refresh?.code, 'NETWORK');
    assert.match(out.trustRoot.refresh?.reason ?? '', /ECONNREFUSED/);
    assert.ok(out.trustRoot.refresh!.waitedMs < DEFAULT_REFRESH_WAIT_MS);

    const text = await verify('--refresh-trust-root');
    assert.match(text.stdout, /^Trust: .*; the TUF refresh from http:\/\/127\.0\.0\.1:\d+ failed \(NETWORK: .*ECONNREFUSED.*\), so this root was kept$/m);
    // Offline again: the cache is not read, the embedded root is used.
    const offline = await verify('--json');
    assert.equal((JSON.parse(offline.stdout) as VerifyJson).trustRoot.source.kind, 'embedded');
  });
});

const happy = realFixture('sigstore-bundles', 'conformance', 'happy-path-v0.3', 'bundle.sigstore.json');
const aTxt = realFixture('sigstore-bundles', 'conformance', 'a.txt');

describe("--refresh-trust-root against Sigstore's public-good repository", () => {
  test('verifies within the bound whether or not the repository can be reached, and says what the refresh did', async () => {
    const cacheHome = mkdtempSync(join(tmpdir(), 'pl-trust-public-'));
    try {
      const { value: r, ms } = await timed(
        cli(
          [
            'verify-blob',
            '--json',
            '--refresh-trust-root',
            '--bundle',
            happy,
            '--certificate-identity',
            DEFAULT_IDENTITY,
            '--certificate-oidc-issuer',
            DEFAULT_ISSUER,
            aTxt,
          ],
          { XDG_CACHE_HOME: cacheHome },
        ),
      );
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.ok(ms < BOUND_MS + 2_000, `${ms} ms`);
      const result = JSON.parse(r.stdout) as BlobVerification;
      assert.equal(result.verified, true);
      const refresh = result.trustRoot.refresh;
      assert.equal(refresh?.tufRepository, PUBLIC_GOOD_TUF_URL);
      assert.ok(refresh!.waitedMs <= DEFAULT_REFRESH_WAIT_MS + 500, String(refresh!.waitedMs));
      const trust = result.checks.find((c) => c.code === 'TRUST_ROOT')?.message ?? '';
      if (refresh?.status === 'refreshed') {
        // A machine with internet: the root TUF verified, from this run.
        assert.equal(result.trustRoot.source.kind, 'tuf');
        assert.match(trust, /TUF repository https:\/\/tuf-repo-cdn\.sigstore\.dev, refreshed in this run/);
      } else {
        // Without internet (as where this was written): the embedded root, and why.
        assert.equal(result.trustRoot.source.kind, 'embedded');
        assert.ok(refresh?.reason, JSON.stringify(refresh));
        assert.match(
          trust,
          refresh?.status === 'failed'
            ? /the TUF refresh from https:\/\/tuf-repo-cdn\.sigstore\.dev failed \(\w+: .+\), so this root was kept/
            : /gave no answer within 3 s, so this root was used/,
        );
      }
    } finally {
      rmSync(cacheHome, { recursive: true, force: true });
    }
  });
});

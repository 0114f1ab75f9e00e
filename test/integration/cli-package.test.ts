// The CLI as users install it: `npm pack` of the repository (its `prepack` builds the production
// bundles; .npmignore picks the CLI's), the tarball installed into an empty folder with
// `npm install --prefer-offline` (the dependencies come from npm's cache, else from the registry),
// and every run through `npx provenance-lens` there, far from the checkout and its node_modules.
// The pack runs in a copy of the sources, so its build never rewrites the checkout's dist/ that
// other suites run. Each loaded bundle is exercised: dist/cli.js (verify-blob on the
// sigstore-conformance cases, verify of a real slsa-github-generator OCI layout), dist/re2js.js
// (an identity pattern), dist/tuf.js (a trusted-root refresh from a TUF repository served here).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlobVerification } from '../../src/verify/bundle/verify-blob';
import type { ImageVerdict } from '../../src/verify/image/image-verdict';
import { TUF_MIRROR_ENV, TUF_ROOT_ENV } from '../../src/cli/trust-options';
import { repoRoot } from '../support/repo-root';
import { realFixtureDir } from '../support/real-fixtures';
import { conformanceCases, verifyBlobArgs } from '../support/sigstore-conformance';
import { messageSignatureBundle } from '../support/sigstore/bundle';
import { GITHUB_ISSUER } from '../support/sigstore/ca';
import { createMiniSigstore } from '../support/sigstore/mini-sigstore';
import type { MiniSigstore } from '../support/sigstore/mini-sigstore';
import { createTufRepository } from '../support/tuf/repository';
import { startTufServer } from '../support/tuf/server';
import type { TestTufServer } from '../support/tuf/server';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program without throwing on a non-zero exit; async, so servers in this process answer. */
function run(file: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * npm's environment without what `npm test` sets for its own package (npm_package_*,
 * npm_lifecycle_*, npm_config_local_prefix …), which would point a nested npm at the checkout;
 * the user's cache and registry settings stay.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_') || keep.has(k.toLowerCase())));
  return { ...env, npm_config_update_notifier: 'false' };
}

/** What the package must hold: the CLI, its commands' chunks (dist/cli/, listed after the build) and the bundles it requires on first use (scripts/build.mjs LAZY). */
const PACKED = ['LICENSE', 'README.md', 'dist/cli.js', 'dist/re2js.js', 'dist/tuf.js', 'dist/undici.js', 'package.json'];
const GITHUB = 'https://token.actions.githubusercontent.com';
const GENERATOR_LAYOUT = join(realFixtureDir('cosign-signatures', 'slsa-github-generator-container'), 'v1.8.0', 'container_workflow_dispatch');
const generatorPattern = (version: string) =>
  `^https://github\\.com/slsa-framework/slsa-github-generator/\\.github/workflows/generator_container_slsa3\\.yml@refs/tags/${version.replaceAll('.', '\\.')}$`;

describe('the packed CLI, installed from its tarball into an empty folder', () => {
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  let dir: string;
  let project: string;
  let packedFiles: string[];
  /** The chunks the pack's build wrote into dist/cli/. */
  let chunks: string[];
  let install: Run;
  /** The CLI's own environment: no HOME or cache of the developer's. `--no`: never fetch a package
   * of that name from the registry; `--`: the options after it are the CLI's, not npm's. */
  let cliEnv: NodeJS.ProcessEnv;
  const npx = (...args: string[]) => run('npx', ['--no', '--', 'provenance-lens', ...args], project, cliEnv);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pl-cli-package-'));
    const source = join(dir, 'source');
    mkdirSync(join(source, 'scripts'), { recursive: true });
    // Every file at the root, as npm pack sees it there: it packs some whatever .npmignore says
    // (README*, LICENSE*), so a new one there shows in the file list below.
    for (const f of readdirSync(repoRoot, { withFileTypes: true })) if (f.isFile()) cpSync(join(repoRoot, f.name), join(source, f.name));
    cpSync(join(repoRoot, 'scripts', 'build.mjs'), join(source, 'scripts', 'build.mjs'));
    for (const d of ['src', 'webview', 'media']) if (existsSync(join(repoRoot, d))) cpSync(join(repoRoot, d), join(source, d), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(source, 'node_modules'), 'dir');

    const pack = await run('npm', ['pack', '--json', '--pack-destination', dir], source, npmEnv());
    assert.equal(pack.code, 0, pack.stderr);
    const [packed] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    packedFiles = packed!.files.map((f) => f.path).sort();
    chunks = readdirSync(join(source, 'dist', 'cli')).map((f) => `dist/cli/${f}`);

    project = join(dir, 'empty');
    mkdirSync(project);
    const init = await run('npm', ['init', '-y'], project, npmEnv());
    assert.equal(init.code, 0, init.stderr);
    install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, packed!.filename)], project, npmEnv());
    assert.equal(install.code, 0, `npm install of the tarball failed (its dependencies come from npm's cache or registry):\n${install.stderr}`);
    const home = join(dir, 'home');
    mkdirSync(home);
    // npx itself may print an "update available" notice: not the CLI's output.
    cliEnv = { PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: join(home, '.cache'), npm_config_update_notifier: 'false' };
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the tarball holds the CLI, the bundles it loads, the licence and nothing else', () => {
    assert.ok(chunks.includes('dist/cli/main.js') && chunks.every((c) => c.endsWith('.js')), chunks.join(', '));
    assert.deepEqual(packedFiles, [...PACKED, ...chunks].sort());
    const installed = join(project, 'node_modules', 'provenance-lens');
    assert.deepEqual(readdirSync(join(installed, 'dist')).sort(), ['cli', 'cli.js', 're2js.js', 'tuf.js', 'undici.js']);
    const cli = readFileSync(join(installed, 'dist', 'cli.js'), 'utf8');
    assert.ok(cli.startsWith('#!/usr/bin/env node\n'), 'a bin needs its shebang');
    assert.doesNotMatch(cli, /sourceMappingURL/, 'the production build, without source maps');
    assert.doesNotMatch(install.stderr, /install-scripts/, 'installing it asks no one to approve an install script');
  });

  test('npx provenance-lens --version prints the package version, having loaded the entry chunk only', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'pl-cli-package-cache-'));
    const r = await run('npx', ['--no', '--', 'provenance-lens', '--version'], project, { ...cliEnv, XDG_CACHE_HOME: cache });
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, `${version}\n`, '']);
    // The code cache holds what the run compiled (src/core/code-cache.ts): a few kB of entry chunk,
    // none of the commands' engines (which are hundreds of kB).
    const compiled = join(cache, 'provenance-lens', 'v8-code');
    const sizes = readdirSync(compiled).map((f) => statSync(join(compiled, f)).size);
    const total = sizes.reduce((n, s) => n + s, 0);
    assert.ok(sizes.length > 0 && total < 64 * 1024, `${sizes.length} files, ${total} bytes of compiled code for --version`);
    rmSync(cache, { recursive: true, force: true });
  });

  test('verify-blob: a sigstore-conformance happy path exits 0; a bundle for other content exits 1', async () => {
    const cases = new Map(conformanceCases().map((c) => [c.name, c]));
    const ok = await npx('verify-blob', ...verifyBlobArgs(cases.get('happy-path-v0.3')!));
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(
      ok.stdout,
      /^Verified: signed by https:\/\/github\.com\/sigstore-conformance\/extremely-dangerous-public-oidc-beacon\/.+ \(issuer https:\/\/token\.actions\.githubusercontent\.com\)\.$/m,
    );
    const wrong = await npx('verify-blob', ...verifyBlobArgs(cases.get('wrong-material_fail')!));
    assert.equal(wrong.code, 1, wrong.stdout + wrong.stderr);
    assert.match(wrong.stdout, /^FAIL {2}ARTIFACT /m);
  });

  test("verify of a real slsa-github-generator OCI layout with an identity pattern (re2js): verified; another release's pattern fails", async () => {
    const verify = (pattern: string) =>
      npx(
        'verify',
        `oci-layout:${GENERATOR_LAYOUT}`,
        '--json',
        '--offline',
        '--coverage',
        'signatures-or-attestations',
        '--certificate-identity-regexp',
        pattern,
        '--certificate-oidc-issuer',
        GITHUB,
      );
    const digest = readFileSync(`${GENERATOR_LAYOUT}.digest`, 'utf8').trim();
    const ok = await verify(generatorPattern('v1.8.0'));
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const out = JSON.parse(ok.stdout) as { digest: string; verdict: ImageVerdict };
    assert.deepEqual([out.digest, out.verdict.state, out.verdict.verified], [digest, 'verified', true]);
    const other = await verify(generatorPattern('v1.5.0'));
    assert.equal(other.code, 1, other.stdout + other.stderr);
    assert.notEqual((JSON.parse(other.stdout) as { verdict: ImageVerdict }).verdict.state, 'verified');
  });

  describe('verify-blob --refresh-trust-root (dist/tuf.js) from a TUF repository served here', () => {
    let mini: MiniSigstore;
    let server: TestTufServer;
    const repo = createTufRepository();
    before(async () => {
      mini = await createMiniSigstore();
      repo.publish(mini.trustedRootBytes);
      server = await startTufServer(repo);
    });
    after(async () => {
      await server?.close();
      await mini?.dispose();
    });

    test("the mini Sigstore's root arrives through TUF and verifies its blob; offline, the embedded root refuses it", async () => {
      const work = mkdtempSync(join(dir, 'tuf-'));
      const tufRoot = join(work, 'root.json');
      writeFileSync(tufRoot, repo.rootJson);
      const signer = await mini.githubIdentity({ repository: 'org/app', ref: 'refs/tags/v1.0.0' });
      const blob = join(work, 'hello.txt');
      writeFileSync(blob, 'hello');
      const bundle = join(work, 'hello.sigstore.json');
      writeFileSync(bundle, messageSignatureBundle(signer, Buffer.from('hello'), { log: mini.log }).bytes);
      const args = ['verify-blob', '--json', '--bundle', bundle, '--certificate-identity', signer.identity, '--certificate-oidc-issuer', GITHUB_ISSUER];

      const offline = await npx(...args, blob);
      assert.equal(offline.code, 1, offline.stdout + offline.stderr);
      assert.equal((JSON.parse(offline.stdout) as BlobVerification).trustRoot.source.kind, 'embedded');

      const r = await run('npx', ['--no', '--', 'provenance-lens', ...args, '--refresh-trust-root', blob], project, {
        ...cliEnv,
        [TUF_MIRROR_ENV]: server.url,
        [TUF_ROOT_ENV]: tufRoot,
      });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const result = JSON.parse(r.stdout) as BlobVerification;
      assert.deepEqual([result.verified, result.trustRoot.source.kind, result.trustRoot.refresh?.status], [true, 'tuf', 'refreshed']);
      assert.ok(server.requests.includes('/timestamp.json'), server.requests.join(' '));
    });
  });
});

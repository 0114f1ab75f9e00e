// No secret in anything the CLI prints or writes: two real registries, one
// with htpasswd and one with a token server, each behind a fault proxy, hold a signed release;
// the real CLI (dist/cli.js, a fresh process per run, as a user runs it) inspects, verifies,
// lists tags and shows provenance with -v and --json, with a password, an identity (refresh)
// token and a registry token from Docker's config, and fails: a wrong password (401 from the
// registry, refused by the token service), 429 forever, blobs redirected to pre-signed URLs
// (S3's shape, and Docker Hub's CDN shape whose `verify=<expiry>-<HMAC>` has no secret-looking key).
// Then every secret, in every form (test/support/secrets-scan.ts), is searched for in each
// run's stdout and stderr, in every file under HOME and XDG_CACHE_HOME, in a DiskCache folder
// filled with the same credentials, and in the errors the library throws (message, stack,
// details, causes). The Docker config the runs read from is the only place allowed to hold them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inspect as show } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { RegistryClient } from '../../src/registry/client';
import { DiskCache } from '../../src/registry/cache';
import type { Credential } from '../../src/registry/credentials-types';
import { buildGraph } from '../../src/registry/graph';
import { openReference } from '../../src/registry/open';
import { parseReference } from '../../src/registry/reference';
import { presignedId, startFaultProxy } from '../support/fault-proxy';
import type { FaultProxy } from '../support/fault-proxy';
import { createSigner, pushReleaseFixture, TWO_PLATFORM_RELEASE } from '../support/fixtures';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import { SecretScan, describeFindings, startTokenRecorder } from '../support/secrets-scan';
import type { Finding, TokenRecorder } from '../support/secrets-scan';

const CLI = resolve(__dirname, '../../../dist/cli.js');
const TAG = TWO_PLATFORM_RELEASE.tag;
const REPO = 'team/app';
const USER = 'pl-secret-probe';
// Distinctive, and with characters that URL, form and base64 encodings all change.
const secret = (what: string): string => `${what}+${randomBytes(9).toString('base64url')}/x=y&z!`;

interface Run {
  readonly name: string;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('secrets: nothing the CLI prints or writes holds a credential', { timeout: 300_000 }, () => {
  const scan = new SecretScan();
  const runs: Run[] = [];
  const errors: { name: string; text: string }[] = [];
  const work = mkdtempSync(join(tmpdir(), 'pl-secrets-cli-'));
  // Scanned: what the CLI may write to. Not scanned: the Docker configs (the user's own store).
  const home = join(work, 'home');
  const cacheHome = join(work, 'cache');
  const diskCache = join(work, 'disk-cache');
  const configs = mkdtempSync(join(tmpdir(), 'pl-secrets-docker-'));
  const keyFile = join(work, 'cosign.pub');
  let basicReg: TestRegistry;
  let tokenReg: TestRegistry;
  let basic: FaultProxy;
  let token: FaultProxy;
  let recorder: TokenRecorder;
  const password = secret('htpasswd-pw');
  const tokenPassword = secret('token-pw');
  const wrongPassword = secret('wrong-pw');

  before(async () => {
    mkdirSync(home);
    mkdirSync(cacheHome);
    scan.addLogin('htpasswd', USER, password);
    scan.addLogin('token-service', USER, tokenPassword);
    scan.addLogin('wrong', USER, wrongPassword);
    [basicReg, tokenReg] = await Promise.all([
      startRegistry({ auth: 'htpasswd', username: USER, password }),
      startRegistry({ auth: 'token', username: USER, password: tokenPassword }),
    ]);
    // One signer for both, so one key verifies both.
    const opts = { ...TWO_PLATFORM_RELEASE, referrersFor: ['linux/amd64'], sbom: true, signer: createSigner() };
    const [fixture] = await Promise.all([pushReleaseFixture(basicReg, REPO, opts), pushReleaseFixture(tokenReg, REPO, opts)]);
    writeFileSync(keyFile, fixture.publicKeyPem);
    assert.equal(tokenReg.auth.mode, 'token');
    if (tokenReg.auth.mode !== 'token') return;
    recorder = await startTokenRecorder(tokenReg.auth.realm, (kind, value) => scan.addToken(`issued ${kind} token`, value));
    [basic, token] = await Promise.all([startFaultProxy({ upstream: basicReg }), startFaultProxy({ upstream: tokenReg, rewriteRealm: recorder.realm })]);
  });

  after(async () => {
    await Promise.all([basic?.close(), token?.close(), recorder?.close()]);
    await Promise.all([basicReg?.stop(), tokenReg?.stop()]);
    rmSync(work, { recursive: true, force: true });
    rmSync(configs, { recursive: true, force: true });
  });

  /** A DOCKER_CONFIG folder whose config.json has these `auths` entries. */
  function dockerConfig(name: string, auths: Record<string, Record<string, string>>): string {
    const dir = join(configs, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths }), { mode: 0o600 });
    return dir;
  }
  const login = (user: string, pass: string): Record<string, string> => ({ auth: Buffer.from(`${user}:${pass}`).toString('base64') });

  function cli(name: string, args: string[], config: string): Promise<Run> {
    const env = { PATH: process.env.PATH ?? '', HOME: home, XDG_CACHE_HOME: cacheHome, DOCKER_CONFIG: config };
    return new Promise((done) => {
      // Asynchronous: the proxies and the token recorder live in this process.
      execFile(process.execPath, [CLI, ...args], { cwd: work, env, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        const run = { name, code, stdout, stderr };
        runs.push(run);
        done(run);
      });
    });
  }

  const ref = (p: FaultProxy): string => `${p.host}/${REPO}:${TAG}`;
  const verifyArgs = (p: FaultProxy): string[] => ['verify', ref(p), '--key', keyFile, '--insecure-ignore-tlog'];
  // Runs about redirected blobs read every blob from the registry, not from what earlier runs cached.
  const fromRegistry = ['--no-cache'];

  test('with the right credentials: inspect, verify, provenance and tags, -v and --json, succeed', async () => {
    const good = dockerConfig('good', { [basic.host]: login(USER, password), [token.host]: login(USER, tokenPassword) });
    for (const p of [basic, token]) {
      const which = p === basic ? 'htpasswd' : 'token';
      const results = [
        await cli(`${which} inspect -v`, ['inspect', ref(p), '-v'], good),
        await cli(`${which} inspect --json -v`, ['inspect', ref(p), '--json', '-v'], good),
        await cli(`${which} verify -v`, [...verifyArgs(p), '-v'], good),
        await cli(`${which} verify --json -v`, [...verifyArgs(p), '--json', '-v'], good),
        await cli(`${which} provenance -v`, ['provenance', ref(p), '-v'], good),
        await cli(`${which} provenance --json`, ['provenance', ref(p), '--json'], good),
        await cli(`${which} tags -v`, ['tags', `${p.host}/${REPO}`, '-v'], good),
        await cli(`${which} tags --json -v`, ['tags', `${p.host}/${REPO}`, '--json', '-v'], good),
      ];
      for (const r of results) assert.equal(r.code, 0, `${r.name} exited ${r.code}: ${r.stderr.slice(-2000)}`);
      assert.match(results[2]!.stdout, /^VERIFIED/m);
    }
    // The credentials were really used: Basic on the htpasswd registry, Bearer from the token service.
    assert.ok(basic.requests.some((r) => r.authScheme === 'Basic'));
    assert.ok(token.requests.some((r) => r.authScheme === 'Bearer'));
    assert.ok(
      recorder.tokens.some((t) => t.kind === 'access'),
      'the token service issued access tokens',
    );
    // No refresh token is kept, so none is asked for (no offline_token) and none is issued.
    assert.ok(!recorder.tokens.some((t) => t.kind === 'refresh'), 'no refresh token was issued');
  });

  test("with an identity (refresh) token and a registry token from Docker's config", async () => {
    assert.equal(tokenReg.auth.mode, 'token');
    if (tokenReg.auth.mode !== 'token') return;
    // What `docker login` stores for an OAuth2 registry: a refresh token, searched for like the others.
    const refresh = tokenReg.auth.tokenServer.issueRefreshToken(USER);
    scan.addToken('identitytoken', refresh);
    const registryToken = tokenReg.auth.tokenServer.issueToken(USER, [{ type: 'repository', name: REPO, actions: ['pull'] }]);
    scan.addToken('registrytoken', registryToken);
    const identity = await cli(
      'token inspect -v (identitytoken)',
      ['inspect', ref(token), '-v'],
      dockerConfig('identity', { [token.host]: { identitytoken: refresh } }),
    );
    assert.equal(identity.code, 0, identity.stderr);
    const direct = await cli(
      'token verify -v (registrytoken)',
      [...verifyArgs(token), '-v'],
      dockerConfig('registry-token', { [token.host]: { registrytoken: registryToken } }),
    );
    assert.equal(direct.code, 0, direct.stderr);
  });

  test('failing: a wrong password (401 from the registry and from the token service), 429 forever', async () => {
    const wrong = dockerConfig('wrong', { [basic.host]: login(USER, wrongPassword), [token.host]: login(USER, wrongPassword) });
    for (const args of [
      ['inspect', ref(basic), '-v'],
      [...verifyArgs(basic), '--json', '-v'],
      ['inspect', ref(token), '-v'],
      ['tags', `${token.host}/${REPO}`, '--json', '-v'],
    ]) {
      const r = await cli(`wrong password: ${args.slice(0, 2).join(' ')}`, args, wrong);
      assert.equal(r.code, 2, `${r.name}: ${r.stderr}`);
      assert.match(r.stderr, /UNAUTHORIZED|Not authorised/);
    }
    assert.ok(basic.statuses('/v2/').includes(401) || basic.requests.some((r) => r.status === 401));
    assert.ok(recorder.statuses.includes(401), 'the token service refused the wrong password');
    const good = dockerConfig('good', { [basic.host]: login(USER, password), [token.host]: login(USER, tokenPassword) });
    for (const p of [basic, token]) {
      p.inject({ path: /\/manifests\//, fault: { kind: 'status', status: 429, retryAfter: '0' } });
      const r = await cli(`429 forever: inspect ${p === basic ? 'htpasswd' : 'token'}`, ['inspect', ref(p), '-v'], good);
      p.reset();
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /RATE_LIMITED|429/);
    }
  });

  /** The signatures of the pre-signed URLs `p`'s storage host served, as secrets; then a clean proxy. */
  function harvestPresigned(p: FaultProxy): number {
    const presigned = p.requestsTo(/^\/storage\//, 'other');
    // Credentials stay with the registry: storage never sees an Authorization header.
    assert.ok(
      presigned.every((r) => !r.authorization),
      'no Authorization sent to blob storage',
    );
    for (const r of presigned) {
      const verify = new URL(r.path, 'http://x').searchParams.get('verify');
      // Docker Hub's CDN shape: the whole `<expiry>-<HMAC>` and the HMAC alone.
      if (verify !== null) scan.add('CDN verify token', verify);
      scan.add('pre-signed URL signature', presignedId(r.path));
    }
    p.reset();
    return presigned.length;
  }

  test('blobs redirected to pre-signed URLs on another host, and ones that fail there', async () => {
    const good = dockerConfig('good', { [basic.host]: login(USER, password), [token.host]: login(USER, tokenPassword) });
    for (const p of [basic, token]) {
      const which = p === basic ? 'htpasswd' : 'token';
      p.reset();
      p.inject({ path: /\/blobs\//, fault: { kind: 'redirect-other-host' } });
      const ok = await cli(`redirected blobs: verify ${which}`, [...verifyArgs(p), '-v', ...fromRegistry], good);
      assert.equal(ok.code, 0, ok.stderr);
      const json = await cli(`redirected blobs: provenance --json ${which}`, ['provenance', ref(p), '--json', '-v', ...fromRegistry], good);
      assert.equal(json.code, 0, json.stderr);
      assert.ok(harvestPresigned(p) > 0, 'blobs were fetched through pre-signed URLs');
      // The storage host answers 500, or drops the connection mid-body: errors and log lines name the URL.
      for (const fault of [{ kind: 'status', status: 500 }, { kind: 'reset-mid-body' }] as const) {
        p.inject({ path: /\/blobs\//, fault: { kind: 'redirect-other-host' } });
        p.inject({ path: /^\/storage\//, on: 'other', fault });
        const failing = await cli(`redirected blobs, storage ${fault.kind}: verify ${which}`, [...verifyArgs(p), '-v', ...fromRegistry], good);
        assert.notEqual(failing.code, 0, 'a signature that cannot be read does not verify');
        assert.match(failing.stderr, /storage\/[^ ]*X-Amz-Signature=REDACTED/, 'the failing pre-signed URL was logged, redacted');
        assert.ok(harvestPresigned(p) > 0);
      }
    }
  });

  test("blobs redirected to a CDN URL shaped like Docker Hub's (?verify=<expiry>-<HMAC>): -v names the path, never the token", async () => {
    const good = dockerConfig('good', { [basic.host]: login(USER, password), [token.host]: login(USER, tokenPassword) });
    for (const p of [basic, token]) {
      const which = p === basic ? 'htpasswd' : 'token';
      p.reset();
      p.inject({ path: /\/blobs\//, fault: { kind: 'redirect-other-host', presigned: 'docker-hub' } });
      const run = await cli(`CDN-redirected blobs: verify -v ${which}`, [...verifyArgs(p), '-v', ...fromRegistry], good);
      assert.equal(run.code, 0, run.stderr);
      // The log line names the storage host and the blob's path; the token's value is gone.
      const line = new RegExp(`GET http://${p.otherHost!.replace(/\./g, '\\.')}/storage/sha256%3A[0-9a-f]{64}\\?verify=REDACTED -> 200`);
      assert.match(run.stderr, line);
      assert.ok(harvestPresigned(p) > 0, 'blobs were fetched through CDN URLs');
      assert.deepEqual(
        scan.text(run.name, `${run.stdout}\n${run.stderr}`).map((f) => `${f.secret} as ${f.form}`),
        [],
      );
    }
  });

  test('the library itself, with a DiskCache: errors thrown carry no credential in message, stack, details or cause', async () => {
    const credentials = (pass: string) => ({ get: async (): Promise<Credential | undefined> => ({ kind: 'basic', username: USER, password: pass }) });
    const attempt = async (name: string, proxy: FaultProxy, pass: string): Promise<void> => {
      const client = new RegistryClient({
        credentials: credentials(pass),
        cache: new DiskCache(diskCache),
        limits: { retries: 1, backoffBaseMs: 5, backoffMaxMs: 10 },
      });
      try {
        const { source, target } = openReference(parseReference(ref(proxy)), client);
        const graph = await buildGraph(source, target);
        // Problems inside a graph are errors too, as the views show them.
        errors.push({ name: `${name} (graph problems)`, text: JSON.stringify(graph.problems) });
      } catch (e) {
        const chain: unknown[] = [];
        for (let c: unknown = e; c !== undefined && chain.length < 10; c = (c as { cause?: unknown }).cause) chain.push(c);
        errors.push({
          name,
          text: [show(e, { depth: 10 }), JSON.stringify(e), ...chain.map((c) => (c instanceof Error ? `${c.message}\n${c.stack ?? ''}` : String(c)))].join(
            '\n',
          ),
        });
      } finally {
        await client.close();
      }
    };
    await attempt('library: right password', basic, password);
    await attempt('library: right password, token service', token, tokenPassword);
    await attempt('library: wrong password', basic, wrongPassword);
    await attempt('library: wrong password, token service', token, wrongPassword);
    basic.inject({ path: /\/blobs\//, fault: { kind: 'redirect-other-host' } });
    basic.inject({ path: /^\/storage\//, on: 'other', fault: { kind: 'status', status: 500 } });
    await attempt('library: pre-signed URL failing', basic, password);
    harvestPresigned(basic);
    basic.inject({ path: /\/blobs\//, fault: { kind: 'redirect-other-host' } });
    basic.inject({ path: /^\/storage\//, on: 'other', fault: { kind: 'reset-mid-body' } });
    await attempt('library: pre-signed URL dropped mid-body', basic, password);
    harvestPresigned(basic);
    token.inject({ path: /\/manifests\//, fault: { kind: 'status', status: 429, retryAfter: '0' } });
    await attempt('library: 429 forever', token, tokenPassword);
    token.reset();
    assert.ok(
      errors.some((e) => /UNAUTHORIZED/.test(e.text)),
      'the wrong password failed with UNAUTHORIZED',
    );
  });

  test('no secret, in any form, in any output, error, or file under HOME, XDG_CACHE_HOME and the DiskCache', () => {
    const findings: Finding[] = [];
    for (const r of runs) findings.push(...scan.text(`${r.name} (stdout)`, r.stdout), ...scan.text(`${r.name} (stderr)`, r.stderr));
    for (const e of errors) findings.push(...scan.text(`${e.name} (error)`, e.text));
    // `work` holds HOME, XDG_CACHE_HOME, the DiskCache and the runs' working directory.
    const files = scan.tree(work);
    findings.push(...files.findings);
    const { secrets, forms } = scan.size;
    const under = (dir: string): number => files.files.filter((f) => f.startsWith(`${dir}/`)).length;
    console.log(
      `# searched ${runs.length} CLI runs (${runs.reduce((n, r) => n + r.stdout.length + r.stderr.length, 0)} characters of output), ${errors.length} library errors, ${files.files.length} files (${files.bytes} bytes: HOME ${under(home)}, XDG_CACHE_HOME ${under(cacheHome)}, DiskCache ${under(diskCache)}); ${secrets} secrets in ${forms} forms: ${scan.secrets().join(', ')}`,
    );
    assert.ok(under(diskCache) > 0, 'the DiskCache holds files');
    assert.ok(under(join(cacheHome, 'provenance-lens', 'manifests-and-blobs')) > 0, 'the CLI kept registry content in its cache (authenticated runs)');
    assert.ok(
      runs.some((r) => /\b(GET|HEAD) http/.test(r.stderr)),
      '-v logged requests',
    );
    // The search itself finds what it looks for.
    assert.ok(scan.text('self-check', `Authorization: Basic ${Buffer.from(`${USER}:${password}`).toString('base64')}`).length > 0);
    assert.ok(scan.text('self-check', `?password=${encodeURIComponent(wrongPassword)}`).length > 0);
    assert.equal(findings.length, 0, `secrets found:\n${describeFindings(findings)}`);
  });
});

// Starts a real registry (CNCF distribution 2.8.2, Debian's `docker-registry`) on loopback for
// integration tests: fresh temp storage (or a caller's seeded one), optional TLS with a test CA,
// and one of three auth modes. Distribution 2.8 has no referrers API (the tag schema stands in,
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers)
// and answers manifest GETs by the Accept header.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { freePort } from './ports';
import { makeSigningCert, makeTestTls } from './tls';
import type { TestTls } from './tls';
import { startTokenServer } from './token-server';
import type { TokenServer } from './token-server';

export type RegistryAuthMode = 'anonymous' | 'htpasswd' | 'token';

export interface RegistryOptions {
  readonly auth?: RegistryAuthMode;
  /** Serve HTTPS with a fresh test CA (returned as `caPem`). */
  readonly tls?: boolean;
  /** Serve this (e.g. pre-seeded) storage instead of a fresh temp dir; it is not removed on stop. */
  readonly storageDir?: string;
  /** Deep-merged into the generated distribution config. */
  readonly extraConfig?: Readonly<Record<string, unknown>>;
  /** Credentials for htpasswd and token modes. Default user `tester`, random password. */
  readonly username?: string;
  readonly password?: string;
  /** Token mode: repositories anonymous clients may pull. */
  readonly publicRepos?: readonly string[];
  /** Token mode: loopback IP of the token server, e.g. 127.0.0.2 to make it "another host". */
  readonly tokenServerHost?: string;
  readonly tokenTtlSeconds?: number;
}

export type RegistryAuth =
  | { readonly mode: 'anonymous' }
  | { readonly mode: 'htpasswd'; readonly username: string; readonly password: string; readonly realm: string }
  | {
      readonly mode: 'token';
      readonly username: string;
      readonly password: string;
      readonly realm: string;
      readonly service: string;
      readonly issuer: string;
      readonly tokenServer: TokenServer;
    };

export interface TestRegistry {
  /** `127.0.0.1:PORT`, as it appears in image references. */
  readonly host: string;
  /** `http(s)://127.0.0.1:PORT` */
  readonly url: string;
  readonly storageDir: string;
  readonly auth: RegistryAuth;
  /** TLS only: the CA to trust. */
  readonly caPem?: string;
  readonly caPath?: string;
  /** An undici dispatcher that trusts `caPem` (plain agent without TLS); closed by stop(). */
  readonly dispatcher: Agent;
  /** What the registry process wrote (warnings and errors only; no access log). */
  logs(): string;
  stop(): Promise<void>;
}

const SERVICE = 'provenance-lens-test-registry';
const ISSUER = 'provenance-lens-test-token-issuer';
const READY_TIMEOUT_MS = 5000;

// Registries still running when the test process exits (crash, forgotten stop) are killed here.
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((c) => c.kill('SIGKILL')));

type Config = Record<string, unknown>;

function deepMerge(base: Config, extra: Readonly<Config>): Config {
  const out: Config = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    const b = out[k];
    const mergeable = (x: unknown): x is Config => typeof x === 'object' && x !== null && !Array.isArray(x);
    out[k] = mergeable(b) && mergeable(v) ? deepMerge(b, v) : v;
  }
  return out;
}

export async function startRegistry(opts: RegistryOptions = {}): Promise<TestRegistry> {
  const mode = opts.auth ?? 'anonymous';
  const workDir = await mkdtemp(join(tmpdir(), 'pl-registry-'));
  const ownStorage = opts.storageDir === undefined;
  const storageDir = opts.storageDir ?? join(workDir, 'storage');
  const cleanups: Array<() => Promise<unknown>> = [() => rm(workDir, { recursive: true, force: true })];
  const cleanup = async (): Promise<void> => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    const username = opts.username ?? 'tester';
    const password = opts.password ?? randomBytes(12).toString('base64url');
    const tokenHost = opts.tokenServerHost ?? '127.0.0.1';
    let tls: TestTls | undefined;
    if (opts.tls) tls = await makeTestTls(workDir, [...new Set(['127.0.0.1', '127.0.0.2', tokenHost])]);
    const dispatcher = new Agent(tls ? { connect: { ca: tls.caPem } } : {});
    cleanups.push(() => dispatcher.close());

    let config: Config = {
      version: '0.1',
      log: { level: 'warn', accesslog: { disabled: true } },
      storage: {
        filesystem: { rootdirectory: storageDir },
        delete: { enabled: true },
        maintenance: { uploadpurging: { enabled: false } },
      },
      http: {
        secret: randomBytes(16).toString('hex'),
        ...(tls ? { tls: { certificate: tls.certPath, key: tls.keyPath } } : {}),
      },
    };
    let auth: RegistryAuth = { mode: 'anonymous' };
    if (mode === 'htpasswd') {
      // -i: password on stdin, so it never shows up in a process list.
      const line = execFileSync('htpasswd', ['-niB', username], { input: password, encoding: 'utf8' });
      const path = join(workDir, 'htpasswd');
      await writeFile(path, line.trim() + '\n');
      const realm = 'provenance-lens-test';
      config = deepMerge(config, { auth: { htpasswd: { realm, path } } });
      auth = { mode, username, password, realm };
    } else if (mode === 'token') {
      const signing = await makeSigningCert(workDir);
      const tokenServer = await startTokenServer({
        signing,
        service: SERVICE,
        issuer: ISSUER,
        host: tokenHost,
        users: { [username]: password },
        publicRepos: opts.publicRepos ?? [],
        ...(opts.tokenTtlSeconds !== undefined ? { tokenTtlSeconds: opts.tokenTtlSeconds } : {}),
        ...(tls ? { tls: { certPath: tls.certPath, keyPath: tls.keyPath } } : {}),
      });
      cleanups.push(() => tokenServer.close());
      config = deepMerge(config, {
        auth: { token: { realm: tokenServer.realm, service: SERVICE, issuer: ISSUER, rootcertbundle: signing.certPath } },
      });
      auth = { mode, username, password, realm: tokenServer.realm, service: SERVICE, issuer: ISSUER, tokenServer };
    }
    if (opts.extraConfig) config = deepMerge(config, opts.extraConfig);

    // Another process may grab the port between freePort() and the bind: retry with a new one.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const host = `127.0.0.1:${port}`;
      const configPath = join(workDir, 'config.yml');
      // JSON is valid YAML, so no YAML writer is needed.
      await writeFile(configPath, JSON.stringify(deepMerge(config, { http: { addr: host } }), null, 2));
      const child = spawn('docker-registry', ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
      running.add(child);
      let log = '';
      const append = (chunk: Buffer): void => {
        log = (log + chunk.toString('utf8')).slice(-65536);
      };
      child.stdout?.on('data', append);
      child.stderr?.on('data', append);
      const exited = new Promise<number | null>((resolve) =>
        child.once('exit', (code) => {
          running.delete(child);
          resolve(code);
        }),
      );
      child.once('error', (err) => append(Buffer.from(`spawn failed: ${err.message}\n`)));
      const url = `${tls ? 'https' : 'http'}://${host}`;
      const ready = await waitForV2(url, dispatcher, exited);
      if (!ready) {
        child.kill('SIGKILL');
        await exited;
        if (attempt < 3 && /address already in use/.test(log)) continue;
        throw new Error(`docker-registry did not answer ${url}/v2/ within ${READY_TIMEOUT_MS} ms:\n${log}`);
      }
      const stop = async (): Promise<void> => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
          await exited;
          clearTimeout(timer);
        }
        if (ownStorage) await rm(storageDir, { recursive: true, force: true });
        await cleanup();
      };
      return {
        host,
        url,
        storageDir,
        auth,
        dispatcher,
        logs: () => log,
        stop,
        ...(tls ? { caPem: tls.caPem, caPath: tls.caPath } : {}),
      };
    }
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** Polls GET /v2/ until any HTTP answer (200 or 401); false if the process died or time ran out. */
async function waitForV2(url: string, dispatcher: Agent, exited: Promise<unknown>): Promise<boolean> {
  let dead = false;
  void exited.then(
    () => (dead = true),
    () => (dead = true),
  );
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!dead && Date.now() < deadline) {
    try {
      const res = await request(`${url}/v2/`, { dispatcher, headersTimeout: 1000, bodyTimeout: 1000 });
      await res.body.dump();
      return true;
    } catch {
      await delay(15);
    }
  }
  return false;
}

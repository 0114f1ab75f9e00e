// code-server for the demo: VS Code 1.100 in the browser (installed by scripts/e2e/setup.sh),
// with the packaged extension installed, on 127.0.0.1 only, with a scratch HOME, user data and
// extensions folder, in its own process group so that stopping it takes the extension hosts
// and file watchers it forks along (scripts/e2e/setup.sh installs it).
import { execFile, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort } from '../test/support/ports';
import { repoRoot } from '../test/e2e/support/paths';
import { buildIfStale } from '../test/e2e/support/vsix';

const execFileAsync = promisify(execFile);
const READY_TIMEOUT_MS = 30_000;

/** Installs code-server and Chromium's system packages when missing (idempotent) and returns code-server's entry script. */
export function codeServerEntry(): string {
  const r = spawnSync('bash', [join(repoRoot, 'scripts', 'e2e', 'setup.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const entry = r.stdout?.trim().split('\n').pop();
  if (r.status !== 0 || !entry) throw new Error(`scripts/e2e/setup.sh failed (exit ${r.status ?? r.signal})`);
  return entry;
}

/** Builds the bundles when stale and packages the extension as a user installs it; returns the .vsix path. */
export async function packageVsix(outDir: string): Promise<string> {
  buildIfStale();
  const out = join(outDir, 'provenance-lens.vsix');
  const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  await execFileAsync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out], {
    cwd: repoRoot,
  });
  return out;
}

/** True when nothing listens on 127.0.0.1:port. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export interface DemoCodeServerOptions {
  /** code-server's entry script (codeServerEntry()). */
  readonly entry: string;
  /** Scratch folder: home/, user-data/, extensions/ are made in it. The caller removes it. */
  readonly dir: string;
  readonly vsix: string;
  /** A fixed port (DEMO_PORT); default a free one. */
  readonly port?: number;
  /** User settings (settings.json). */
  readonly settings: Readonly<Record<string, unknown>>;
}

export interface DemoCodeServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** The process group (= code-server's pid). */
  readonly pgid: number;
  /** Resolves when code-server exits, for whatever reason. */
  readonly exited: Promise<void>;
  logs(): string;
  /** SIGTERM to the group, SIGKILL after 5 s. Idempotent. */
  stop(): Promise<void>;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* gone */
  }
}

/** The environment code-server gets: ours, minus what would make it a client of another VS Code, with a scratch HOME. */
function serverEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VSCODE_|ELECTRON_)/.test(k) || ['NODE_OPTIONS', 'NODE_TEST_CONTEXT', 'PORT', 'PASSWORD', 'HASHED_PASSWORD', 'GITHUB_TOKEN'].includes(k)) continue;
    env[k] = v;
  }
  return { ...env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local', 'share'), XDG_CACHE_HOME: join(home, '.cache') };
}

async function waitReady(url: string, child: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${logs()}`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await delay(100);
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${READY_TIMEOUT_MS} ms:\n${logs()}`);
}

/** The settings whose contributed scope is `machine` or `machine-overridable` (package.json). */
export function machineSettings(settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    contributes?: { configuration?: { properties?: Record<string, { scope?: string }> } };
  };
  const properties = manifest.contributes?.configuration?.properties ?? {};
  return Object.fromEntries(Object.entries(settings).filter(([key]) => properties[key]?.scope?.startsWith('machine')));
}

/** Installs the .vsix and starts code-server; rejects (with nothing left running) when it cannot. */
export async function startDemoCodeServer(o: DemoCodeServerOptions): Promise<DemoCodeServer> {
  const home = join(o.dir, 'home');
  const userData = join(o.dir, 'user-data');
  const extensions = join(o.dir, 'extensions');
  mkdirSync(home, { recursive: true });
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), `${JSON.stringify(o.settings, null, 2)}\n`);
  // In code-server's remote window a machine-scoped user setting lasts only until the workbench
  // rewrites the user settings file (a theme change is enough): the remote host reads machine
  // settings from Machine/settings.json, so they go there too.
  mkdirSync(join(userData, 'Machine'), { recursive: true });
  writeFileSync(join(userData, 'Machine', 'settings.json'), `${JSON.stringify(machineSettings(o.settings), null, 2)}\n`);
  const env = serverEnv(home);
  const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
  await execFileAsync(process.execPath, [o.entry, ...common, '--install-extension', o.vsix, '--force'], { env, cwd: home });

  for (let attempt = 0; ; attempt++) {
    const port = o.port ?? (await freePort());
    if (o.port !== undefined && !(await portIsFree(port)))
      throw new Error(`127.0.0.1:${port} is in use; set DEMO_PORT to a free port, or unset it to pick one.`);
    const url = `http://127.0.0.1:${port}`;
    const args = [
      o.entry,
      ...common,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--disable-workspace-trust',
    ];
    // detached: a new session and process group, so stop() reaches the extension hosts too.
    const child = spawn(process.execPath, args, { cwd: home, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pgid = child.pid;
    if (pgid === undefined) throw new Error('code-server did not start');
    let output = '';
    const append = (d: Buffer): void => {
      output = (output + d.toString('utf8')).slice(-65536);
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const logs = (): string => output;
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopping ??= (async () => {
        killGroup(pgid, 'SIGTERM');
        for (let i = 0; i < 50 && groupAlive(pgid); i++) await delay(100);
        killGroup(pgid, 'SIGKILL');
        for (let i = 0; i < 20 && groupAlive(pgid); i++) await delay(50);
      })();
      return stopping;
    };
    try {
      await waitReady(url, child, logs);
      return { url, port, pgid, exited, logs, stop };
    } catch (e) {
      await stop();
      if (o.port === undefined && attempt < 2 && /EADDRINUSE/.test(output)) continue;
      throw e;
    }
  }
}

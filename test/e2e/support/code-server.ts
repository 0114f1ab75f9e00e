// A real VS Code for end-to-end tests: code-server 4.100.3 (VS Code 1.100.3) from the npm
// registry, installed by scripts/e2e/setup.sh, started in its own process group with a scratch
// HOME, user data and extensions folder, and stopped by killing the whole group (extension hosts
// otherwise live on). Why code-server 4.100 and how it is installed: scripts/e2e/setup.sh.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { HOST_RESULTS_ENV } from '../../host/results';
import { freePort } from '../../support/ports';
import { machineSettings } from '../../../tools/demo-code-server';
import { repoRoot } from './paths';
import { packageExtension } from './vsix';

export type ColorTheme = 'Default Dark Modern' | 'Default Light Modern' | 'Default High Contrast' | 'Default High Contrast Light';

export interface CodeServerOptions {
  /**
   * Installed before starting: `'package'` builds the checkout when stale and packages it with
   * vsce, as a user would get it (vsix.ts, about 4 s); any other value is the path of a .vsix.
   */
  readonly vsix?: 'package' | (string & {});
  /** Default `Default Dark Modern`. */
  readonly colorTheme?: ColorTheme;
  /** Merged over the seeded user settings. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Extra environment for the server and so its extension hosts. */
  readonly env?: Readonly<Record<string, string>>;
  /** Default true: no trust prompt. */
  readonly disableWorkspaceTrust?: boolean;
  /** code-server's and VS Code's log level from the start (`--log`), e.g. 'trace'. */
  readonly logLevel?: 'trace' | 'debug' | 'info';
}

export interface CodeServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Scratch root: home/, user-data/, extensions/, workspaces/. Removed by stop(). */
  readonly dir: string;
  readonly userDataDir: string;
  /** Where the in-host suite writes its results ($PROVENANCE_LENS_HOST_RESULTS; see host-suite.ts). */
  readonly hostResultsFile: string;
  /** The workbench URL for a folder; `payload` adds VS Code's `&payload=` (see inHostTestPayload). */
  workbenchUrl(folder: string, payload?: readonly (readonly [string, string])[]): string;
  /** Creates workspaces/<name> with the given files (relative paths) and returns its path. */
  makeWorkspace(name: string, files?: Readonly<Record<string, string>>): string;
  /**
   * Merges `patch` into the user settings.json. Workbenches opened afterwards use it; open ones
   * do not notice (to switch an open one's theme use browser.ts setColorTheme).
   */
  updateSettings(patch: Readonly<Record<string, unknown>>): void;
  /** What the server printed so far. */
  logs(): string;
  /** Kills the process group and removes the scratch root (kept when E2E_KEEP=1). Idempotent. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

/**
 * Installs code-server and Chromium when missing (scripts/e2e/setup.sh: about 80 s cold with
 * the Debian packages, instant when done) and returns code-server's entry script.
 */
export function ensureCodeServer(): string {
  const r = spawnSync('bash', [join(repoRoot, 'scripts', 'e2e', 'setup.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`scripts/e2e/setup.sh failed (exit ${r.status ?? r.signal}):\n${r.stderr}`);
  const entry = r.stdout.trim().split('\n').pop();
  if (!entry) throw new Error('scripts/e2e/setup.sh printed no entry point');
  return entry;
}

// Process groups still running when the test process ends (a crash, a forgotten stop, Ctrl-C)
// are killed here, so no extension host outlives the test run.
const groups = new Set<number>();
function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* already gone */
  }
}
process.once('exit', () => groups.forEach((g) => killGroup(g, 'SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    groups.forEach((g) => killGroup(g, 'SIGKILL'));
    process.kill(process.pid, signal);
  });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The environment code-server gets: the caller's, minus what would confuse a nested VS Code. */
function serverEnv(home: string, extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // VSCODE_IPC_HOOK_CLI turns code-server into a client of the VS Code it runs in; node:test's
    // context variable would change how any node:test inside the host reports.
    if (/^(VSCODE_|ELECTRON_)/.test(k) || ['NODE_TEST_CONTEXT', 'NODE_OPTIONS', 'PORT', 'PASSWORD', 'HASHED_PASSWORD', 'GITHUB_TOKEN'].includes(k)) continue;
    env[k] = v;
  }
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    ...extra,
  };
}

function settingsPath(userDataDir: string): string {
  return join(userDataDir, 'User', 'settings.json');
}

/**
 * Writes the user settings, and the machine-scoped ones among them to Machine/settings.json too:
 * in code-server's remote window a machine-scoped user setting lasts only until the workbench
 * rewrites the user settings file (a theme change is enough), while the remote host reads
 * Machine/settings.json.
 */
function writeSettings(userDataDir: string, settings: Readonly<Record<string, unknown>>): void {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(settingsPath(userDataDir), JSON.stringify(settings, null, 2));
  mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
  writeFileSync(join(userDataDir, 'Machine', 'settings.json'), JSON.stringify(machineSettings(settings), null, 2));
}

function seedSettings(userDataDir: string, options: CodeServerOptions): void {
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.colorTheme': options.colorTheme ?? 'Default Dark Modern',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'security.workspace.trust.enabled': options.disableWorkspaceTrust === false,
    'chat.commandCenter.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
    ...options.settings,
  };
  writeSettings(userDataDir, settings);
}

async function waitReady(url: string, child: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${logs()}`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await delay(100);
  }
  throw new Error(`code-server not ready after ${READY_TIMEOUT_MS} ms:\n${logs()}`);
}

/** Starts code-server on a free loopback port (retrying if the port is taken meanwhile). */
export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const entry = ensureCodeServer();
  const dir = mkdtempSync(join(tmpdir(), 'provenance-lens-code-server-'));
  const home = join(dir, 'home');
  const userDataDir = join(dir, 'user-data');
  const extensionsDir = join(dir, 'extensions');
  mkdirSync(home, { recursive: true });
  seedSettings(userDataDir, options);
  const hostResultsFile = join(dir, 'host-results.json');
  const env = serverEnv(home, { [HOST_RESULTS_ENV]: hostResultsFile, ...options.env });
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  if (options.vsix) {
    const vsix = options.vsix === 'package' ? packageExtension(dir) : options.vsix;
    execFileSync(process.execPath, [entry, ...common, '--install-extension', vsix, '--force'], { env, stdio: 'pipe' });
  }

  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const args = [
      entry,
      ...common,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      ...(options.disableWorkspaceTrust === false ? [] : ['--disable-workspace-trust']),
      ...(options.logLevel ? ['--log', options.logLevel] : []),
    ];
    // detached: the server leads a new session and process group (setsid), so stop() can kill
    // the extension hosts and watchers it forks along with it.
    const child = spawn(process.execPath, args, { cwd: home, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pgid = child.pid;
    if (pgid === undefined) throw new Error('code-server did not start');
    groups.add(pgid);
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const logs = (): string => output;

    const stop = async (): Promise<void> => {
      if (!groups.has(pgid)) return;
      killGroup(pgid, 'SIGTERM');
      for (let i = 0; i < 50 && groupAlive(pgid); i++) await delay(100);
      killGroup(pgid, 'SIGKILL');
      groups.delete(pgid);
      if (process.env.E2E_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
    };

    try {
      await waitReady(url, child, logs);
    } catch (e) {
      lastError = e;
      killGroup(pgid, 'SIGKILL');
      groups.delete(pgid);
      if (/EADDRINUSE/.test(output)) continue;
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    return {
      url,
      dir,
      userDataDir,
      hostResultsFile,
      logs,
      stop,
      workbenchUrl(folder, payload) {
        const query = new URLSearchParams({ folder });
        if (payload) query.set('payload', JSON.stringify(payload));
        return `${url}/?${query.toString()}`;
      },
      updateSettings(patch) {
        const current = JSON.parse(readFileSync(settingsPath(userDataDir), 'utf8')) as Record<string, unknown>;
        writeSettings(userDataDir, { ...current, ...patch });
      },
      makeWorkspace(name, files = {}) {
        const root = join(dir, 'workspaces', name);
        mkdirSync(root, { recursive: true });
        for (const [rel, text] of Object.entries(files)) {
          mkdirSync(dirname(join(root, rel)), { recursive: true });
          writeFileSync(join(root, rel), text);
        }
        return root;
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

/**
 * The `&payload=` that makes the workbench run an in-host test suite in the extension host
 * (code-server rejects --extensionDevelopmentPath on its command line): the extension under
 * development is `extensionPath` on the server, the suite's `run()` is in `testsEntry`.
 */
export function inHostTestPayload(extensionPath: string, testsEntry: string): [string, string][] {
  return [
    ['extensionDevelopmentPath', `vscode-remote://remote${extensionPath}`],
    ['extensionTestsPath', `vscode-remote://remote${testsEntry}`],
  ];
}

/** What the extension wrote to its "Provenance Lens" log channel, every window's, oldest first ('' before any). */
export function extensionLog(server: Pick<CodeServer, 'userDataDir'>): string {
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'Provenance Lens.log') found.push(p);
    }
  };
  walk(join(server.userDataDir, 'logs'));
  return found
    .sort()
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
}

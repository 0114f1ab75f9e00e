// A real VS Code for end-to-end tests: code-server 4.100.3 (VS Code 1.100.3) from the npm
// registry, installed by scripts/e2e/setup.sh, started in its own process group with a scratch
// HOME, user data and extensions folder, and stopped by killing the whole group (extension hosts
// otherwise live on). Why code-server 4.100 and how it is installed: scripts/e2e/setup.sh.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { HOST_RESULTS_ENV } from '../../host/results';
import { freePort } from '../../support/ports';
import {
  QUIET_WORKBENCH,
  codeServerEntry,
  groupAlive,
  killGroup,
  serverArgs,
  serverEnv,
  userSettingsPath,
  waitReady,
  writeUserSettings,
} from './code-server-process';
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

// Process groups still running when the test process ends (a crash, a forgotten stop, Ctrl-C)
// are killed here, so no extension host outlives the test run.
const groups = new Set<number>();
process.once('exit', () => groups.forEach((g) => killGroup(g, 'SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    groups.forEach((g) => killGroup(g, 'SIGKILL'));
    process.kill(process.pid, signal);
  });
}

function seedSettings(userDataDir: string, options: CodeServerOptions): void {
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.colorTheme': options.colorTheme ?? 'Default Dark Modern',
    ...QUIET_WORKBENCH,
    'security.workspace.trust.enabled': options.disableWorkspaceTrust === false,
    ...options.settings,
  };
  writeUserSettings(userDataDir, settings);
}

/** Starts code-server on a free loopback port (retrying if the port is taken meanwhile). */
export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const entry = codeServerEntry();
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
    const vsix = options.vsix === 'package' ? await packageExtension(dir) : options.vsix;
    execFileSync(process.execPath, [entry, ...common, '--install-extension', vsix, '--force'], { env, stdio: 'pipe' });
  }

  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const args = serverArgs(entry, common, port, { workspaceTrust: options.disableWorkspaceTrust === false, logLevel: options.logLevel });
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
        const current = JSON.parse(readFileSync(userSettingsPath(userDataDir), 'utf8')) as Record<string, unknown>;
        writeUserSettings(userDataDir, { ...current, ...patch });
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

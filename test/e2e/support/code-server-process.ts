// What the e2e harness (code-server.ts) and the demo (tools/demo-code-server.ts) both need to run
// code-server: its environment, command line and settings files, the wait for it to answer, and
// its process group, killed whole (extension hosts and file watchers otherwise live on).
import { spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { repoRoot } from './paths';

const READY_TIMEOUT_MS = 30_000;

/**
 * Installs code-server and Chromium when missing (scripts/e2e/setup.sh: about 80 s cold with the
 * Debian packages, instant when done) and returns code-server's entry script. `showProgress` lets
 * the script's own output through to stderr; otherwise it is in the error when the script fails.
 */
export function codeServerEntry(showProgress = false): string {
  const r = spawnSync('bash', [join(repoRoot, 'scripts', 'e2e', 'setup.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', showProgress ? 'inherit' : 'pipe'],
  });
  if (r.status !== 0) throw new Error(`scripts/e2e/setup.sh failed (exit ${r.status ?? r.signal})${r.stderr ? `:\n${r.stderr}` : ''}`);
  const entry = r.stdout?.trim().split('\n').pop();
  if (!entry) throw new Error('scripts/e2e/setup.sh printed no entry point');
  return entry;
}

/** Settings that keep a workbench quiet: no tips, experiments, telemetry, updates, recommendations or chat. */
export const QUIET_WORKBENCH = {
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
} as const;

/** The environment code-server gets: the caller's, minus what would confuse a nested VS Code, with a scratch HOME. */
export function serverEnv(home: string, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
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

export interface ServerArgsOptions {
  /** Default false: `--disable-workspace-trust`, no trust prompt. */
  readonly workspaceTrust?: boolean | undefined;
  /** code-server's and VS Code's log level from the start (`--log`). */
  readonly logLevel?: string | undefined;
}

/** The arguments that start code-server (`entry`) with `folders` on 127.0.0.1:`port`, without auth or telemetry. */
export function serverArgs(entry: string, folders: readonly string[], port: number, o: ServerArgsOptions = {}): string[] {
  return [
    entry,
    ...folders,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(o.workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...(o.logLevel ? ['--log', o.logLevel] : []),
  ];
}

/** The settings whose contributed scope is `machine` or `machine-overridable` (package.json). */
export function machineSettings(settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    contributes?: { configuration?: { properties?: Record<string, { scope?: string }> } };
  };
  const properties = manifest.contributes?.configuration?.properties ?? {};
  return Object.fromEntries(Object.entries(settings).filter(([key]) => properties[key]?.scope?.startsWith('machine')));
}

/** The user settings.json under `userDataDir`. */
export function userSettingsPath(userDataDir: string): string {
  return join(userDataDir, 'User', 'settings.json');
}

/**
 * Writes the user settings, and the machine-scoped ones among them to Machine/settings.json too:
 * in code-server's remote window a machine-scoped user setting lasts only until the workbench
 * rewrites the user settings file (a theme change is enough), while the remote host reads
 * Machine/settings.json.
 */
export function writeUserSettings(userDataDir: string, settings: Readonly<Record<string, unknown>>): void {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(userSettingsPath(userDataDir), `${JSON.stringify(settings, null, 2)}\n`);
  mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
  writeFileSync(join(userDataDir, 'Machine', 'settings.json'), `${JSON.stringify(machineSettings(settings), null, 2)}\n`);
}

/** Resolves once code-server at `url` answers /healthz; rejects, with its output, when it exits or does not in 30 s. */
export async function waitReady(url: string, child: ChildProcess, logs: () => string): Promise<void> {
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
  throw new Error(`code-server did not answer ${url}/healthz within ${READY_TIMEOUT_MS} ms:\n${logs()}`);
}

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* already gone */
  }
}

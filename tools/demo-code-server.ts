// code-server for the demo: VS Code 1.100 in the browser (installed by scripts/e2e/setup.sh),
// with the packaged extension installed, on 127.0.0.1 only, with a scratch HOME, user data and
// extensions folder, in its own process group so that stopping it takes the extension hosts
// and file watchers it forks along (scripts/e2e/setup.sh installs it).
import { execFile, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort } from '../test/support/ports';
import { groupAlive, killGroup, serverArgs, serverEnv, waitReady, writeUserSettings } from '../test/e2e/support/code-server-process';

const execFileAsync = promisify(execFile);

/** True when nothing listens on 127.0.0.1:port. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export interface DemoCodeServerOptions {
  /** code-server's entry script (code-server-process.ts codeServerEntry()). */
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

/** Installs the .vsix and starts code-server; rejects (with nothing left running) when it cannot. */
export async function startDemoCodeServer(o: DemoCodeServerOptions): Promise<DemoCodeServer> {
  const home = join(o.dir, 'home');
  const userData = join(o.dir, 'user-data');
  const extensions = join(o.dir, 'extensions');
  mkdirSync(home, { recursive: true });
  writeUserSettings(userData, o.settings);
  const env = serverEnv(home);
  const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
  await execFileAsync(process.execPath, [o.entry, ...common, '--install-extension', o.vsix, '--force'], { env, cwd: home });

  for (let attempt = 0; ; attempt++) {
    const port = o.port ?? (await freePort());
    if (o.port !== undefined && !(await portIsFree(port)))
      throw new Error(`127.0.0.1:${port} is in use; set DEMO_PORT to a free port, or unset it to pick one.`);
    const url = `http://127.0.0.1:${port}`;
    const args = serverArgs(o.entry, common, port);
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

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in-process with captured streams, an environment and a folder of the test's choosing. Each
 * run has a cache folder of its own (so runs do not answer each other from the content cache),
 * unless the test gives XDG_CACHE_HOME.
 */
export async function cli(argv: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const cache = env.XDG_CACHE_HOME === undefined ? mkdtempSync(join(tmpdir(), 'pl-cli-cache-')) : undefined;
  try {
    const code = await runCli(argv, {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      env: { PATH: process.env.PATH, HOME: emptyHome(), ...(cache ? { XDG_CACHE_HOME: cache } : {}), ...env },
      ...(cwd !== undefined ? { cwd } : {}),
    });
    return { code, stdout, stderr };
  } finally {
    if (cache) rmSync(cache, { recursive: true, force: true });
  }
}

let home: string | undefined;
/** A HOME without a Docker config, so the developer's own credentials never leak into tests. */
function emptyHome(): string {
  home ??= mkdtempSync(join(tmpdir(), 'pl-home-'));
  return home;
}

/** A DOCKER_CONFIG directory whose config.json holds `auths` for one registry. */
export function dockerConfigWith(registry: string, username: string, password: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pl-docker-config-'));
  const auth = Buffer.from(`${username}:${password}`).toString('base64');
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [registry]: { auth } } }), { mode: 0o600 });
  return dir;
}

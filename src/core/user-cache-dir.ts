import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The per-user cache directory of the CLI: `$XDG_CACHE_HOME/provenance-lens` (default
 * `~/.cache`, https://specifications.freedesktop.org/basedir-spec/latest/),
 * `~/Library/Caches/provenance-lens`, `%LOCALAPPDATA%\provenance-lens\Cache`. What lives there
 * is disposable: refreshed trusted roots, registry content by digest, compiled code.
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = homeOf(env);
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'provenance-lens', 'Cache');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'provenance-lens');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'provenance-lens');
}

/**
 * userCacheDir, or undefined when it would be inside a home folder that does not exist: a cache
 * may create its folders, and `$XDG_CACHE_HOME` itself (as the XDG spec asks), never a home
 * (`HOME=/nonexistent` is how services and tests say "no home").
 */
export function existingUserCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform !== 'win32' && platform !== 'darwin' && env.XDG_CACHE_HOME) return userCacheDir(env, platform);
  try {
    return statSync(homeOf(env)).isDirectory() ? userCacheDir(env, platform) : undefined;
  } catch {
    return undefined;
  }
}

const homeOf = (env: NodeJS.ProcessEnv): string => env.HOME ?? env.USERPROFILE ?? homedir();

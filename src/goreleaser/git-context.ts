/**
 * Node-only: what the workspace's git says about the release GoReleaser would make from it
 * (internal/pipe/git: the current tag, the commit, the branch, the commit date). Each fact is read
 * with its own `git` invocation (execFile, no shell) and a timeout; a fact git cannot give (no tag
 * yet, not a repository, git missing) is simply absent, so templates name it as unresolved.
 */
import { execFile } from 'node:child_process';

export interface GitFacts {
  /** `git describe --tags --abbrev=0`: the most recent tag reachable from HEAD. */
  readonly tag?: string;
  readonly commit?: string;
  readonly shortCommit?: string;
  /** Absent on a detached HEAD. */
  readonly branch?: string;
  readonly commitDate?: Date;
}

export interface GitOptions {
  readonly signal?: AbortSignal;
  /** Per git invocation. Default 5 s. */
  readonly timeoutMs?: number;
  /** The git binary. Default `git` from PATH. */
  readonly git?: string;
}

function git(cwd: string, args: readonly string[], options: GitOptions): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      options.git ?? 'git',
      [...args],
      {
        cwd,
        timeout: options.timeoutMs ?? 5000,
        signal: options.signal,
        windowsHide: true,
        maxBuffer: 1 << 20,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
      },
      (error, stdout) => resolve(error ? undefined : stdout.trim() || undefined),
    );
  });
}

/** Reads the facts in parallel from the repository containing `cwd`. Never rejects (an abort leaves facts absent). */
export async function readGitFacts(cwd: string, options: GitOptions = {}): Promise<GitFacts> {
  const [tag, commit, shortCommit, branch, date] = await Promise.all([
    git(cwd, ['describe', '--tags', '--abbrev=0'], options),
    git(cwd, ['rev-parse', 'HEAD'], options),
    git(cwd, ['rev-parse', '--short', 'HEAD'], options),
    git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD'], options),
    git(cwd, ['log', '-1', '--format=%cI', 'HEAD'], options),
  ]);
  const commitDate = date ? new Date(date) : undefined;
  return {
    ...(tag ? { tag } : {}),
    ...(commit ? { commit } : {}),
    ...(shortCommit ? { shortCommit } : {}),
    ...(branch && branch !== 'HEAD' ? { branch } : {}),
    ...(commitDate && !Number.isNaN(commitDate.getTime()) ? { commitDate } : {}),
  };
}

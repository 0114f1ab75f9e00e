// Git for the workspaces the tests, the demo and the benchmarks make: goreleaser reads the release
// tag and commit from the checkout, as `{{ .Tag }}` and `{{ .FullCommit }}`. Runs with a throwaway
// identity and no system or user configuration, so the machine's settings never leak in.
import { execFileSync } from 'node:child_process';

/** `git <args>` in `dir`; returns its standard output. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=tests@provenance-lens.test', '-c', 'user.name=Provenance Lens tests', ...args], {
    cwd: dir,
    stdio: 'pipe',
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: dir },
  });
}

/** Makes `dir` a repository with everything in it committed on `main`, tagged `tag`: a release checkout. */
export function commitAndTag(dir: string, tag: string, message = `release ${tag}`): void {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', message);
  git(dir, 'tag', tag);
}

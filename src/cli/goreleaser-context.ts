import { dirname, resolve } from 'node:path';
import { LensError } from '../core/errors';
import { readGitFacts } from '../goreleaser/git-context';
import { moduleBeside } from '../goreleaser/go-module';
import type { TemplateContext } from '../goreleaser/template-context';
import { contextFromTag } from '../goreleaser/template-context';
import type { OptionDocs } from './options';

/**
 * The context a GoReleaser config is rendered with on the command line (`release`, `refs`): the
 * tag, commit and branch from the flags or the git checkout beside the file, the environment from
 * `--env` (and this process's with `--inherit-env`), and the module of the go.mod beside the file
 * (`.ModulePath`, which ko's image names need).
 */
export const goreleaserOptionSpec = {
  tag: {
    type: 'string',
    value: 'vX.Y.Z',
    help: 'the tag being released (default: $GORELEASER_CURRENT_TAG, else the latest tag git describes next to the file)',
  },
  commit: { type: 'string', value: 'SHA', help: 'the commit (default: git rev-parse HEAD next to the file)' },
  branch: { type: 'string', value: 'NAME', help: "the branch (default: git's current branch)" },
  env: {
    type: 'string',
    multiple: true,
    value: 'NAME=VALUE',
    help: "a variable of the release job's environment (repeatable); the file's own env: applies on top, as in GoReleaser",
  },
  'inherit-env': { type: 'boolean', help: "also use this process's environment, as GoReleaser does in the release job" },
  'no-git': { type: 'boolean', help: 'do not run git' },
} as const satisfies OptionDocs;

export interface GoreleaserFlagValues {
  tag?: string;
  commit?: string;
  branch?: string;
  env?: string[];
  'inherit-env'?: boolean;
  'no-git'?: boolean;
}

export function parseEnvPairs(pairs: readonly string[], usage: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new LensError('USAGE', `--env takes NAME=VALUE, got "${p}".\n${usage}`);
    env[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return env;
}

export interface GoreleaserRun {
  readonly tag: string | undefined;
  readonly commit: string | undefined;
  readonly context: TemplateContext;
}

export async function goreleaserContext(file: string, values: GoreleaserFlagValues, processEnv: NodeJS.ProcessEnv, usage: string): Promise<GoreleaserRun> {
  const inherited = values['inherit-env'] ? (Object.fromEntries(Object.entries(processEnv).filter(([, v]) => v !== undefined)) as Record<string, string>) : {};
  const env = { ...inherited, ...parseEnvPairs(values.env ?? [], usage) };
  const git = values['no-git'] ? {} : await readGitFacts(dirname(resolve(file)));
  const tag = values.tag ?? (env.GORELEASER_CURRENT_TAG || undefined) ?? git.tag;
  const commit = values.commit ?? git.commit;
  const branch = values.branch ?? git.branch;
  const modulePath = await moduleBeside(file);
  const context = contextFromTag(tag, {
    env,
    ...(commit ? { commit } : {}),
    ...(commit && !values.commit && git.shortCommit ? { shortCommit: git.shortCommit } : {}),
    ...(branch ? { branch } : {}),
    ...(git.commitDate && !values.commit ? { commitDate: git.commitDate } : {}),
    ...(modulePath ? { modulePath } : {}),
  });
  return { tag, commit, context };
}

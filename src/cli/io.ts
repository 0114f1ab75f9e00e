import { parseArgs } from 'node:util';
import { LensError, describeError } from '../core/errors';

/** What a CLI command may touch: its streams and environment. Tests pass their own. */
export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: NodeJS.ProcessEnv;
}

/** Exit codes shared by every command. */
export const Exit = { ok: 0, failed: 1, usage: 2 } as const;

/** A command, once loaded; its name and summary are in commands.ts, which --help reads without loading it. */
export interface CliCommand {
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** `parseArgs` with a usage error that says which option was wrong. */
export function parseOptions<T extends NonNullable<Parameters<typeof parseArgs>[0]>['options']>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new LensError('USAGE', `${describeError(e)}\n${usage}`);
  }
}

/** What a CLI command may touch: its streams and environment. Tests pass their own. */
export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: NodeJS.ProcessEnv;
  /** The folder the command runs in (default: the process's). */
  cwd?: string;
}

/** Exit codes shared by every command. */
export const Exit = { ok: 0, failed: 1, usage: 2 } as const;

/** A command, once loaded; its name and summary are in commands.ts, which --help reads without loading it. */
export interface CliCommand {
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

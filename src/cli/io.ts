/** What a CLI command may touch: its streams and environment. Tests pass their own. */
export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: NodeJS.ProcessEnv;
}

/** Exit codes shared by every command. */
export const Exit = { ok: 0, failed: 1, usage: 2 } as const;

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

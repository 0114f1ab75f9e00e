import type { CliCommand } from './io';

/** Every CLI command, in the order `--help` lists them. */
export const commands: CliCommand[] = [];

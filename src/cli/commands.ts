import type { CliCommand } from './io';
import { inspectCommand } from './inspect';
import { verifyBlobCommand } from './verify-blob';

/** Every CLI command, in the order `--help` lists them. */
export const commands: CliCommand[] = [inspectCommand, verifyBlobCommand];

import type { CliCommand } from './io';
import { inspectCommand } from './inspect';
import { provenanceCommand } from './provenance';
import { refsCommand } from './refs';
import { releaseCommand } from './release';
import { tagsCommand } from './tags';
import { verifyCommand } from './verify';
import { verifyBlobCommand } from './verify-blob';

/** Every CLI command, in the order `--help` lists them. */
export const commands: CliCommand[] = [inspectCommand, tagsCommand, verifyCommand, verifyBlobCommand, provenanceCommand, releaseCommand, refsCommand];

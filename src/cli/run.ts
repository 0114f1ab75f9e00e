import { LensError, describeError } from '../core/errors';
import { secrets } from '../core/redact';
import type { CliIo } from './io';
import { Exit } from './io';
import { commands } from './commands';
import type { CommandEntry } from './commands';

function help(io: CliIo): void {
  const lines = ['provenance-lens: what exactly did we ship?', '', 'Commands:'];
  for (const c of commands) lines.push(`  ${c.name.padEnd(12)} ${c.summary}`);
  lines.push('', 'Run `provenance-lens help <command>` (or `<command> --help`) for its options.');
  io.stdout.write(`${lines.join('\n')}\n`);
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // `help <command>` is `<command> --help`.
  if (argv[0] === 'help' && argv.length > 1) return runCli([...argv.slice(1), '--help'], io);
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    help(io);
    return name === undefined ? Exit.usage : Exit.ok;
  }
  if (name === '--version') {
    io.stdout.write(`${VERSION}\n`);
    return Exit.ok;
  }
  const entry: CommandEntry | undefined = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr.write(`provenance-lens: unknown command "${name}"; commands: ${commands.map((c) => c.name).join(', ')}.\n`);
    return Exit.usage;
  }
  try {
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(`${command.usage}\n`);
      return Exit.ok;
    }
    return await command.run(rest, io);
  } catch (e) {
    // One line with the cause; secrets scrubbed as a last line of defence.
    const code = e instanceof LensError ? ` [${e.code}]` : '';
    io.stderr.write(`provenance-lens ${name}: ${secrets.scrub(describeError(e))}${code}\n`);
    return Exit.usage;
  }
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.1.0';

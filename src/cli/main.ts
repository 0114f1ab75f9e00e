import { runCli } from './run';

// Entry point of `provenance-lens` (dist/cli.js). Exit codes: 0 success,
// 1 verification failed, 2 usage or operational error.
// A reader that stops early (`… | head`) closes the pipe: that ends the output, not the program
// with an unhandled EPIPE. The exit code stays the command's.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}
runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`provenance-lens: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);

// The built CLI in a shell pipeline whose reader stops early (`provenance-lens inspect … | head`):
// the closed pipe ends the output, never the program with an unhandled EPIPE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../support/repo-root';
import { realFixtureDir } from '../support/real-fixtures';

test('a reader that closes the pipe before the output (`| head -c 0`): the exit code of the command, no EPIPE', async () => {
  const layout = realFixtureDir('cosign-signatures', 'slsa-github-generator-container', 'v1.8.0', 'container_workflow_dispatch');
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'inspect', '--json', `oci-layout:${layout}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  // As `head -c 0` does: the reading end is closed before the CLI writes anything.
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  assert.equal(stderr, '');
  assert.equal(code, 0);
});

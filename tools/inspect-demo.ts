import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startRegistry } from '../test/support/registry';
import { pushReleaseFixture } from '../test/support/fixtures';
import { realFixtureDir } from '../test/support/real-fixtures';
import { seedLayout } from '../test/support/storage-seed';

/**
 * The main job for now (README): start a real local registry, seed a demo release
 * (4 platforms, BuildKit attestations, cosign .sig/.att, Sigstore referrers; and the real
 * slsa-github-generator image vendored in test/fixtures/real), then run the real CLI on it.
 */
async function main(): Promise<void> {
  const registry = await startRegistry();
  try {
    const fixture = await pushReleaseFixture(registry, 'demo/fleet-agent', { tag: 'v0.13.0', sbom: true, cosignFor: ['index', 'linux/amd64'] });
    const refs = [`${fixture.reference}:v0.13.0`];
    const layout = realFixtureDir('cosign-signatures', 'slsa-github-generator-container', 'v1.8.0', 'container_workflow_dispatch');
    seedLayout(registry.storageDir, 'slsa-framework/example-package', layout, { tag: 'v1.8.0' });
    refs.push(`${registry.host}/slsa-framework/example-package:v1.8.0`);
    for (const ref of refs) {
      process.stdout.write(`\n$ provenance-lens inspect ${ref}\n`);
      const r = spawnSync(process.execPath, [resolve(__dirname, '../../dist/cli.js'), 'inspect', ref], { stdio: 'inherit' });
      if (r.status !== 0) process.exitCode = r.status ?? 1;
    }
    process.stdout.write(`\nThe registry ran at ${registry.url}; add --json for the machine-readable graph.\n`);
  } finally {
    await registry.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`demo failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});

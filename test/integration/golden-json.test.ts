import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pushDemoRelease } from '../../tools/demo-release';
import type { DemoRelease } from '../../tools/demo-release';
import { writeDemoWorkspace } from '../../tools/demo-workspace';
import { cli } from '../support/cli';
import type { CliResult } from '../support/cli';
import { Normaliser, goldenJson } from '../support/golden';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import { repoRoot } from '../support/repo-root';
import type { MiniSigstore } from '../support/sigstore/mini-sigstore';
import { createMiniSigstore } from '../support/sigstore/mini-sigstore';

// The command line's JSON on the demo release (`npm run demo`), kept as snapshots in
// test/fixtures/golden: `inspect`, `verify` (with the demo's own policy), `provenance` and
// `release` for both images, and the text of `verify`. Moving code must not change a byte of what users and scripts read;
// a deliberate change rewrites the snapshot (`UPDATE_GOLDEN=1`) in the same commit, named in its
// message. Per-run values (signatures, certificates, times, the port) are replaced by numbered
// placeholders (test/support/golden.ts), so everything else is compared exactly.
const GOLDEN = join(repoRoot, 'test', 'fixtures', 'golden');

/** The demo as `npm run demo` seeds it: both images in a real registry, its workspace beside them. */
interface Demo {
  readonly reg: TestRegistry;
  readonly mini: MiniSigstore;
  readonly dir: string;
  readonly workspace: string;
  readonly rootPath: string;
  readonly release: DemoRelease;
}

async function seedDemo(): Promise<Demo> {
  const [reg, mini] = await Promise.all([startRegistry(), createMiniSigstore()]);
  const dir = await mkdtemp(join(tmpdir(), 'pl-golden-'));
  const release = await pushDemoRelease(reg, mini);
  const workspace = join(dir, 'fleet');
  writeDemoWorkspace(workspace, { registryHost: reg.host });
  return { reg, mini, dir, workspace, rootPath: await mini.writeTrustedRoot(dir), release };
}

describe('golden: the CLI JSON on the demo release', () => {
  let demo: Demo | undefined;
  before(async () => {
    demo = await seedDemo();
  });
  after(async () => {
    await demo?.reg.stop();
    await demo?.mini.dispose();
    if (demo) await rm(demo.dir, { recursive: true, force: true });
  });
  const d = (): Demo => {
    assert.ok(demo, 'the demo release was not seeded');
    return demo;
  };

  /** Runs the CLI and compares its JSON (normalised) with test/fixtures/golden/<name>.json. */
  const compare = async (name: string, argv: string[], exitCode: number): Promise<CliResult> => {
    const r: CliResult = await cli(argv);
    assert.equal(r.code, exitCode, `exit code of ${argv.join(' ')}; stderr: ${r.stderr}`);
    // Text output is kept line by line, so a changed line reads as one in the diff.
    const stdout = argv.includes('--json') ? (JSON.parse(r.stdout) as unknown) : r.stdout.split('\n');
    const normalised = new Normaliser().json({ stdout, stderr: r.stderr.split('\n').filter(Boolean) });
    const { expected, actual } = goldenJson(join(GOLDEN, `${name}.json`), normalised);
    assert.deepEqual(
      actual,
      expected,
      `${name}: the output of ${argv[0]} changed; if on purpose, rerun with UPDATE_GOLDEN=1 and name the change in the commit`,
    );
    return r;
  };
  const images = () =>
    [
      ['fleet', d().release.fleet.reference],
      ['fleet-agent', d().release.agent.reference],
    ] as const;
  const policy = () => join(d().workspace, '.provenance-lens.yaml');

  test('inspect --json', async () => {
    for (const [name, ref] of images()) await compare(`inspect-${name}`, ['inspect', ref, '--json'], 0);
  });

  // Both images fail the demo policy: fleet on its unsigned platform, fleet-agent on the
  // fork's identity. Exit 1 is the verdict, not an error.
  test('verify --json with the demo policy', async () => {
    for (const [name, ref] of images()) {
      await compare(`verify-${name}`, ['verify', ref, '--policy', policy(), '--trusted-root', d().rootPath, '--offline', '--json'], 1);
    }
  });

  // The text verdict too: the marks and words the vocabulary gives the command line.
  test('verify (text) with the demo policy', async () => {
    for (const [name, ref] of images()) {
      await compare(`verify-text-${name}`, ['verify', ref, '--policy', policy(), '--trusted-root', d().rootPath, '--offline'], 1);
    }
  });

  // The release check a job runs: one table within 120 columns, the causes below it, and the JSON
  // with each image's causes.
  test('verify --release (text and JSON) with the demo policy', async () => {
    const argv = [
      'verify',
      '--release',
      join(d().workspace, '.goreleaser.yaml'),
      '--tag',
      'v0.13.0',
      '--env',
      `STAGE_REGISTRY=${d().reg.host}`,
      '--policy',
      policy(),
      '--trusted-root',
      d().rootPath,
      '--offline',
    ];
    const text = await compare('verify-release-text', argv, 1);
    const wide = text.stdout.split('\n').filter((l) => l.length > 120);
    assert.deepEqual(wide, [], 'verify --release fits 120 columns');
    await compare('verify-release', [...argv, '--json'], 1);
  });

  test('provenance --json', async () => {
    for (const [name, ref] of images()) await compare(`provenance-${name}`, ['provenance', ref, '--json'], 0);
  });

  test('release --json on the demo workspace', async () => {
    await compare('release', ['release', join(d().workspace, '.goreleaser.yaml'), '--env', `STAGE_REGISTRY=${d().reg.host}`, '--json'], 0);
  });
});

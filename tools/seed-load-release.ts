// The load release: 40 images of 4 platforms each, as one goreleaser release
// publishes them, pushed into a test registry and signed by the mini Sigstore in all three
// formats: cosign `.sig`/`.att` tags and Sigstore-bundle referrers (tag schema) on each index,
// BuildKit's unsigned SLSA and SPDX statements in each index. One workflow identity signs them
// all, so one policy entry pins the whole release. Also the workspace that lists them: a
// `.goreleaser.yaml` with 40 `dockers_v2` entries and a `.provenance-lens.yaml`.
// Used by bench/extension-load.ts and test/e2e/load.test.ts; run on its own
// (`node out/tools/seed-load-release.js [--registry 127.0.0.1:PORT] [--images N] [--out DIR]`)
// it seeds a registry (its own when none is named), writes the workspace and the trusted root
// into DIR, and prints what it did.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent } from 'undici';
import { DEFAULT_PLATFORMS } from '../test/support/fixtures';
import type { PushTarget } from '../test/support/push';
import { startRegistry } from '../test/support/registry';
import { createMiniSigstore } from '../test/support/sigstore/mini-sigstore';
import type { MiniSigstore } from '../test/support/sigstore/mini-sigstore';
import { pushSignedRelease } from '../test/support/sigstore/release';
import { commitAndTag } from '../test/support/git';

export const LOAD_TAG = 'v1.0.0';
export const LOAD_PROJECT = 'load';
/** The repository whose release workflow signs every image. */
export const LOAD_SOURCE = 'acme/load';
/** What `{{ .Env.LOAD_REGISTRY }}` names in the workspace's goreleaser file. */
export const LOAD_REGISTRY_ENV = 'LOAD_REGISTRY';

export interface LoadImage {
  readonly repo: string;
  /** `host/load/app-07:v1.0.0` */
  readonly reference: string;
  readonly digest: string;
}

export interface LoadRelease {
  readonly registry: string;
  readonly tag: string;
  readonly platforms: readonly string[];
  readonly images: readonly LoadImage[];
  /** The SAN every signature carries. */
  readonly identity: string;
  readonly seedMs: number;
}

export interface SeedOptions {
  /** Default 40. */
  readonly images?: number;
  /** Default the four of test/support/fixtures (amd64, arm64, arm/v7, s390x). */
  readonly platforms?: readonly string[];
  /** Pushes in flight. Default 6. */
  readonly concurrency?: number;
  /** Seeding that takes longer is a broken run. Default 5 minutes. */
  readonly timeoutMs?: number;
}

export const repoName = (i: number): string => `${LOAD_PROJECT}/app-${String(i + 1).padStart(2, '0')}`;

/** Pushes the release; bounded by `timeoutMs`. */
export async function seedLoadRelease(registry: PushTarget & { readonly host: string }, sigstore: MiniSigstore, o: SeedOptions = {}): Promise<LoadRelease> {
  const started = Date.now();
  const count = o.images ?? 40;
  const platforms = [...(o.platforms ?? DEFAULT_PLATFORMS)];
  const signer = await sigstore.githubIdentity({ repository: LOAD_SOURCE, ref: `refs/tags/${LOAD_TAG}` });
  const images: LoadImage[] = new Array<LoadImage>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) {
      const repo = repoName(i);
      const r = await pushSignedRelease(registry, repo, {
        sigstore,
        tag: LOAD_TAG,
        platforms,
        sourceRepository: LOAD_SOURCE,
        signer,
        contentSeed: repo,
        cosignSignatures: ['index'],
        cosignAttestations: ['index'],
        referrers: ['index'],
      });
      images[i] = { repo, reference: `${registry.host}/${repo}:${LOAD_TAG}`, digest: r.index.digest };
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const timeoutMs = o.timeoutMs ?? 5 * 60_000;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`seeding ${count} images took more than ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.all(Array.from({ length: Math.min(count, o.concurrency ?? 6) }, worker)), deadline]);
  } finally {
    clearTimeout(timer);
  }
  return { registry: registry.host, tag: LOAD_TAG, platforms, images, identity: signer.identity, seedMs: Date.now() - started };
}

/** `.goreleaser.yaml`: one `dockers_v2` entry per image, rendered with `{{ .Env.LOAD_REGISTRY }}`. */
export function loadGoreleaser(count: number, platforms: readonly string[]): string {
  const entries = Array.from({ length: count }, (_, i) =>
    [
      `  - id: app-${String(i + 1).padStart(2, '0')}`,
      `    images: ["{{ .Env.${LOAD_REGISTRY_ENV} }}/${repoName(i)}"]`,
      '    tags: ["{{ .Tag }}"]',
      `    platforms: [${platforms.join(', ')}]`,
    ].join('\n'),
  );
  return `version: 2\nproject_name: ${LOAD_PROJECT}\ndockers_v2:\n${entries.join('\n')}\n`;
}

/** `.provenance-lens.yaml`: every image signed by acme/load's release workflow for the tag, with SLSA provenance. */
export const LOAD_POLICY = `version: 1
defaults:
  github:
    repository: ${LOAD_SOURCE}
    workflow: release.yml
    ref: refs/tags/{{tag}}
  attestations: [slsa-provenance]
images:
  - image: "*/${LOAD_PROJECT}/**"
`;

/** The workspace files (relative path -> text). */
export function loadWorkspaceFiles(release: Pick<LoadRelease, 'images' | 'platforms'>): Record<string, string> {
  return {
    '.goreleaser.yaml': loadGoreleaser(release.images.length, release.platforms),
    '.provenance-lens.yaml': LOAD_POLICY,
    'README.md': `# ${LOAD_PROJECT}\n\n${release.images.length} images of ${release.platforms.length} platforms (Provenance Lens load benchmark).\n`,
  };
}

/** Writes `files` into `root` and commits them tagged LOAD_TAG (goreleaser's `{{ .Tag }}`). */
export function writeGitWorkspace(root: string, files: Readonly<Record<string, string>>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  commitAndTag(root, LOAD_TAG);
}

/**
 * What the editor benches open the load workspace with: the release's registry at `registryHost`,
 * the mini Sigstore's `trustedRoot`, no network beyond; hovers after 100 ms, no minimap.
 */
export function loadEditorSettings(registryHost: string, trustedRoot: string): Record<string, unknown> {
  return {
    'provenanceLens.goreleaser.env': { [LOAD_REGISTRY_ENV]: registryHost },
    'provenanceLens.trustedRoot': trustedRoot,
    'provenanceLens.offline': true,
    'editor.hover.delay': 100,
    'editor.minimap.enabled': false,
  };
}

/** The load workspace (LOAD_PROJECT) of `release` in a code-server's workspaces, committed and tagged; returns its path. */
export function makeLoadWorkspace(server: { makeWorkspace(name: string): string }, release: Pick<LoadRelease, 'images' | 'platforms'>): string {
  const workspace = server.makeWorkspace(LOAD_PROJECT);
  writeGitWorkspace(workspace, loadWorkspaceFiles(release));
  return workspace;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { registry: { type: 'string' }, images: { type: 'string' }, out: { type: 'string' } } });
  const count = values.images === undefined ? 40 : Number(values.images);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--images must be a positive whole number, got ${values.images}`);
  const out = values.out ?? mkdtempSync(join(tmpdir(), 'pl-load-release-'));
  const own = values.registry === undefined ? await startRegistry() : undefined;
  const agent = own ? undefined : new Agent();
  const registry = own ?? { host: values.registry!, url: `http://${values.registry!}`, auth: { mode: 'anonymous' as const }, dispatcher: agent! };
  const sigstore = await createMiniSigstore();
  try {
    const release = await seedLoadRelease(registry, sigstore, { images: count });
    const root = join(out, 'workspace');
    writeGitWorkspace(root, loadWorkspaceFiles(release));
    const trustedRoot = await sigstore.writeTrustedRoot(out);
    process.stdout.write(
      [
        `Seeded ${release.images.length} images x ${release.platforms.length} platforms into ${release.registry} in ${release.seedMs} ms, signed by ${release.identity}.`,
        `Workspace: ${root} (settings: "provenanceLens.goreleaser.env": {"${LOAD_REGISTRY_ENV}": "${release.registry}"}, "provenanceLens.trustedRoot": "${trustedRoot}")`,
        '',
      ].join('\n'),
    );
    if (own) {
      process.stdout.write('Serving the registry until Ctrl-C.\n');
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
  } finally {
    await sigstore.dispose();
    await own?.stop();
    await agent?.close();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`seed-load-release: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}

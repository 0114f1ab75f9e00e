import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LayoutSource } from '../../src/registry/layout-source';
import { buildGraph } from '../../src/registry/graph';
import { MediaType } from '../../src/registry/media-types';
import type { ReferrerList } from '../../src/registry/source';

// The graph walker over generated OCI layouts: shapes a registry may serve that are odd,
// broken or hostile, with the exact outcome for each.

class Layout {
  readonly dir = mkdtempSync(join(tmpdir(), 'pl-graph-'));
  constructor() {
    mkdirSync(join(this.dir, 'blobs', 'sha256'), { recursive: true });
    writeFileSync(join(this.dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  }
  put(content: unknown): { digest: string; size: number; bytes: Buffer } {
    const bytes = Buffer.isBuffer(content) ? content : Buffer.from(JSON.stringify(content));
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    writeFileSync(join(this.dir, 'blobs', 'sha256', digest.slice(7)), bytes);
    return { digest, size: bytes.length, bytes };
  }
  image(arch: string) {
    const config = this.put({ architecture: arch, os: 'linux', rootfs: { type: 'layers', diff_ids: [] } });
    return this.put({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, digest: config.digest, size: config.size },
      layers: [],
    });
  }
  index(manifests: unknown[], tag = 'v1') {
    const idx = this.put({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests });
    writeFileSync(
      join(this.dir, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [{ mediaType: MediaType.ociIndex, digest: idx.digest, size: idx.size, annotations: { 'org.opencontainers.image.ref.name': tag } }],
      }),
    );
    return idx;
  }
}

const entry = (d: { digest: string; size: number }, extra: Record<string, unknown> = {}) => ({
  mediaType: MediaType.ociManifest,
  digest: d.digest,
  size: d.size,
  ...extra,
});
const target = (dir: string) => ({ reference: `oci-layout:${dir}:v1`, source: 'oci-layout' as const, repository: dir, tag: 'v1' });

test('an entry of an unknown media type is an image entry like any other; a dangling attestation, a size lie and bytes that are no manifest are problems, not crashes', async () => {
  const l = new Layout();
  const amd = l.image('amd64');
  const statement = l.put({ _type: 'https://in-toto.io/Statement/v1', subject: [], predicateType: 'https://slsa.dev/provenance/v1', predicate: {} });
  const att = l.put({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: amd.digest, size: 1 },
    layers: [
      {
        mediaType: MediaType.inTotoStatement,
        digest: statement.digest,
        size: statement.size,
        annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v1' },
      },
    ],
  });
  const ghost = `sha256:${'f'.repeat(64)}`;
  const idx = l.index([
    entry(amd, { platform: { os: 'linux', architecture: 'amd64' }, size: amd.size + 1 }),
    entry(att, {
      platform: { os: 'unknown', architecture: 'unknown' },
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': ghost },
    }),
    { mediaType: 'application/vnd.example.weird+json', digest: statement.digest, size: statement.size },
  ]);
  const g = await buildGraph(new LayoutSource(l.dir), target(l.dir));
  assert.equal(g.digest, idx.digest);
  // A runtime selects by platform, whatever the media type: the weird entry must be covered too.
  assert.deepEqual(
    g.platforms.map((p) => [p.platform, p.digest, p.problem?.code]),
    [
      ['linux/amd64', amd.digest, 'SIZE_MISMATCH'],
      ['unknown', statement.digest, 'NOT_A_MANIFEST'],
    ],
  );
  assert.deepEqual(g.others, []);
  assert.deepEqual(g.problems.map((p) => p.code).sort(), ['DANGLING_ATTESTATION', 'NOT_A_MANIFEST', 'SIZE_MISMATCH']);
  // An attestation manifest about no entry of the index is named, and not read.
  assert.deepEqual(g.artifacts, []);
  assert.match(
    g.problems.find((p) => p.code === 'DANGLING_ATTESTATION')!.message,
    new RegExp(`refers to ${ghost}, which is not an image entry of index ${idx.digest}; it was not read\\.$`),
  );
});

test('a 10,000-entry index is bounded: the first 128 platforms are walked, the rest named as not checked', async () => {
  const l = new Layout();
  const img = l.image('amd64');
  const many = Array.from({ length: 10_000 }, (_, i) => entry(img, { platform: { os: 'linux', architecture: `arch${i}` } }));
  l.index(many);
  const source = new LayoutSource(l.dir);
  const started = performance.now();
  const g = await buildGraph(source, target(l.dir));
  const ms = performance.now() - started;
  assert.equal(g.platforms.length, 128);
  const truncated = g.problems.find((p) => p.code === 'TRUNCATED');
  assert.equal(
    truncated?.message,
    `Index ${g.digest} lists 10000 image entries; 9872 of them were not examined (cap: 128 platform manifests per image). What was not read was not checked.`,
  );
  assert.deepEqual(truncated?.cut, { cap: 'platforms', limit: 128, unread: 9872, index: g.digest });
  assert.ok(ms < 10_000, `took ${ms} ms`);
});

test('a cancelled walk stops with ABORTED, not with a partial graph', async () => {
  const l = new Layout();
  const img = l.image('arm64');
  l.index([entry(img, { platform: { os: 'linux', architecture: 'arm64' } })]);
  const c = new AbortController();
  c.abort();
  await assert.rejects(buildGraph(new LayoutSource(l.dir), target(l.dir), { signal: c.signal }), (e: unknown) => (e as { code?: string }).code === 'ABORTED');
});

test('a single-platform image reads its platform from the config blob', async () => {
  const l = new Layout();
  const img = l.image('riscv64');
  writeFileSync(
    join(l.dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: MediaType.ociManifest, digest: img.digest, size: img.size, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }],
    }),
  );
  const g = await buildGraph(new LayoutSource(l.dir), target(l.dir));
  assert.equal(g.kind, 'manifest');
  assert.deepEqual(
    g.platforms.map((p) => [p.platform, p.digest]),
    [['linux/riscv64', img.digest]],
  );
});

test('a referrers listing that stopped before its end is a TRUNCATED problem naming the digest and why', async () => {
  const l = new Layout();
  const amd = l.image('amd64');
  const idx = l.index([entry(amd, { platform: { os: 'linux', architecture: 'amd64' } })]);
  // A source whose referrers API stopped early (registry-source.ts sets `unfinished`); the walk must say so.
  class Unfinished extends LayoutSource {
    override async referrers(repository: string, digest: string, options?: Parameters<LayoutSource['referrers']>[2]): Promise<ReferrerList> {
      const list: ReferrerList = await super.referrers(repository, digest, options);
      if (digest === idx.digest) list.unfinished = "the registry's referrers listing went on past 100 pages; the rest was not read";
      return list;
    }
  }
  const g = await buildGraph(new Unfinished(l.dir), target(l.dir));
  assert.deepEqual(
    g.problems.map((p) => [p.code, p.at, p.message]),
    [
      [
        'TRUNCATED',
        `referrers of ${idx.digest}`,
        `Referrers of ${idx.digest}: the registry's referrers listing went on past 100 pages; the rest was not read. Referrers on the pages not read were not checked.`,
      ],
    ],
  );
});

// A property over generated image indexes with case- and Unicode-folded key variants and
// duplicates, written into OCI layouts: the engine either refuses a document as AMBIGUOUS_JSON,
// exactly when it holds such keys, or walks exactly the platform -> image pairs skopeo
// (containers/image, Go's encoding/json) resolves from the same bytes. No registry: skopeo reads
// the `oci:` layout directly. FC_RUNS / FC_SEED override the run count and the seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildGraph } from '../../src/registry/graph';
import type { ImageGraph } from '../../src/model/image-graph';
import { LayoutSource } from '../../src/registry/layout-source';
import { isLensError } from '../../src/core/errors';
import { obj, writeJson } from '../support/ordered-json';
import type { OrderedValue } from '../support/ordered-json';
import { skopeoConfigFromLayout } from '../support/skopeo';
import { holdsAsync, runFor } from '../support/properties/run';

const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const INDEX = 'application/vnd.oci.image.index.v1+json';
const QUERIED = ['linux/amd64', 'linux/arm64', 'linux/s390x'];

interface Image {
  readonly mark: string;
  readonly os: string;
  readonly architecture: string;
  readonly digest: string;
  readonly size: number;
  readonly blobs: Map<string, Buffer>;
}

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
/** Four images, each with a config carrying its mark: two for linux/amd64, so a swap is visible. */
const POOL: Image[] = [
  ['A', 'amd64'],
  ['B', 'arm64'],
  ['C', 'amd64'],
  ['D', 's390x'],
].map(([mark, architecture]) => {
  const config = Buffer.from(JSON.stringify({ architecture, os: 'linux', config: { Labels: { mark } }, rootfs: { type: 'layers', diff_ids: [] } }));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
      layers: [],
    }),
  );
  return {
    mark: mark!,
    os: 'linux',
    architecture: architecture!,
    digest: sha(manifest),
    size: manifest.length,
    blobs: new Map([
      [sha(config), config],
      [sha(manifest), manifest],
    ]),
  };
});
const byMark = new Map(POOL.map((i) => [i.mark, i]));

/** Spellings of a key: Go folds the first kind onto it (ambiguous); it ignores the second (a look-alike, harmless). */
const folded = (key: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant(key),
    fc
      .array(fc.boolean(), { minLength: key.length, maxLength: key.length })
      .map((up) => [...key].map((c, i) => (up[i] ? c.toUpperCase() : c.toLowerCase())).join('')),
    ...(key.includes('s') ? [fc.constant(key.replace(/s/g, 'ſ'))] : []),
  );
const lookalike = (key: string): fc.Arbitrary<string> =>
  fc.constantFrom(key.replace(/i/g, 'ı'), key.replace(/i/g, 'İ'), `${key} `, `_${key}`).filter((k) => k !== key);

interface Generated {
  readonly json: string;
  readonly ambiguous: boolean;
}

/** A descriptor, perhaps with a second key for digest or architecture that Go would (or would not) read. */
const descriptor = (image: fc.Arbitrary<Image>): fc.Arbitrary<{ value: OrderedValue; ambiguous: boolean }> =>
  fc
    .record({
      image,
      other: fc.constantFrom(...POOL),
      extra: fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 6 },
        { arbitrary: fc.record({ field: fc.constantFrom('digest', 'architecture', 'os'), folded: fc.boolean() }), weight: 1 },
      ),
    })
    .chain(({ image, other, extra }) => {
      if (extra === undefined) return fc.constant({ value: plainDescriptor(image, []), ambiguous: false });
      const spelled = extra.folded ? folded(extra.field) : lookalike(extra.field);
      return spelled.map((key) => {
        const ambiguous = extra.folded; // folded includes the exact key: a duplicate
        const value = extra.field === 'digest' ? other.digest : extra.field === 'architecture' ? other.architecture : 'windows';
        return { value: plainDescriptor(image, [[key, value]], extra.field !== 'digest'), ambiguous };
      });
    });

function plainDescriptor(image: Image, extra: Array<[string, OrderedValue]>, inPlatform = false): OrderedValue {
  const platform: Array<[string, OrderedValue]> = [
    ['architecture', image.architecture],
    ['os', image.os],
  ];
  const top: Array<[string, OrderedValue]> = [
    ['mediaType', MANIFEST],
    ['digest', image.digest],
    ['size', image.size],
  ];
  (inPlatform ? platform : top).push(...extra);
  return obj([...top, ['platform', obj(platform)]]);
}

const list = fc.array(descriptor(fc.constantFrom(...POOL)), { minLength: 1, maxLength: 4 });
const generated: fc.Arbitrary<Generated> = fc
  .record({
    first: list,
    second: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 2 },
      { arbitrary: fc.record({ key: fc.oneof(folded('manifests'), lookalike('manifests')), list }), weight: 1 },
    ),
  })
  .map(({ first, second }) => {
    const pairs: Array<[string, OrderedValue]> = [
      ['schemaVersion', 2],
      ['mediaType', INDEX],
      ['manifests', first.map((d) => d.value)],
    ];
    let ambiguous = first.some((d) => d.ambiguous);
    if (second !== undefined) {
      pairs.push([second.key, second.list.map((d) => d.value)]);
      // Go reads a folded key (or the same key again) as "manifests": ambiguous. A look-alike key is
      // ignored by both readers; the engine still refuses folded keys inside it (never read, so safe).
      ambiguous ||= second.key.replace(/ſ/g, 's').toLowerCase() === 'manifests' || second.list.some((d) => d.ambiguous);
    }
    return { json: writeJson(obj(pairs)), ambiguous };
  });

function writeLayout(dir: string, indexJson: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = (b: Buffer) => writeFileSync(join(dir, 'blobs', 'sha256', sha(b).slice(7)), b);
  for (const i of POOL) for (const b of i.blobs.values()) put(b);
  const index = Buffer.from(indexJson);
  put(index);
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: INDEX, digest: sha(index), size: index.length, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }],
    }),
  );
}

test(
  'generated indexes with folded and duplicate keys: refused exactly when ambiguous, otherwise the platform -> image pairs skopeo resolves',
  { timeout: 600_000 },
  async (t) => {
    const root = mkdtempSync(join(tmpdir(), 'pl-oracle-'));
    const counts = { refused: 0, walked: 0, lookalikes: 0 };
    let n = 0;
    try {
      await holdsAsync(
        'index oracle',
        runFor(9_0807, 300),
        fc.asyncProperty(generated, async (g) => {
          const dir = join(root, String(n++));
          writeLayout(dir, g.json);
          const picks = await Promise.all(
            QUERIED.map(async (p) => {
              const s = await skopeoConfigFromLayout(dir, 'v1', p);
              const mark = (s.config?.config as { Labels?: { mark?: string } } | undefined)?.Labels?.mark;
              return [p, mark === undefined ? undefined : byMark.get(mark)!.digest] as const;
            }),
          );
          let graph: ImageGraph;
          try {
            graph = await buildGraph(new LayoutSource(dir), { reference: `oci-layout:${dir}:v1`, source: 'oci-layout', repository: dir, tag: 'v1' });
          } catch (e) {
            assert.ok(isLensError(e, 'AMBIGUOUS_JSON'), `refused with ${String(e)}`);
            assert.ok(g.ambiguous, `an unambiguous document was refused: ${g.json}`);
            counts.refused++;
            return;
          }
          assert.ok(!g.ambiguous, `an ambiguous document was read: ${g.json}`);
          counts.walked++;
          if (/ı|İ| "|"_/.test(g.json)) counts.lookalikes++;
          for (const [p, digest] of picks) {
            // A runtime takes the first entry matching the platform; every entry must be covered, so
            // the engine lists them all: skopeo's pick must be the first of them, or neither has one.
            const ours = graph.platforms.filter((x) => x.platform === p).map((x) => x.digest);
            assert.equal(ours[0], digest, `${p}: skopeo resolves ${digest}, the engine ${ours.join(', ') || 'nothing'} for ${g.json}`);
          }
          rmSync(dir, { recursive: true, force: true });
        }),
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    t.diagnostic(`${counts.refused} refused as ambiguous, ${counts.walked} walked (${counts.lookalikes} with look-alike keys both readers ignore)`);
    assert.ok(counts.refused > 20 && counts.walked > 20 && counts.lookalikes > 5, JSON.stringify(counts));
  },
);

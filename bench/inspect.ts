// The inspect benchmark, run by `npm run bench`: a 4-platform release with
// signatures and attestations in all three formats (cosign tags, Sigstore referrers through the
// tag schema, BuildKit attestation manifests) in a real local registry, behind a loopback proxy
// that adds 25 ms to every request. Measures our inspect (in process and as the real CLI) and,
// in the same run, the baseline: `skopeo inspect --raw` of the index, every platform manifest
// and every cosign tag, one after the other. The warm rows run again with a persistent content
// cache already filled (a second look at the same release). Prints medians of 5 runs as a
// markdown table.
// A missed target is a figure, not a failure; only a broken run exits non-zero.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DiskCache } from '../src/registry/cache';
import { RegistryClient } from '../src/registry/client';
import { buildGraph } from '../src/registry/graph';
import type { ImageGraph } from '../src/model/image-graph';
import { openReference } from '../src/registry/open';
import { parseReference } from '../src/registry/reference';
import { criticalPathDepth, startFaultProxy } from '../test/support/fault-proxy';
import type { FaultProxy, ProxyRecord } from '../test/support/fault-proxy';
import { DEFAULT_PLATFORMS, pushReleaseFixture } from '../test/support/fixtures';
import type { ReleaseFixture } from '../test/support/fixtures';
import { startRegistry } from '../test/support/registry';

const RTT_MS = 25;
const RUNS = 5;
const REPO = 'bench/fleet-agent';
const TAG = 'v0.13.0';
const CLI = resolve(__dirname, '../../dist/cli.js');

interface Sample {
  requests: number;
  /** Round trips on the critical path, all requests. */
  depth: number;
  /** The same without the auth steps (`/v2/` pings, 401 answers). */
  depthAfterAuth: number;
  wallMs: number;
}

interface Row {
  label: string;
  samples: Sample[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const isAuthStep = (r: ProxyRecord): boolean => r.path === '/v2/' || r.status === 401;

function run(file: string, args: string[], env?: NodeJS.ProcessEnv): Promise<Buffer> {
  // Asynchronous on purpose: the proxy lives in this process and must keep serving.
  return new Promise((resolvePromise, reject) => {
    execFile(file, args, { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, ...(env ? { env } : {}) }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${stderr.toString('utf8')}`));
      else resolvePromise(stdout);
    });
  });
}

async function measure(proxy: FaultProxy, task: () => Promise<void>): Promise<Sample> {
  proxy.reset();
  const started = performance.now();
  await task();
  const wallMs = performance.now() - started;
  await proxy.settled();
  const records = [...proxy.requests];
  return { requests: records.length, depth: criticalPathDepth(records), depthAfterAuth: criticalPathDepth(records.filter((r) => !isAuthStep(r))), wallMs };
}

/** The graph must be complete, or the figures mean nothing: a broken run, not a slow one. */
function checkGraph(g: ImageGraph, fixture: ReleaseFixture, what: string): void {
  const count = (format: string): number => g.artifacts.filter((a) => a.format === format && !a.depth).length;
  const want = {
    digest: fixture.index.digest,
    platforms: fixture.index.platforms.length,
    'cosign-tag': fixture.cosign.length,
    referrer: fixture.referrers.reduce((n, r) => n + r.referrers.length, 0),
    'buildkit-index': fixture.index.attestations.reduce((n, a) => n + a.statements.length, 0),
    problems: 0,
  };
  const got = {
    digest: g.digest,
    platforms: g.platforms.length,
    'cosign-tag': count('cosign-tag'),
    referrer: count('referrer'),
    'buildkit-index': count('buildkit-index'),
    problems: g.problems.length,
  };
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(`${what} read an incomplete graph: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}; problems: ${JSON.stringify(g.problems)}`);
  }
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`node scripts/build.mjs\` first (npm run bench does).`);
  await run('skopeo', ['--version']).catch(() => {
    throw new Error('skopeo is missing: run `bash scripts/ensure-system.sh` (npm run bench does).');
  });
  const dockerConfig = await mkdtemp(join(tmpdir(), 'pl-bench-docker-'));
  const registry = await startRegistry();
  let proxy: FaultProxy | undefined;
  try {
    const platforms = [...DEFAULT_PLATFORMS];
    const fixture = await pushReleaseFixture(registry, REPO, {
      tag: TAG,
      platforms,
      cosignFor: ['index', ...platforms],
      referrersFor: ['index', ...platforms],
      sbom: true,
      dockerListTag: null,
      singleArchTag: null,
    });
    proxy = await startFaultProxy({ upstream: registry, delayMs: RTT_MS, otherHost: null });
    const p = proxy;
    const ref = `${p.host}/${REPO}:${TAG}`;

    const warmDir = join(dockerConfig, 'content-cache');
    const inProcess = async (warm = false): Promise<void> => {
      const client = new RegistryClient({ insecureRegistries: [p.host], ...(warm ? { cache: new DiskCache(warmDir) } : {}) });
      try {
        const { source, target } = openReference(parseReference(ref), client);
        checkGraph(await buildGraph(source, target), fixture, 'inspect (in process)');
      } finally {
        await client.close();
      }
    };
    const cliEnv = { ...process.env, DOCKER_CONFIG: dockerConfig, XDG_CACHE_HOME: join(dockerConfig, 'xdg-cache') };
    const cli = async (warm = false): Promise<void> => {
      const out = await run(process.execPath, [CLI, 'inspect', '--json', '--insecure-registry', p.host, ref, ...(warm ? [] : ['--no-cache'])], cliEnv);
      checkGraph(JSON.parse(out.toString('utf8')) as ImageGraph, fixture, 'inspect --json (CLI)');
    };
    // skopeo reads what a maintainer would read by hand: the index, each platform, each cosign tag.
    const baselineRefs: Array<{ ref: string; digest: string }> = [
      { ref: `${p.host}/${REPO}:${TAG}`, digest: fixture.index.digest },
      ...fixture.index.platforms.map((x) => ({ ref: `${p.host}/${REPO}@${x.digest}`, digest: x.digest })),
      ...fixture.cosign.map((c) => ({ ref: `${p.host}/${REPO}:${c.tag}`, digest: c.digest })),
    ];
    const baseline = async (): Promise<void> => {
      for (const b of baselineRefs) {
        const raw = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${b.ref}`]);
        const digest = `sha256:${createHash('sha256').update(raw).digest('hex')}`;
        if (digest !== b.digest) throw new Error(`skopeo inspect --raw ${b.ref} returned ${digest}, expected ${b.digest}`);
      }
    };

    const rows: Row[] = [
      { label: '`provenance-lens inspect` in process (buildGraph, fresh client and cache)', samples: [] },
      { label: '`provenance-lens inspect --json --no-cache` (the CLI as a child process)', samples: [] },
      { label: `baseline: \`skopeo inspect --raw\` × ${baselineRefs.length}, one after the other`, samples: [] },
      { label: 'warm: in process, a second look with the persistent content cache filled (DiskCache)', samples: [] },
      { label: 'warm: `provenance-lens inspect --json` again (content and code caches filled)', samples: [] },
    ];
    const tasks = [() => inProcess(), () => cli(), baseline, () => inProcess(true), () => cli(true)];
    // One warm-up round (JIT, page cache, registry), then the measured ones.
    for (const task of tasks) await measure(p, task);
    for (let i = 0; i < RUNS; i++) {
      for (let t = 0; t < tasks.length; t++) rows[t]!.samples.push(await measure(p, tasks[t]!));
    }
    report(rows, fixture, baselineRefs.length);
  } finally {
    await proxy?.close();
    await registry.stop();
    await rm(dockerConfig, { recursive: true, force: true });
  }
}

function report(rows: Row[], fixture: ReleaseFixture, baselineCalls: number): void {
  const med = (row: Row, key: keyof Sample): number => median(row.samples.map((s) => s[key]));
  const [ours, cli, base, warmIn, warmCli] = rows as [Row, Row, Row, Row, Row];
  const budget = 5 * RTT_MS + 50;
  const pass = (ok: boolean): string => (ok ? 'PASS' : 'MISS');
  const ms = (x: number): string => `${Math.round(x)} ms`;
  const speedup = (row: Row): number => med(base, 'wallMs') / med(row, 'wallMs');
  const depth = (row: Row): string => {
    const all = med(row, 'depth');
    const afterAuth = med(row, 'depthAfterAuth');
    return all === afterAuth ? String(all) : `${all} (${afterAuth} after auth)`;
  };
  const artifacts = `${fixture.cosign.length} cosign tags, ${fixture.referrers.length} referrers tag-schema indexes, ${fixture.index.attestations.length} BuildKit attestation manifests`;
  const lines = [
    '',
    `## Inspect benchmark`,
    '',
    `${fixture.index.platforms.length}-platform release (${fixture.index.platforms.map((x) => x.key).join(', ')}) with ${artifacts};`,
    `local docker-registry (no auth) behind a loopback proxy adding ${RTT_MS} ms to every request. Median of ${RUNS} runs after one warm-up; Node ${process.versions.node}; load average at the end ${loadavg()
      .map((x) => x.toFixed(2))
      .join(', ')}.`,
    '',
    '| | requests | round trips on the critical path | wall time |',
    '|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.label} | ${med(r, 'requests')} | ${depth(r)} | ${ms(med(r, 'wallMs'))} |`),
    '',
    '| target | measured | |',
    '|---|---:|---|',
    `| ≤ 4 round trips on the critical path after auth | ${med(ours, 'depthAfterAuth')} | ${pass(med(ours, 'depthAfterAuth') <= 4)} |`,
    `| wall time < 5 × RTT + 50 ms = ${budget} ms (in process) | ${ms(med(ours, 'wallMs'))} | ${pass(med(ours, 'wallMs') < budget)} |`,
    `| wall time < ${budget} ms (CLI, including Node start-up) | ${ms(med(cli, 'wallMs'))} | ${pass(med(cli, 'wallMs') < budget)} |`,
    `| ≥ 5× faster than the baseline (in process) | ${speedup(ours).toFixed(1)}× | ${pass(speedup(ours) >= 5)} |`,
    `| ≥ 5× faster than the baseline (CLI process vs ${baselineCalls} skopeo processes) | ${speedup(cli).toFixed(1)}× | ${pass(speedup(cli) >= 5)} |`,
    `| warm: ≤ 3 requests per image (in process; the image's tag, tag list and referrers, plus one per cosign and referrers tag: ${fixture.cosign.length + fixture.referrers.length} here) | ${med(warmIn, 'requests')} | ${pass(med(warmIn, 'requests') <= 3)} |`,
    `| warm: ≤ 1 s (CLI, a second run) | ${ms(med(warmCli, 'wallMs'))} | ${pass(med(warmCli, 'wallMs') <= 1000)} |`,
    '',
    'Per run (wall ms): ' +
      rows
        .map((r, i) => `${['in process', 'CLI', 'skopeo', 'warm in process', 'warm CLI'][i]} ${r.samples.map((s) => Math.round(s.wallMs)).join(', ')}`)
        .join('; '),
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main().catch((e: unknown) => {
  process.stderr.write(`bench/inspect: the run broke: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});

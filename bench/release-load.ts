// The big release in process, run by `npm run bench`: the 40-image, 4-platform release of
// tools/seed-load-release.ts in a real registry behind a loopback proxy adding 25 ms to every
// request, loaded through the extension's own parts — ReleaseService over the registry client,
// the graph walk and the verifier, with the extension's defaults (requests in flight per
// registry from package.json, images at once from the service) and a fresh persistent cache, as
// on a first open. No VS Code: this is the harness to find where the time goes (run it with
// `node --cpu-prof out/bench/release-load.js`); bench/extension-load.ts measures the same
// release in the real editor.
// The proxy runs in a child process, so the client's event loop and CPU time are its own.
// Prints medians of 3 runs (`--runs N`) beside the network bound: requests × RTT ÷ requests in
// flight, the time the requests alone need at that parallelism, whatever the client does; and
// beside the baseline, the same code with the scheduling before this work (8 in flight, 4 images
// at once, first come first served; `--skip-baseline` leaves it out), the two taking turns.
// `--images N`, `--rtt MS`, `--inflight N` (requests in flight per registry), `--at-once N`
// (images at once) change the setting; `--keep DIR` seeds DIR once and reuses it afterwards;
// `--cache memory` leaves the persistent cache out, `--fifo` the images' priorities; `--profile FILE.cpuprofile` writes a CPU profile of the last run (open it in Chrome's DevTools).
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { DiskCache, MemoryCache } from '../src/registry/cache';
import { RegistryClient } from '../src/registry/client';
import { buildGraph } from '../src/registry/graph';
import { openReference } from '../src/registry/open';
import { atPriority } from '../src/registry/priority-source';
import { parseReference } from '../src/registry/reference';
import type { ContentSource } from '../src/registry/source';
import { ReleaseService } from '../src/releases/release-service';
import { shownVerdict } from '../src/releases/verdict';
import { verifyImage } from '../src/verify';
import { parsePolicyFile, policyForImage, trustRootFor } from '../src/verify/policy';
import type { TrustRoot } from '../src/verify/trust';
import { criticalPathDepth, startFaultProxy } from '../test/support/fault-proxy';
import { startRegistry } from '../test/support/registry';
import type { TestRegistry } from '../test/support/registry';
import { createMiniSigstore } from '../test/support/sigstore/mini-sigstore';
import { LOAD_POLICY, LOAD_TAG, seedLoadRelease } from '../tools/seed-load-release';

/** One request as the proxy saw it; times in ms since the epoch (the proxy is another process). */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly start: number;
  readonly end: number;
}

export interface ReleaseRun {
  readonly firstInspectedMs: number;
  readonly firstVerdictMs: number;
  /** When the 5th, 10th, ... verdict arrived: how steadily they come. */
  readonly verdictTimesMs: readonly number[];
  readonly completeMs: number;
  readonly verdicts: Readonly<Record<string, number>>;
  readonly requests: readonly SeenRequest[];
  /** Client CPU (user + system) over the run, ms. */
  readonly cpuMs: number;
  /** Longest the client's event loop was blocked, ms. */
  readonly maxBlockMs: number;
}

/** The extension's default for requests in flight per registry: package.json's, which users see. */
export function defaultInflight(): number {
  const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default?: unknown }> } | { properties: Record<string, { default?: unknown }> }[] };
  };
  const sections = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
  for (const s of sections) {
    const d = s.properties['provenanceLens.concurrency']?.default;
    if (typeof d === 'number') return d;
  }
  throw new Error('package.json has no default for provenanceLens.concurrency');
}

/** What a request is for, from its path: where the requests of an image go. */
export function requestKind(r: Pick<SeenRequest, 'method' | 'path'>): string {
  const path = r.path.split('?')[0]!;
  if (path === '/v2/') return 'ping';
  if (/\/tags\/list$/.test(path)) return 'tag list';
  if (/\/referrers\//.test(path)) return 'referrers API';
  if (/\/blobs\//.test(path)) return `blob ${r.method}`;
  const m = /\/manifests\/(.+)$/.exec(path);
  if (!m) return `other ${r.method}`;
  const ref = decodeURIComponent(m[1]!);
  if (/^sha256:/.test(ref)) return `manifest by digest ${r.method}`;
  if (/^sha256-[0-9a-f]{64}\.(sig|att|sbom)$/.test(ref)) return `cosign tag ${r.method}`;
  if (/^sha256-[0-9a-f]{64}$/.test(ref)) return `referrers tag ${r.method}`;
  return `image tag ${r.method}`;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** The `q` quantile (0..1) of `xs`, nearest rank. */
export const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
};

/** The time the requests alone take at `inflight` in parallel, each costing `rttMs`. */
export const networkBoundMs = (requests: number, rttMs: number, inflight: number): number => (requests * rttMs) / inflight;

// ---- the proxy, in its own process ----

interface ProxyReady {
  readonly host: string;
}
type ProxyAsk = { readonly kind: 'take' } | { readonly kind: 'close' };

async function serveProxy(upstream: string, delayMs: number): Promise<void> {
  const proxy = await startFaultProxy({ upstream: { url: upstream }, delayMs, otherHost: null });
  process.on('message', (m: ProxyAsk) => {
    void (async () => {
      if (m.kind === 'close') {
        await proxy.close();
        process.exit(0);
      }
      await proxy.settled();
      const origin = performance.timeOrigin;
      const records: SeenRequest[] = proxy.requests.map((r) => ({
        method: r.method,
        path: r.path,
        status: r.status,
        start: origin + r.start,
        end: origin + r.end,
      }));
      proxy.reset();
      process.send!({ kind: 'records', records });
    })();
  });
  process.send!({ host: proxy.host } satisfies ProxyReady);
}

interface ProxyChild {
  readonly host: string;
  /** The requests since the last take. */
  take(): Promise<SeenRequest[]>;
  close(): Promise<void>;
}

function startProxyChild(upstream: string, delayMs: number): Promise<ProxyChild> {
  const child: ChildProcess = fork(__filename, ['--serve-proxy', upstream, '--rtt', String(delayMs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolveReady, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the proxy process exited (${code})`)));
    child.once('message', (ready: ProxyReady) => {
      resolveReady({
        host: ready.host,
        take: () =>
          new Promise((r) => {
            child.once('message', (m: { records: SeenRequest[] }) => r(m.records));
            child.send({ kind: 'take' } satisfies ProxyAsk);
          }),
        close: () =>
          new Promise((r) => {
            child.removeAllListeners('exit');
            child.once('exit', () => r());
            child.send({ kind: 'close' } satisfies ProxyAsk);
          }),
      });
    });
  });
}

// ---- one run: the release service as the extension builds it ----

export interface RunSettings {
  readonly references: readonly string[];
  readonly trustedRoot: string;
  readonly inflight: number;
  /** Images at once; undefined: the service's default. */
  readonly atOnce?: number;
  /** `memory`: no persistent cache (what the disk costs, by difference). */
  readonly cache?: 'disk' | 'memory';
  /** Every request in arrival order, whatever its image (what priorities gain, by difference). */
  readonly fifo?: boolean;
  /** Read BuildKit's unsigned statements too, as the editor did before it left them unread (src/host/verifier.ts). */
  readonly readUnsignedStatements?: boolean;
}

/** `completed`: called as the last verdict arrives, before the cache writes and the cleanup (the profile stops there). */
export async function loadRelease(s: RunSettings, take: () => Promise<SeenRequest[]>, completed?: () => Promise<void>): Promise<ReleaseRun> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'pl-release-load-cache-'));
  const cache = s.cache === 'memory' ? new MemoryCache(64 * 1024 * 1024) : new DiskCache(cacheDir, { memoryBytes: 64 * 1024 * 1024 });
  const client = new RegistryClient({ limits: { concurrencyPerHost: s.inflight }, cache, userAgent: 'provenance-lens-bench' });
  const delay = monitorEventLoopDelay({ resolution: 5 });
  try {
    await take(); // nothing of an earlier run counts
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    delay.enable();
    const policyFile = parsePolicyFile(LOAD_POLICY, join(cacheDir, '.provenance-lens.yaml')).policy;
    if (!policyFile) throw new Error('the load policy does not parse');
    let root: Promise<TrustRoot> | undefined;
    const open = (reference: string) => openReference(parseReference(reference), client);
    const at = (source: ContentSource, priority: number): ContentSource => (s.fifo ? source : atPriority(source, priority));
    const service = new ReleaseService({
      inspect: (reference, signal, priority) => {
        const { source, target } = open(reference);
        return buildGraph(at(source, priority), target, { signal });
      },
      verify: async (graph, signal, priority) => {
        const policy = policyForImage(policyFile, graph.reference);
        root ??= trustRootFor(policy, s.trustedRoot);
        return verifyImage(at(open(graph.reference).source, priority), graph, {
          policy,
          trustRoot: await root,
          signal,
          readUnsignedStatements: s.readUnsignedStatements ?? false,
        });
      },
      ...(s.atOnce !== undefined ? { concurrency: s.atOnce } : {}),
    });
    const times = { inspected: NaN, verdicts: [] as number[] };
    service.onDidChange((e) => {
      if (e.kind !== 'image') return;
      const load = service.peek(e.reference);
      if (load.status !== 'loaded') return;
      if (Number.isNaN(times.inspected)) times.inspected = performance.now() - started;
      if (!load.verifying) times.verdicts.push(performance.now() - started);
    });
    const settled = (): boolean =>
      s.references.every((r) => {
        const load = service.peek(r);
        return load.status === 'failed' || (load.status === 'loaded' && !load.verifying);
      });
    const all = new Promise<void>((resolveAll) => service.onDidChange(() => settled() && resolveAll()));
    service.setReleases([
      { id: 'goreleaser:bench', origin: 'goreleaser', name: 'load', tag: LOAD_TAG, images: s.references.map((reference) => ({ reference })) },
    ]);
    // The tree draws every image row of the expanded release: each asks for its state, and
    // nobody waits on one in particular (ensure() would put it first).
    for (const r of s.references) service.state(r);
    await all;
    const loads = s.references.map((r) => service.peek(r));
    const completeMs = performance.now() - started;
    delay.disable();
    const cpu = process.cpuUsage(cpu0);
    await completed?.();
    const verdicts: Record<string, number> = {};
    for (const l of loads) {
      const state =
        l.status === 'loaded'
          ? l.verificationFailure
            ? `verification failed (${l.verificationFailure.code})`
            : shownVerdict(l.graph, l.verification).state
          : l.status === 'failed'
            ? `unreadable (${l.failure.code})`
            : l.status;
      verdicts[state] = (verdicts[state] ?? 0) + 1;
    }
    service.dispose();
    const sorted = [...times.verdicts].sort((a, b) => a - b);
    return {
      firstInspectedMs: times.inspected,
      firstVerdictMs: sorted[0] ?? NaN,
      verdictTimesMs: sorted.filter((_, i) => (i + 1) % 5 === 0),
      completeMs,
      verdicts,
      requests: await take(),
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxBlockMs: delay.max / 1e6,
    };
  } finally {
    await client.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

// ---- the report ----

const ms = (n: number): string => (Number.isNaN(n) ? 'n/a' : `${Math.round(n).toLocaleString('en')} ms`);

/** One configuration's runs: the defaults, or the baseline. */
export interface Measured {
  readonly label: string;
  readonly runs: readonly ReleaseRun[];
  readonly inflight: number;
}

export function report(
  now: Measured,
  baseline: Measured | undefined,
  o: { images: number; rttMs: number; cache: string; loadBefore: readonly number[] },
): string {
  const med = (m: Measured, f: (r: ReleaseRun) => number): number => median(m.runs.map(f));
  const requests = (m: Measured): number => med(m, (r) => r.requests.length);
  const bound = (m: Measured): number => networkBoundMs(requests(m), o.rttMs, m.inflight);
  const complete = med(now, (r) => r.completeMs);
  const first = med(now, (r) => r.firstVerdictMs);
  const last = now.runs[now.runs.length - 1]!;
  const kinds = new Map<string, number>();
  for (const r of last.requests) kinds.set(requestKind(r), (kinds.get(requestKind(r)) ?? 0) + 1);
  const pass = (ok: boolean): string => (ok ? 'PASS' : 'MISS');
  const load = (l: readonly number[]): string => l.map((x) => x.toFixed(1)).join(' / ');
  const cols = (f: (m: Measured) => string): string => (baseline ? `${f(now)} | ${f(baseline)}` : f(now));
  const row = (figure: string, f: (m: Measured) => string, goal = '', verdict = ''): string => `| ${figure} | ${cols(f)} | ${goal} | ${verdict} |`;
  const perRun = (m: Measured): string =>
    `${m.label}: complete ${m.runs.map((r) => Math.round(r.completeMs)).join(', ')} ms; first verdict ${m.runs.map((r) => Math.round(r.firstVerdictMs)).join(', ')} ms`;
  return [
    '',
    `## The big release in process (ReleaseService, registry client, verifier; no editor)`,
    '',
    `${o.images} images × 4 platforms (tools/seed-load-release.ts), ${o.rttMs} ms added per request, ${o.cache === 'disk' ? 'a fresh persistent cache' : 'a memory cache only'}; ${now.label}${baseline ? `, beside the baseline: ${baseline.label}` : ''}. Medians of ${now.runs.length}, the configurations taking turns; ${cpus().length} CPUs; load average ${load(o.loadBefore)} before, ${load(loadavg())} after (1 / 5 / 15 min); Node ${process.versions.node}.`,
    '',
    `| figure | now |${baseline ? ' baseline |' : ''} goal | |`,
    `|---|---:|${baseline ? '---:|' : ''}---:|---|`,
    row('complete (every image verified under the policy)', (m) => ms(med(m, (r) => r.completeMs)), '≤ 3,000 ms', pass(complete <= 3000)),
    row('network bound: requests × RTT ÷ requests in flight', (m) => `${requests(m)} × ${o.rttMs} ÷ ${m.inflight} = ${ms(bound(m))}`),
    row('complete ÷ network bound', (m) => `${(med(m, (r) => r.completeMs) / bound(m)).toFixed(2)}×`),
    row('first verdict', (m) => ms(med(m, (r) => r.firstVerdictMs)), '≤ 1,000 ms', pass(first <= 1000)),
    row('first image inspected (graph, not yet verified)', (m) => ms(med(m, (r) => r.firstInspectedMs))),
    row('every 5th verdict at (last run)', (m) => `${m.runs[m.runs.length - 1]!.verdictTimesMs.map((t) => Math.round(t)).join(', ')} ms`),
    row('requests (per image)', (m) => `${requests(m)} (${(requests(m) / o.images).toFixed(1)})`),
    row('round trips on the critical path', (m) => String(med(m, (r) => criticalPathDepth(r.requests)))),
    // What a request took at the proxy, its added delay included: past the delay, the registry's
    // and the proxy's own time, which on a busy machine is mostly waiting for a CPU.
    row(
      'time per request at the proxy: median (90th percentile)',
      (m) =>
        `${ms(
          med(m, (r) =>
            quantile(
              r.requests.map((q) => q.end - q.start),
              0.5,
            ),
          ),
        )} (${ms(
          med(m, (r) =>
            quantile(
              r.requests.map((q) => q.end - q.start),
              0.9,
            ),
          ),
        )})`,
    ),
    row('the bound at that median: requests × median ÷ requests in flight', (m) =>
      ms(
        networkBoundMs(
          requests(m),
          med(m, (r) =>
            quantile(
              r.requests.map((q) => q.end - q.start),
              0.5,
            ),
          ),
          m.inflight,
        ),
      ),
    ),
    row('client CPU (user + system)', (m) => ms(med(m, (r) => r.cpuMs))),
    row("longest block of the client's event loop", (m) => ms(med(m, (r) => r.maxBlockMs))),
    row(
      'verdicts (last run)',
      (m) =>
        Object.entries(m.runs[m.runs.length - 1]!.verdicts)
          .map(([k, v]) => `${v} ${k}`)
          .join(', '),
      `${o.images} verified`,
      pass(last.verdicts.verified === o.images),
    ),
    '',
    `Requests by kind (now, last run): ${[...kinds]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    `Per run: ${[now, ...(baseline ? [baseline] : [])].map(perRun).join('; ')}.`,
    '',
  ].join('\n');
}

/** Starts V8's CPU profiler in this process; the function returned writes the `.cpuprofile`. */
async function startProfile(): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return async (file) => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    process.stderr.write(`CPU profile of the last run: ${file}\n`);
  };
}

interface Seeded {
  readonly references: readonly string[];
  readonly trustedRoot: string;
}

async function seeded(images: number, keep: string | undefined): Promise<{ registry: TestRegistry; release: Seeded; cleanup: () => void }> {
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'pl-release-load-'));
  const storageDir = join(dir, 'storage');
  const facts = join(dir, `release-${images}.json`);
  const reuse = keep !== undefined && existsSync(facts);
  if (!reuse) rmSync(storageDir, { recursive: true, force: true });
  mkdirSync(storageDir, { recursive: true });
  const registry = await startRegistry({ storageDir });
  const cleanup = (): void => {
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  };
  if (reuse) return { registry, release: JSON.parse(readFileSync(facts, 'utf8')) as Seeded, cleanup };
  const sigstore = await createMiniSigstore();
  try {
    const r = await seedLoadRelease(registry, sigstore, { images });
    const release: Seeded = { references: r.images.map((i) => i.repo), trustedRoot: await sigstore.writeTrustedRoot(dir) };
    writeFileSync(facts, JSON.stringify(release));
    process.stderr.write(`seeded ${images} images in ${r.seedMs} ms\n`);
    return { registry, release, cleanup };
  } finally {
    await sigstore.dispose();
  }
}

/** The scheduling before this benchmark's work: 8 requests in flight, 4 images at once, first come first served. */
export const BASELINE = { inflight: 8, atOnce: 4, fifo: true, readUnsignedStatements: true } as const;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      images: { type: 'string', default: '40' },
      runs: { type: 'string', default: '3' },
      rtt: { type: 'string', default: '25' },
      inflight: { type: 'string' },
      'at-once': { type: 'string' },
      keep: { type: 'string' },
      'serve-proxy': { type: 'string' },
      profile: { type: 'string' },
      cache: { type: 'string', default: 'disk' },
      fifo: { type: 'boolean', default: false },
      'skip-baseline': { type: 'boolean', default: false },
    },
  });
  const rttMs = Number(values.rtt);
  if (values['serve-proxy'] !== undefined) return serveProxy(values['serve-proxy'], rttMs);
  const loadBefore = loadavg();
  const images = Number(values.images);
  const inflight = values.inflight !== undefined ? Number(values.inflight) : defaultInflight();
  const atOnce = values['at-once'] !== undefined ? Number(values['at-once']) : undefined;
  if (values.cache !== 'disk' && values.cache !== 'memory') throw new Error(`--cache is disk or memory, not ${values.cache}`);
  const cache = values.cache;
  const { registry, release, cleanup } = await seeded(images, values.keep);
  const proxy = await startProxyChild(registry.url, rttMs);
  try {
    // Repositories were stored without a host: the proxy's port changes every run.
    const references = release.references.map((repo) => `${proxy.host}/${repo}:${LOAD_TAG}`);
    const settings: RunSettings = {
      references,
      trustedRoot: release.trustedRoot,
      inflight,
      cache,
      fifo: values.fifo,
      ...(atOnce !== undefined ? { atOnce } : {}),
    };
    const baseline: RunSettings | undefined = values['skip-baseline'] ? undefined : { references, trustedRoot: release.trustedRoot, cache, ...BASELINE };
    // One warm-up each (JIT, the registry's own caches), then the measured runs, taking turns.
    for (const s of [settings, baseline]) if (s) await loadRelease(s, proxy.take);
    const runs: ReleaseRun[] = [];
    const baseRuns: ReleaseRun[] = [];
    for (let i = 0; i < Number(values.runs); i++) {
      const profile = values.profile !== undefined && i === Number(values.runs) - 1 ? await startProfile() : undefined;
      runs.push(await loadRelease(settings, proxy.take, profile && (() => profile(values.profile!))));
      if (baseline) baseRuns.push(await loadRelease(baseline, proxy.take));
    }
    const label = `${inflight} requests in flight, ${atOnce ?? "the service's default number of"} images at once${values.fifo ? ', first come first served' : ", each image's requests at its turn"}`;
    process.stdout.write(
      report(
        { label, runs, inflight },
        baseline
          ? {
              label: `${BASELINE.inflight} in flight, ${BASELINE.atOnce} images at once, first come first served, BuildKit statements read`,
              runs: baseRuns,
              inflight: BASELINE.inflight,
            }
          : undefined,
        { images, rttMs, cache, loadBefore },
      ),
    );
  } finally {
    await proxy.close();
    await registry.stop();
    cleanup();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench/release-load: the run broke: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}

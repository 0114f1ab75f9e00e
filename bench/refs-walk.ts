// A 5,000-file workspace listing its image references, run by `npm run bench`. Two workspaces of
// the real Dockerfiles, compose files, Kubernetes manifests, kustomization, Helm values and chart
// template and workflows of test/fixtures/real, copied into service folders
// (tools/reference-workspace.ts): a repository of 5,000 files in all, each service's image files
// beside its sources, docs and a YAML config (the goal: listed in under 2 s), and the worst case,
// 5,000 files that all name images, each read and parsed. Listed by the editor's index
// (src/references/workspace-index.ts, what the "Workspace images" release is made from; in worker
// threads, as the editor runs it, and in one thread) and by `provenance-lens refs --json`.
// Baseline in the same run: the same walk reading every file and parsing none, i.e. the disk and
// the walk alone. Medians, the rows interleaved so that a change of load hits them alike; CPU
// time (every thread) beside wall time: on a shared machine the wall time is what the load leaves.
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { inOrder } from '../src/core/in-order';
import { walkFiles } from '../src/cli/refs-files';
import { runCli } from '../src/cli/run';
import { readText } from '../src/references/read-text';
import { WorkerReader } from '../src/references/worker-reader';
import { WorkspaceReferenceIndex } from '../src/references/workspace-index';
import { writeReferenceWorkspace } from '../tools/reference-workspace';

const FILES = 5000;
const RUNS = 5;
const WORST_RUNS = 3;
const GOAL_MS = 2000;
/** The index's worker, as tsc compiles it beside this file's output (out/bench -> out/src/references). */
const WORKER = join(__dirname, '..', 'src', 'references', 'index-worker.js');

interface Sample {
  wallMs: number;
  cpuMs: number;
  references: number;
}

interface Row {
  readonly label: string;
  readonly goal: boolean;
  readonly run: (root: string) => Promise<number>;
  readonly samples: Sample[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const i of items) out.push(i);
  return out;
}

/** The editor's path: every file found, read and parsed by the index in its worker threads; the count of references listed. */
async function index(root: string): Promise<number> {
  const reader = new WorkerReader(WORKER);
  try {
    const idx = new WorkspaceReferenceIndex({ reader });
    await idx.add(walkFiles(root));
    return idx.list().reduce((n, f) => n + f.references.length, 0);
  } finally {
    await reader.close();
  }
}

/** The same index in this thread alone (what the walk did before the workers). */
async function indexHere(root: string): Promise<number> {
  const idx = new WorkspaceReferenceIndex();
  await idx.add(walkFiles(root));
  return idx.list().reduce((n, f) => n + f.references.length, 0);
}

/** `provenance-lens refs --json <root>` in this process; the count of references printed. */
async function cli(root: string): Promise<number> {
  let out = '';
  const code = await runCli(['refs', '--json', '--no-git', root], {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: () => undefined },
    env: {},
  });
  if (code !== 0) throw new Error(`refs exited ${code}`);
  return (JSON.parse(out) as { files: { references: unknown[] }[] }).files.reduce((n, f) => n + f.references.length, 0);
}

/** The walk and the reads alone, in the same window: what no parser can go below. */
async function baseline(root: string): Promise<number> {
  const texts = await collect(inOrder(walkFiles(root), 32, readText));
  return texts.length > 0 ? 0 : -1;
}

interface Workload {
  readonly title: string;
  readonly ws: ReturnType<typeof writeReferenceWorkspace>;
  readonly runs: number;
  readonly rows: Row[];
}

function rowsFor(goal: boolean): Row[] {
  return [
    { label: 'baseline: walk and read every file, parse none', goal: false, run: baseline, samples: [] },
    {
      label: `editor index (Workspace images): walk, read, parse in ${Math.max(1, Math.min(4, availableParallelism()))} worker threads`,
      goal,
      run: index,
      samples: [],
    },
    { label: 'the same index in one thread', goal: false, run: indexHere, samples: [] },
    { label: '`refs --json` in process: walk, read, parse, print', goal: false, run: cli, samples: [] },
  ];
}

async function measure(w: Workload): Promise<void> {
  // One warm-up each (module loading, the page cache), then interleaved runs.
  for (const r of w.rows) await r.run(w.ws.root);
  for (let i = 0; i < w.runs; i++) {
    for (const r of w.rows) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const references = await r.run(w.ws.root);
      const wallMs = performance.now() - started;
      const used = process.cpuUsage(cpu);
      r.samples.push({ wallMs, cpuMs: (used.user + used.system) / 1000, references });
    }
  }
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'pl-bench-refs-'));
  const load = [loadavg()];
  try {
    const workloads: Workload[] = [
      {
        title: `a repository of ${FILES} files`,
        ws: writeReferenceWorkspace(join(work, 'repository'), FILES, { total: FILES }),
        runs: RUNS,
        rows: rowsFor(true),
      },
      {
        title: `the worst case: ${FILES} files that all name images`,
        ws: writeReferenceWorkspace(join(work, 'worst'), FILES),
        runs: WORST_RUNS,
        rows: rowsFor(false),
      },
    ];
    for (const w of workloads) await measure(w);
    load.push(loadavg());
    report(workloads, load);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function report(workloads: readonly Workload[], load: number[][]): void {
  const ms = (x: number): string => `${Math.round(x)} ms`;
  const med = (r: Row, k: keyof Sample): number => median(r.samples.map((s) => s[k]));
  const lines = [
    '',
    '## Workspace references benchmark',
    '',
    `Node ${process.versions.node}, ${cpus().length} CPUs; load average before ${load[0]!.map((x) => x.toFixed(2)).join(', ')}, after ${load[1]!.map((x) => x.toFixed(2)).join(', ')}.`,
  ];
  for (const w of workloads) {
    lines.push(
      '',
      `### ${w.title}`,
      '',
      `${w.ws.written} files (${(w.ws.bytes / 1e6).toFixed(1)} MB), ${w.ws.files} of them naming images; median of ${w.runs} runs after one warm-up.`,
      '',
      '| | references | wall time | CPU time | image files/s |',
      '|---|---:|---:|---:|---:|',
      ...w.rows.map(
        (r) =>
          `| ${r.label} | ${med(r, 'references') > 0 ? med(r, 'references') : '-'} | ${ms(med(r, 'wallMs'))} | ${ms(med(r, 'cpuMs'))} | ${Math.round(w.ws.files / (med(r, 'wallMs') / 1000))} |`,
      ),
      '',
      `Per run (wall ms): ${w.rows.map((r) => `${r.label.split(':')[0]} ${r.samples.map((x) => Math.round(x.wallMs)).join(', ')}`).join('; ')}`,
    );
  }
  const goals = workloads.flatMap((w) => w.rows.filter((r) => r.goal).map((r) => ({ w, r })));
  lines.push(
    '',
    '| target | measured | |',
    '|---|---:|---|',
    ...goals.map(
      ({ w, r }) =>
        `| ${w.title}, ${r.label.split(':')[0]}: listed in < ${GOAL_MS} ms | ${ms(med(r, 'wallMs'))} | ${med(r, 'wallMs') < GOAL_MS ? 'PASS' : 'MISS'} |`,
    ),
    '',
  );
  process.stdout.write(lines.join('\n'));
}

main().catch((e: unknown) => {
  process.stderr.write(`bench/refs-walk: the run broke: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});

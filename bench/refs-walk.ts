// A 5,000-file workspace listing its image references, run by `npm run bench`: the real
// Dockerfiles, compose files, Kubernetes manifests, kustomization, Helm values and chart template
// and workflows of test/fixtures/real copied into service folders until 5,000 files name images
// (tools/reference-workspace.ts; every one of them is read and parsed, the worst case for a
// walk), listed by the editor's index (src/references/workspace-index.ts, what the "Workspace
// images" release is made from) and by `provenance-lens refs --json`. Baseline in the same run:
// the same walk reading every file and parsing none, i.e. the disk and the walk alone. Median
// of RUNS, the rows interleaved so that a change of load hits them alike; CPU time beside wall time
// (on a shared machine the wall time is what the load leaves).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { inOrder } from '../src/core/in-order';
import { walkFiles } from '../src/cli/refs-files';
import { runCli } from '../src/cli/run';
import { WorkspaceReferenceIndex } from '../src/references/workspace-index';
import { writeReferenceWorkspace } from '../tools/reference-workspace';

const FILES = 5000;
const RUNS = 5;
const GOAL_MS = 2000;

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

/** The editor's path: every file found, read and parsed by the index; the count of references listed. */
async function index(root: string): Promise<number> {
  const idx = new WorkspaceReferenceIndex();
  await idx.add(walkFiles(root));
  return idx.list().reduce((n, f) => n + f.references.length, 0);
}

/** `provenance-lens refs --json <root>` in this process; the count of references printed. */
async function cli(root: string): Promise<number> {
  let out = '';
  const code = await runCli(['refs', '--json', '--no-git', root], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => undefined }, env: {} });
  if (code !== 0) throw new Error(`refs exited ${code}`);
  return (JSON.parse(out) as { files: { references: unknown[] }[] }).files.reduce((n, f) => n + f.references.length, 0);
}

/** The walk and the reads alone, in the same window: what no parser can go below. */
async function baseline(root: string): Promise<number> {
  const texts = await collect(inOrder(walkFiles(root), 32, (f) => readFile(f, 'utf8')));
  return texts.length > 0 ? 0 : -1;
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'pl-bench-refs-'));
  const load = [loadavg()];
  try {
    const ws = writeReferenceWorkspace(join(work, 'ws'), FILES);
    const rows: Row[] = [
      { label: 'baseline: walk and read every file, parse none', goal: false, run: baseline, samples: [] },
      { label: 'editor index (Workspace images): walk, read, parse', goal: true, run: index, samples: [] },
      { label: '`refs --json` in process: walk, read, parse, print', goal: true, run: cli, samples: [] },
    ];
    // One warm-up each (module loading, the page cache), then interleaved runs.
    for (const r of rows) await r.run(ws.root);
    for (let i = 0; i < RUNS; i++) {
      for (const r of rows) {
        const cpu = process.cpuUsage();
        const started = performance.now();
        const references = await r.run(ws.root);
        const wallMs = performance.now() - started;
        const used = process.cpuUsage(cpu);
        r.samples.push({ wallMs, cpuMs: (used.user + used.system) / 1000, references });
      }
    }
    load.push(loadavg());
    report(rows, ws, load);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function report(rows: Row[], ws: ReturnType<typeof writeReferenceWorkspace>, load: number[][]): void {
  const ms = (x: number): string => `${Math.round(x)} ms`;
  const med = (r: Row, k: keyof Sample): number => median(r.samples.map((s) => s[k]));
  const lines = [
    '',
    '## Workspace references benchmark',
    '',
    `${ws.files} files naming images (${ws.written} written with the .env and Chart.yaml files beside them, ${(ws.bytes / 1e6).toFixed(1)} MB), real files of test/fixtures/real in service folders;`,
    `median of ${RUNS} runs after one warm-up; Node ${process.versions.node}, ${cpus().length} CPUs; load average before ${load[0]!.map((x) => x.toFixed(2)).join(', ')}, after ${load[1]!.map((x) => x.toFixed(2)).join(', ')}.`,
    '',
    '| | references | wall time | CPU time | files/s |',
    '|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.label} | ${r.goal ? med(r, 'references') : '-'} | ${ms(med(r, 'wallMs'))} | ${ms(med(r, 'cpuMs'))} | ${Math.round(ws.files / (med(r, 'wallMs') / 1000))} |`),
    '',
    '| target | measured | |',
    '|---|---:|---|',
    ...rows.filter((r) => r.goal).map((r) => `| ${r.label}: < ${GOAL_MS} ms | ${ms(med(r, 'wallMs'))} | ${med(r, 'wallMs') < GOAL_MS ? 'PASS' : 'MISS'} |`),
    '',
    `Per run (wall ms): ${rows.map((r) => `${r.label.split(':')[0]} ${r.samples.map((s) => Math.round(s.wallMs)).join(', ')}`).join('; ')}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main().catch((e: unknown) => {
  process.stderr.write(`bench/refs-walk: the run broke: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});

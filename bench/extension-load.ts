// The extension under load, run by `npm run bench`: a 40-image, 4-platform
// release (tools/seed-load-release.ts: cosign tags, Sigstore-bundle referrers and BuildKit
// attestations on every image, one signing identity, one policy) in a real registry behind a
// loopback proxy adding 25 ms to every request (the inspect benchmark's simulated RTT), and the
// packaged extension in a real VS Code (code-server + Chromium) on a workspace whose
// .goreleaser.yaml lists the 40 images. From the click that opens the Releases view: time to the
// first tree node, to the first verdict and to the complete tree (40 verdicts under the policy,
// read from the release row's counts), each beside its goal and the network bound (the requests
// times the added delay over the requests in flight per registry: what the requests alone take at
// the extension's default parallelism); the extension host's resident memory (/proc/<pid>/status)
// before, at its peak and after; and, while the release is loading, how long a hover on a
// goreleaser image reference and the "Show Version" command take to answer.
// Prints a markdown table; a slow figure is a figure. test/e2e/load.test.ts asserts sane bounds.
// bench/release-load.ts loads the same release in process, without the editor, to find where the time goes.
import { mkdirSync, readFileSync, readdirSync, rmSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, CDPSession, Locator, Page } from 'playwright-core';
import {
  hoverUntil,
  launchBrowser,
  openWorkbench,
  notification,
  openPalette,
  quickInput,
  quickPickRow,
  runCommand,
  screenshot,
  viewPane,
} from '../test/e2e/support/browser';
import { extensionLog, startCodeServer } from '../test/e2e/support/code-server';
import { hotspots, startHostProfiler } from '../test/e2e/support/host-profiler';
import type { CpuProfile, HostProfiler } from '../test/e2e/support/host-profiler';
import type { CodeServer } from '../test/e2e/support/code-server';
import { startFaultProxy } from '../test/support/fault-proxy';
import { cpuByRole, cpuSnapshot } from '../test/support/process-cpu';
import type { CpuShare, ProcessInfo } from '../test/support/process-cpu';
import type { FaultProxy } from '../test/support/fault-proxy';
import { startRegistry } from '../test/support/registry';
import type { TestRegistry } from '../test/support/registry';
import { createMiniSigstore } from '../test/support/sigstore/mini-sigstore';
import type { MiniSigstore } from '../test/support/sigstore/mini-sigstore';
import { until } from '../test/support/until';
import { LOAD_PROJECT, LOAD_TAG, loadEditorSettings, makeLoadWorkspace, repoName, seedLoadRelease } from '../tools/seed-load-release';
import { defaultInflight, networkBoundMs } from './release-load';

export interface LoadFigures {
  readonly images: number;
  readonly platforms: number;
  readonly rttMs: number;
  readonly seedMs: number;
  /** From the click on the view's icon. */
  readonly firstNodeMs: number;
  readonly firstVerdictMs: number;
  readonly completeMs: number;
  /** The release row's counts when complete, e.g. `{ verified: 40 }`. */
  readonly verdicts: Readonly<Record<string, number>>;
  /**
   * `latencyMs` from the mouse move that got the answer; `totalMs` from the first try, which is
   * longer when a mouse move was lost on a busy machine and the mouse came back (`attempts` > 1).
   */
  readonly hover?: {
    readonly latencyMs: number;
    readonly totalMs: number;
    readonly attempts: number;
    readonly whileLoading: boolean;
    readonly settledBefore: number;
    readonly answer: string;
  };
  readonly command?: { readonly latencyMs: number; readonly whileLoading: boolean; readonly settledBefore: number };
  /** Extension host resident memory, MB. */
  readonly memory: { readonly beforeMb: number; readonly peakMb: number; readonly completeMb: number; readonly settledMb: number };
  readonly requests: number;
  /** Requests in flight per registry: the extension's default (package.json). */
  readonly inflight: number;
  readonly loadAverage: readonly number[];
  readonly cpus: number;
  /** With `profile`: the extension host's CPU from the click to the complete tree. */
  readonly profile?: CpuProfile;
  /** With `profile`: the workbench page's JavaScript over the same span. */
  readonly pageProfile?: CpuProfile;
  /** CPU time of every process on the machine from the click to the complete tree, by role. */
  readonly cpu: readonly CpuShare[];
  /** The same over 3 s before the click, the editor at rest. */
  readonly idleCpu: readonly CpuShare[];
  /** The workbench page's main thread over the same span (CDP Performance.getMetrics: seconds, counts). */
  readonly page: Readonly<Record<string, number>>;
  /** Each text the release row showed, ms from the click. */
  readonly rowTimeline: readonly { readonly ms: number; readonly text: string }[];
}

/** The goals of the big release, at 25 ms per request and the default settings. */
export const GOALS = { rttMs: 25, completeMs: 3000, firstVerdictMs: 1000 } as const;

/**
 * The same scenario before the scheduling work (commit 422e62b: 8 requests in flight, 4 images
 * at once, first come first served), measured on this 2-core machine on 2026-12-07 at a load
 * average of 5 to 9: a baseline that cannot run in the same run, since it is older code.
 */
export const BEFORE = { completeMs: 12_618, firstVerdictMs: 5_803, requests: 1084 } as const;

interface TreeState {
  readonly text: string;
  readonly loading: number;
  readonly unreadable: number;
  readonly counts: Record<string, number>;
}

// Policy verdicts; inspect-only states (signed, attestations only, ...) mean verification is still running.
const FINAL = new Set(['verified', 'unpinned', 'failed', 'unsigned', 'excepted', 'not checked']);

/** `v1.0.0 · 40 images · 12 verified · 28 loading` -> counts. */
function treeState(text: string): TreeState {
  const counts: Record<string, number> = {};
  let loading = 0;
  let unreadable = 0;
  for (const m of text.matchAll(/(\d+) ([a-z][a-z ]*[a-z])/g)) {
    const n = Number(m[1]);
    const what = m[2]!;
    if (what === 'images' || what === 'image') continue;
    if (what === 'loading') loading = n;
    else if (what === 'unreadable') unreadable = n;
    else counts[what] = (counts[what] ?? 0) + n;
  }
  return { text, loading, unreadable, counts };
}

const finalCount = (s: TreeState): number =>
  Object.entries(s.counts)
    .filter(([k]) => FINAL.has(k))
    .reduce((n, [, v]) => n + v, 0);

/** Resident set (VmRSS) of a process, MB; undefined once it is gone. */
function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The extension host of this code-server: a process whose environment names its results file and whose command line says extensionHost. */
function extensionHostPid(server: CodeServer): number | undefined {
  const marker = `=${server.hostResultsFile}\0`;
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const cmdline = readFileSync(`/proc/${e}/cmdline`, 'utf8');
      if (!/extensionHost/.test(cmdline)) continue;
      if (readFileSync(`/proc/${e}/environ`, 'utf8').includes(marker)) return Number(e);
    } catch {
      /* gone, or not ours */
    }
  }
  return undefined;
}

export interface LoadOptions {
  readonly images?: number;
  readonly rttMs?: number;
  /** Screenshot name prefix in test-artifacts/. */
  readonly artifact?: string;
  /** Samples the extension host's CPU from the click to the complete tree. */
  readonly profile?: boolean;
  /**
   * Default true: while the release loads, open the goreleaser file, hover an image and run a
   * command (latency under load). False: only watch the tree, so the load's figures count no
   * work of the bench's own in the workbench (opening an editor loads its grammar, tokenises...).
   */
  readonly interact?: boolean;
}

/** Seeds, starts, measures, stops. About two minutes on a busy machine. */
export async function measureExtensionLoad(o: LoadOptions = {}): Promise<LoadFigures> {
  const rttMs = o.rttMs ?? 25;
  let registry: TestRegistry | undefined;
  let sigstore: MiniSigstore | undefined;
  let proxy: FaultProxy | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let sampler: NodeJS.Timeout | undefined;
  let page: Page | undefined;
  const scratch = mkdtempSync(join(tmpdir(), 'pl-extension-load-'));
  try {
    [registry, sigstore] = await Promise.all([startRegistry(), createMiniSigstore()]);
    const release = await seedLoadRelease(registry, sigstore, { images: o.images ?? 40 });
    proxy = await startFaultProxy({ upstream: registry, delayMs: rttMs, otherHost: null });
    const trustedRoot = await sigstore.writeTrustedRoot(scratch);
    server = await startCodeServer({
      vsix: 'package',
      settings: loadEditorSettings(proxy.host, trustedRoot),
    });
    const workspace = makeLoadWorkspace(server, release);
    browser = await launchBrowser();
    page = await openWorkbench(browser, server.workbenchUrl(workspace), { viewport: { width: 1400, height: 1000 }, timeoutMs: 120_000 });
    page.setDefaultTimeout(60_000);

    // Activated (workspaceContains .goreleaser.yaml), nothing fetched yet: the baseline.
    await until('activation', 120_000, () => (/activated in/.test(extensionLog(server!)) ? true : undefined), 250);
    const pid = await until('the extension host process', 30_000, () => extensionHostPid(server!), 250);
    const idleBefore = cpuSnapshot();
    await new Promise((r) => setTimeout(r, 3000));
    // The editor at rest for those 3 s: what drawing an idle workbench costs on this machine.
    const idle = cpuByRole(idleBefore, cpuSnapshot(), (p) => processRole(p, pid), 'outside the bench');
    const beforeMb = rssMb(pid) ?? NaN;
    let peakMb = beforeMb;
    sampler = setInterval(() => {
      peakMb = Math.max(peakMb, rssMb(pid) ?? 0);
    }, 200);
    proxy.reset();
    const profiler: HostProfiler | undefined = o.profile ? await startHostProfiler(pid) : undefined;
    const cpuBefore = cpuSnapshot();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const pageBefore = await pageMetrics(cdp);
    if (o.profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }

    const rowPattern = `^\\s*${LOAD_PROJECT}\\s*${LOAD_TAG.replace(/\./g, '\\.')}`;
    const releaseRow = viewPane(page, 'Releases')
      .locator('.monaco-list-row', { hasText: new RegExp(rowPattern) })
      .first();
    await watchRow(page, rowPattern);
    const started = performance.now();
    const startedAt = Date.now();
    await page.locator('.part.activitybar .action-item a[aria-label^="Provenance Lens"]').click();
    const t = { firstNode: NaN, firstVerdict: NaN, complete: NaN };
    const rowTimeline: { ms: number; text: string }[] = [];
    let last: TreeState = treeState('');
    // The tree, watched on its own while the editor is used below.
    const watched = (async () => {
      await releaseRow.waitFor({ state: 'visible', timeout: 120_000 });
      t.firstNode = performance.now() - started;
      // The page records each text of the row as it changes (watchRow); asked four times a second,
      // the times are the page's own, not those of the asking.
      const settledOf = (s: TreeState): number => finalCount(s) + s.unreadable;
      const done = (s: TreeState): boolean => s.loading === 0 && settledOf(s) === release.images.length;
      const seen = await until(
        'the complete tree',
        600_000,
        async () => {
          const texts = await rowTexts(page!);
          const latest = texts.at(-1);
          if (latest) last = treeState(latest.text);
          return latest && done(last) ? texts : undefined;
        },
        250,
      );
      const at = (pick: (s: TreeState) => boolean): number => {
        const hit = seen.find((x) => pick(treeState(x.text)));
        return hit ? hit.at - startedAt : NaN;
      };
      t.firstVerdict = at((s) => settledOf(s) > 0);
      t.complete = at(done);
      rowTimeline.push(...seen.map((x) => ({ ms: x.at - startedAt, text: x.text })));
    })();
    // Awaited below; a failure meanwhile must not go unhandled.
    watched.catch(() => undefined);

    // While it loads: a hover on the last image's reference in the goreleaser file, and a command.
    const useWhileLoading = async (page: Page): Promise<Pick<LoadFigures, 'hover' | 'command'>> => {
      // While it loads: a hover on the last image's reference in the goreleaser file...
      await releaseRow.waitFor({ state: 'visible', timeout: 120_000 });
      await runCommand(page, 'Go to File...');
      await quickInput(page).fill('.goreleaser.yaml');
      await quickPickRow(page, '.goreleaser.yaml').first().click();
      const lastRepo = repoName(release.images.length - 1);
      await runCommand(page, 'Go to Line/Column...');
      // Entry i (from 0) starts on line 4 + 4i; its images line follows.
      await quickInput(page).fill(`:${5 + 4 * (release.images.length - 1)}`);
      await page.keyboard.press('Enter');
      const target: Locator = page.locator('.monaco-editor .view-line', { hasText: lastRepo }).first().locator('span', { hasText: lastRepo }).last();
      await target.waitFor({ state: 'visible' });
      const settledBefore = finalCount(last);
      const hoverStart = performance.now();
      // Our answer, not the editor's "Loading..." placeholder.
      const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content', { hasText: 'Template:' }).first();
      // The provider answers within HOVER_WAIT_MS (1.5 s) plus the hover delay: a try that shows
      // nothing by 3 s is lost (waiting 8 s made the figure one taken after the load).
      const hovered = await hoverUntil(page, target, hover, { perTryMs: 3_000, timeoutMs: 40_000 });
      const hoverMs = performance.now() - hoverStart;
      const answer = hovered.text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .join(' | ')
        .slice(0, 400);
      const hoverWhileLoading = Number.isNaN(t.complete);
      await page.mouse.move(5, 500);

      // ... and a command.
      await openPalette(page);
      await quickInput(page).fill('>Provenance Lens: Show Version');
      const rowOfCommand = quickPickRow(page, 'Provenance Lens: Show Version').first();
      await rowOfCommand.waitFor({ state: 'visible' });
      const commandSettledBefore = finalCount(last);
      const commandStart = performance.now();
      await rowOfCommand.click();
      await notification(page, /Provenance Lens \d+\.\d+\.\d+ \(VS Code/)
        .first()
        .waitFor({ state: 'visible', timeout: 30_000 });
      const commandMs = performance.now() - commandStart;
      const commandWhileLoading = Number.isNaN(t.complete);
      return {
        hover: { latencyMs: hovered.answeredMs, totalMs: hoverMs, attempts: hovered.attempts, whileLoading: hoverWhileLoading, settledBefore, answer },
        command: { latencyMs: commandMs, whileLoading: commandWhileLoading, settledBefore: commandSettledBefore },
      };
    };
    const used = o.interact === false ? {} : await useWhileLoading(page);

    await watched;
    const cpu = cpuByRole(cpuBefore, cpuSnapshot(), (p) => processRole(p, pid), 'outside the bench');
    const pageAfter = await pageMetrics(cdp);
    const pageProfile = o.profile ? ((await cdp.send('Profiler.stop')) as { profile: CpuProfile }).profile : undefined;
    const pageWork = Object.fromEntries(Object.entries(pageAfter).map(([k, v]) => [k, v - (pageBefore[k] ?? 0)]));
    const profile = await profiler?.stop();
    profiler?.close();
    const completeMb = rssMb(pid) ?? NaN;
    if (o.artifact) await screenshot(page, `${o.artifact}-complete`);
    await new Promise((r) => setTimeout(r, 5000));
    const settledMb = rssMb(pid) ?? NaN;
    clearInterval(sampler);
    await proxy.settled();
    return {
      images: release.images.length,
      platforms: release.platforms.length,
      rttMs,
      seedMs: release.seedMs,
      firstNodeMs: t.firstNode,
      firstVerdictMs: t.firstVerdict,
      completeMs: t.complete,
      verdicts: last.counts,
      ...used,
      memory: { beforeMb, peakMb, completeMb, settledMb },
      requests: proxy.requests.length,
      inflight: defaultInflight(),
      loadAverage: loadavg(),
      cpus: cpus().length,
      cpu,
      rowTimeline,
      idleCpu: idle,
      page: pageWork,
      ...(profile ? { profile } : {}),
      ...(pageProfile ? { pageProfile } : {}),
    };
  } catch (e) {
    if (page) await screenshot(page, `${o.artifact ?? 'extension-load'}-failed`).catch(() => undefined);
    throw e;
  } finally {
    if (sampler) clearInterval(sampler);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await proxy?.close();
    await registry?.stop();
    await sigstore?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Records, inside the page, each text the release row shows and when (Date.now(), the bench's
 * clock too): a MutationObserver reads the rows' textContent (no layout), where polling from
 * Playwright ran its selector engine over the page ten times a second, a cost of its own on the
 * renderer being measured.
 */
async function watchRow(page: Page, pattern: string): Promise<void> {
  // A string: the page's code, compiled there (this project's types have no DOM).
  await page.evaluate(`(() => {
    const row = new RegExp(${JSON.stringify(pattern)});
    const seen = (window.releaseRowTexts = []);
    const read = () => {
      for (const el of document.querySelectorAll('.part.sidebar .monaco-list-row')) {
        const text = el.textContent ?? '';
        if (!row.test(text)) continue;
        if (seen.at(-1)?.text !== text) seen.push({ at: Date.now(), text });
        return;
      }
    };
    new MutationObserver(read).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
}

async function rowTexts(page: Page): Promise<{ at: number; text: string }[]> {
  return page.evaluate<{ at: number; text: string }[]>('window.releaseRowTexts');
}

/** The page's main-thread counters that say how much it drew and ran (https://chromedevtools.github.io/devtools-protocol/tot/Performance/). */
async function pageMetrics(cdp: CDPSession): Promise<Record<string, number>> {
  const wanted = new Set(['TaskDuration', 'ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration', 'LayoutCount', 'RecalcStyleCount']);
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return Object.fromEntries(metrics.filter((m) => wanted.has(m.name)).map((m) => [m.name, m.value]));
}

/** Who a process is, for the CPU table: the editor's parts, the release's servers, or work outside the bench. */
function processRole(p: ProcessInfo, extensionHost: number): string {
  if (p.pid === extensionHost) return 'extension host';
  if (p.pid === process.pid) return 'bench process (Playwright, the 25 ms proxy)';
  if (/docker-registry/.test(p.cmdline)) return 'registry (docker-registry)';
  if (/chrom/i.test(p.name) || /chromium|chrome/.test(p.cmdline)) {
    // The page's renderer draws and runs the workbench; the GPU process rasterises (in software here).
    const type = /--type=([a-z-]+)/.exec(p.cmdline)?.[1] ?? 'browser';
    return `Chromium ${type}`;
  }
  if (/code-server|vscode/.test(p.cmdline)) return 'code-server (server, file watcher, pty host)';
  return 'other processes of the bench';
}

/** The hover and the command run while loading, when the run used the editor. */
function usedRows(f: LoadFigures): [string, string][] {
  const rows: [string, string][] = [];
  if (f.hover)
    rows.push([
      `hover on the last image's reference${f.hover.whileLoading ? ', while loading' : ' (after loading!)'} (${f.hover.settledBefore}/${f.images} settled; hover delay 100 ms included)`,
      `${ms(f.hover.latencyMs)}${f.hover.attempts > 1 ? ` (${f.hover.attempts} tries, ${ms(f.hover.totalMs)} from the first: a mouse move was lost)` : ''}`,
    ]);
  if (f.command)
    rows.push([
      `"Show Version" from the palette${f.command.whileLoading ? ', while loading' : ' (after loading!)'} (${f.command.settledBefore}/${f.images} settled)`,
      ms(f.command.latencyMs),
    ]);
  return rows;
}

const ms = (n: number): string => (Number.isNaN(n) ? 'n/a' : `${Math.round(n).toLocaleString('en')} ms`);
const mb = (n: number): string => `${n.toFixed(0)} MB`;

/** The figures as a markdown table. */
export function figuresTable(f: LoadFigures): string {
  const verdicts = Object.entries(f.verdicts)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  const bound = networkBoundMs(f.requests, f.rttMs, f.inflight);
  // The goals are for 25 ms per request; at another delay (the e2e test's 60 ms) only the figure.
  const pass = (ok: boolean): string => (f.rttMs !== GOALS.rttMs ? `the goal is for ${GOALS.rttMs} ms per request` : ok ? 'PASS' : 'MISS');
  const rows: [string, string][] = [
    [
      'release',
      `${f.images} images × ${f.platforms} platforms; cosign .sig/.att, Sigstore-bundle referrers, BuildKit attestations on each; ${f.rttMs} ms added per request`,
    ],
    ['seeding the registry (tools/seed-load-release.ts)', ms(f.seedMs)],
    ['first tree node (the release row), from opening the view', ms(f.firstNodeMs)],
    [
      `first verdict (goal ≤ ${ms(GOALS.firstVerdictMs)}; before: ${ms(BEFORE.firstVerdictMs)})`,
      `${ms(f.firstVerdictMs)} — ${pass(f.firstVerdictMs <= GOALS.firstVerdictMs)}`,
    ],
    [
      `complete tree (${f.images} verdicts under the policy; goal ≤ ${ms(GOALS.completeMs)}; before: ${ms(BEFORE.completeMs)})`,
      `${ms(f.completeMs)} (${verdicts}) — ${pass(f.completeMs <= GOALS.completeMs)}`,
    ],
    [
      `network bound: ${f.requests} requests × ${f.rttMs} ms ÷ ${f.inflight} in flight`,
      `${ms(bound)}; the complete tree took ${(f.completeMs / bound).toFixed(2)}× that`,
    ],
    [`registry requests (before: ${BEFORE.requests})`, `${f.requests} (${(f.requests / f.images).toFixed(1)} per image)`],
    [
      'extension host RSS: before (activated, idle) → peak → at completion → 5 s later',
      `${mb(f.memory.beforeMb)} → ${mb(f.memory.peakMb)} → ${mb(f.memory.completeMb)} → ${mb(f.memory.settledMb)}`,
    ],
    [
      'extension host RSS growth (peak − before; settled − before)',
      `${mb(f.memory.peakMb - f.memory.beforeMb)}; ${mb(f.memory.settledMb - f.memory.beforeMb)}`,
    ],
    ...usedRows(f),
    [
      'CPU time from the click to the complete tree, by process',
      f.cpu
        .filter((c) => c.cpuMs >= 10)
        .map((c) => `${c.role} ${ms(c.cpuMs)}`)
        .join('; '),
    ],
    [
      'CPU time over 3 s before the click (the editor at rest), by process',
      f.idleCpu
        .filter((c) => c.cpuMs >= 10)
        .map((c) => `${c.role} ${ms(c.cpuMs)}`)
        .join('; '),
    ],
    [
      "the workbench page's main thread over the same span",
      `busy ${ms((f.page.TaskDuration ?? 0) * 1000)} (script ${ms((f.page.ScriptDuration ?? 0) * 1000)}, layout ${ms((f.page.LayoutDuration ?? 0) * 1000)} in ${f.page.LayoutCount ?? 0} layouts, style ${ms((f.page.RecalcStyleDuration ?? 0) * 1000)})`,
    ],
    ['machine', `${f.cpus} CPUs, load average ${f.loadAverage.map((x) => x.toFixed(1)).join(' / ')} (1 / 5 / 15 min) at the end`],
  ];
  return ['| figure | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

async function main(): Promise<void> {
  // PROFILE=1: where the time goes, as files for DevTools and a text summary (the first run).
  const profile = process.env.PROFILE === '1';
  // First the tree alone, what the goals are about; then the same load while the editor is used.
  const runs: [string, LoadOptions][] = [
    ['The tree alone (nothing else done in the workbench while it loads)', { artifact: 'bench-extension-load', profile, interact: false }],
    ['The same load while the editor is used (the goreleaser file opened, a hover, a command)', { artifact: 'bench-extension-load-used' }],
  ];
  for (const [title, options] of runs) {
    const before = loadavg();
    const figures = await measureExtensionLoad(options);
    console.log(`\n### ${title}\n\nload average at the start: ${before.map((x) => x.toFixed(1)).join(' / ')}`);
    console.log(figuresTable(figures));
    if (figures.hover) console.log(`hover answered: ${figures.hover.answer}`);
    // The release row's texts as they were drawn: where a slow load spent its time.
    for (const r of figures.rowTimeline) console.log(`${String(Math.round(r.ms)).padStart(6)} ms  ${r.text.trim()}`);
    printProfiles(figures);
  }
}

function printProfiles(figures: LoadFigures): void {
  const profiles: [string, CpuProfile | undefined][] = [
    ['extension host', figures.profile],
    ['workbench page', figures.pageProfile],
  ];
  for (const [what, p] of profiles) {
    if (!p) continue;
    const file = join('test-artifacts', `extension-load-${what.replace(/ /g, '-')}.cpuprofile`);
    mkdirSync('test-artifacts', { recursive: true });
    writeFileSync(file, JSON.stringify(p));
    const h = hotspots(p);
    console.log(`\n${what} CPU profile (${file}), ${Math.round(h.totalMs)} ms sampled; self time by place, then by function:`);
    for (const x of h.byPlace) console.log(`${x.selfMs.toFixed(0).padStart(7)} ms  ${x.name}`);
    console.log('');
    for (const x of h.byFunction) console.log(`${x.selfMs.toFixed(0).padStart(7)} ms  ${x.name}`);
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.stack : String(e));
    process.exitCode = 1;
  });
}

// A CPU profile of a running extension host, for finding where the editor's time goes
// (bench/extension-load.ts with PROFILE=1). code-server refuses VS Code's --inspect-extensions,
// so the inspector is opened the way Node documents for a running process: SIGUSR1 starts it on
// 127.0.0.1:9229 (https://nodejs.org/en/learn/getting-started/debugging#enable-inspector), and
// the Chrome DevTools Protocol's Profiler domain takes the samples
// (https://chromedevtools.github.io/devtools-protocol/v8/Profiler/). The profile file opens in
// Chrome DevTools or VS Code; `hotspots` sums it up in text for the bench's output.
import { WebSocket } from 'undici';

const INSPECTOR_PORT = 9229;

/** A V8 CPU profile as the Profiler domain returns it (the fields read here). */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly children?: readonly number[];
  }[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface HostProfiler {
  /** Stops sampling and returns the profile. */
  stop(): Promise<CpuProfile>;
  close(): void;
}

async function inspectorUrl(deadline: number): Promise<string> {
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json/list`);
      const targets = (await r.json()) as { webSocketDebuggerUrl?: string }[];
      const url = targets[0]?.webSocketDebuggerUrl;
      if (url) return url;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no inspector on 127.0.0.1:${INSPECTOR_PORT} after SIGUSR1 (is the port taken?)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Opens the inspector of process `pid` and starts sampling every `intervalUs` microseconds. */
export async function startHostProfiler(pid: number, intervalUs = 500): Promise<HostProfiler> {
  process.kill(pid, 'SIGUSR1');
  const ws = new WebSocket(await inspectorUrl(Date.now() + 10_000));
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error('could not connect to the extension host inspector')), { once: true });
  });
  let next = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  ws.addEventListener('message', (e) => {
    const m = JSON.parse(String(e.data)) as { id?: number; result?: unknown; error?: { message: string } };
    if (m.id === undefined) return;
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error) p?.reject(new Error(m.error.message));
    else p?.resolve(m.result);
  });
  const send = (method: string, params: Record<string, unknown> = {}): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: intervalUs });
  await send('Profiler.start');
  return {
    async stop() {
      const r = (await send('Profiler.stop')) as { profile: CpuProfile };
      return r.profile;
    },
    close: () => ws.close(),
  };
}

export interface Hotspot {
  readonly name: string;
  readonly selfMs: number;
}

/** Where a node's code lives, short: the package under node_modules, else the file's name. */
function place(url: string): string {
  if (!url) return '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  return url.split('/').pop() ?? url;
}

/** Self time summed by function (`name place:line`) and by place, most first. */
export function hotspots(p: CpuProfile, top = 25): { byFunction: Hotspot[]; byPlace: Hotspot[]; totalMs: number } {
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  for (const n of p.nodes) {
    const us = self.get(n.id) ?? 0;
    if (!us) continue;
    const f = n.callFrame;
    const where = place(f.url);
    const key = `${f.functionName || '(anonymous)'} ${where}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    byPlace.set(where, (byPlace.get(where) ?? 0) + us);
  }
  const sorted = (m: Map<string, number>): Hotspot[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000 }));
  return { byFunction: sorted(byFunction), byPlace: sorted(byPlace), totalMs: (p.endTime - p.startTime) / 1000 };
}

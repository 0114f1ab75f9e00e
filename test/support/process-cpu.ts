// CPU time of every process on the machine between two moments, summed by role: on a 2-core
// machine the editor's figures depend on who else wants the cores (Chromium drawing, the
// registry, the bench's own proxy, work outside the bench). Read from /proc/<pid>/stat, fields
// utime and stime in clock ticks (https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html).
import { readFileSync, readdirSync } from 'node:fs';

/** Linux's USER_HZ: ticks per second in /proc/<pid>/stat (100 on every mainstream architecture). */
const TICKS_PER_SECOND = 100;

export interface ProcessInfo {
  readonly pid: number;
  /** The executable's name (`comm`), at most 15 characters. */
  readonly name: string;
  readonly cmdline: string;
  /** The parent's pid. */
  readonly ppid: number;
}

type Snapshot = Map<number, { readonly info: ProcessInfo; readonly ticks: number }>;

export function cpuSnapshot(): Snapshot {
  const out: Snapshot = new Map();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      // The name is in parentheses and may itself hold spaces or parentheses: split after the last ')'.
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      // Fields 14 and 15 of the man page (utime, stime); the slice starts at field 3.
      const ticks = Number(fields[11]) + Number(fields[12]);
      const cmdline = readFileSync(`/proc/${e}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      out.set(Number(e), { info: { pid: Number(e), name, cmdline, ppid: Number(fields[1]) }, ticks });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

export interface CpuShare {
  readonly role: string;
  readonly cpuMs: number;
}

/** Whether `pid` is `ancestor` or descends from it, by the parents in `snapshot`. */
function descends(snapshot: Snapshot, pid: number, ancestor: number): boolean {
  for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 64; p = snapshot.get(p)?.info.ppid, hops++)
    if (p === ancestor) return true;
  return false;
}

/**
 * CPU time spent between the snapshots, by `role(process)`, most first (processes born meanwhile
 * count whole). Processes that do not descend from this one are `outside` (other work on the machine).
 */
export function cpuByRole(before: Snapshot, after: Snapshot, role: (p: ProcessInfo) => string, outside = 'outside this process tree'): CpuShare[] {
  const sums = new Map<string, number>();
  for (const [pid, now] of after) {
    const spent = now.ticks - (before.get(pid)?.ticks ?? 0);
    if (spent <= 0) continue;
    const r = descends(after, pid, process.pid) ? role(now.info) : outside;
    sums.set(r, (sums.get(r) ?? 0) + (spent * 1000) / TICKS_PER_SECOND);
  }
  return [...sums].map(([r, cpuMs]) => ({ role: r, cpuMs })).sort((a, b) => b.cpuMs - a.cpuMs);
}

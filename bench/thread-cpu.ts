/**
 * CPU time per thread of a command and every process it starts, read from /proc while it runs
 * (Linux only). On a 2-core machine the wall time of a CPU-bound run can be no less than its total
 * CPU over 2, and the threads say where that CPU goes: the PGlite lane, DuckDB's pool, the JIT.
 *
 * A thread's CPU is its last sample (every 20 ms), so a thread that ends between two samples loses
 * at most 20 ms; threads are grouped by name without their number ("Bun Pool 0" and "Bun Pool 1").
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";

export interface ThreadCpu {
  seconds: number;
  /** CPU seconds by thread name, user and system together, largest first. */
  byThread: { name: string; threads: number; cpu: number }[];
  total: number;
}

export function threadCpuAvailable(): boolean {
  return existsSync(`/proc/${process.pid}/task`);
}

const TICKS = Number(Bun.spawnSync(["getconf", "CLK_TCK"]).stdout.toString().trim()) || 100;

function read(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/** A process's threads; none once it has ended. */
function threadsOf(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
}

/** The process and its descendants, through each thread's list of children. */
function tree(root: number): number[] {
  const found: number[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    found.push(pid);
    for (const tid of threadsOf(pid)) {
      for (const child of (read(`/proc/${pid}/task/${tid}/children`) ?? "").split(" ")) if (child.trim()) pending.push(Number(child));
    }
  }
  return found;
}

function sample(root: number, last: Map<string, { name: string; cpu: number }>): void {
  for (const pid of tree(root)) {
    for (const tid of threadsOf(pid)) {
      const stat = read(`/proc/${pid}/task/${tid}/stat`);
      if (!stat) continue;
      // The name is in parentheses and may hold spaces; the fields after it are fixed.
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      last.set(`${pid}/${tid}`, { name, cpu: (Number(fields[11]) + Number(fields[12])) / TICKS });
    }
  }
}

export async function runWithThreadCpu(command: string[], env: Record<string, string | undefined>): Promise<ThreadCpu> {
  const last = new Map<string, { name: string; cpu: number }>();
  const started = performance.now();
  const child = Bun.spawn(command, { stdout: "ignore", stderr: "pipe", env });
  const timer = setInterval(() => sample(child.pid, last), 20);
  const stderr = new Response(child.stderr).text();
  const code = await child.exited;
  clearInterval(timer);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`command failed: ${(await stderr).slice(-500)}`);
  const groups = new Map<string, { threads: number; cpu: number }>();
  for (const { name, cpu } of last.values()) {
    const key = name.replace(/\s*\d+$/, "");
    const group = groups.get(key) ?? { threads: 0, cpu: 0 };
    group.threads++;
    group.cpu += cpu;
    groups.set(key, group);
  }
  const byThread = [...groups].map(([name, g]) => ({ name, ...g })).sort((a, b) => b.cpu - a.cpu || a.name.localeCompare(b.name));
  return { seconds, byThread, total: byThread.reduce((n, g) => n + g.cpu, 0) };
}

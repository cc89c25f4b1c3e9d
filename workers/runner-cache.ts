import type { Domain } from "../core/domain/domain.ts";
import { CaseRunner } from "./case-runner.ts";
import { pgliteHost } from "./engines/pglite.ts";
import type { RunSpec } from "./run-spec.ts";

/**
 * What a CaseRunner's results depend on besides the case: runs with the same identity (the suites
 * of one domain on one backend, with the same options) can share a runner, its memo and its
 * witness reductions.
 */
export function runnerIdentity(spec: RunSpec): string {
  return JSON.stringify([spec.domain, spec.domainPath ?? null, spec.backend ?? null, spec.minimize, spec.reuse]);
}

/**
 * Open runners of one thread by identity. Runs that share lanes (`strata reproduce`) interleave
 * their batches, so a thread keeps a few engines open; the least recently used closes first.
 */
export class RunnerCache {
  private readonly runners = new Map<string, Promise<CaseRunner>>();
  /** The thread's runners run one case at a time, so their PGlite engines share one instance. */
  private readonly pglite = pgliteHost();

  constructor(private readonly kept = 4) {}

  /** The runner for `spec`, opened on first use; a runner that failed to open is not kept. */
  async get(spec: RunSpec, domain: Domain): Promise<CaseRunner> {
    const identity = runnerIdentity(spec);
    let runner = this.runners.get(identity);
    if (runner) {
      this.runners.delete(identity);
    } else {
      runner = CaseRunner.open(domain, spec.backend, spec.minimize, spec.reuse, this.pglite);
      if (this.runners.size >= this.kept) {
        const [oldest, evicted] = this.runners.entries().next().value!;
        this.runners.delete(oldest);
        await (await evicted.catch(() => null))?.close();
      }
    }
    this.runners.set(identity, runner);
    try {
      return await runner;
    } catch (error) {
      if (this.runners.get(identity) === runner) this.runners.delete(identity);
      throw error;
    }
  }

  async close(): Promise<void> {
    const open = [...this.runners.values()];
    this.runners.clear();
    this.pglite.retire();
    for (const runner of open) await (await runner.catch(() => null))?.close();
    await this.pglite.close();
  }
}

/**
 * Keeps a long run's memory flat. JavaScriptCore lets garbage pile up to several times the live
 * heap while allocation is fast (a million cases reached 4.7 GB with 0.7 GB live; each case
 * leaves tens of kilobytes of garbage), so a thread that has handled `every` cases since its last
 * check and is above `limitBytes` collects in full. A collection costs tens of milliseconds once
 * the suite is compact (see core/suites/task-list.ts). What a run computes never depends on when
 * this happens.
 */
export class MemoryGovernor {
  private since = 0;
  collections = 0;

  constructor(
    private readonly every = 2_000,
    private readonly limitBytes = 512 * 1024 * 1024,
  ) {}

  tick(cases = 1): void {
    this.since += cases;
    if (this.since < this.every) return;
    this.since = 0;
    if (process.memoryUsage.rss() < this.limitBytes) return;
    Bun.gc(true);
    this.collections++;
  }
}

/** One per thread: the main thread and each pool worker have their own heap. */
export const threadMemory = new MemoryGovernor();

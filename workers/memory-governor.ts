/**
 * Keeps a long run's memory flat. JavaScriptCore lets garbage pile up to several times the live
 * heap while allocation is fast (a million cases reached 4.7 GB with 0.7 GB live; each case
 * leaves tens of kilobytes of garbage, much of it outside the JS heap, in strings and buffers
 * that only a collection releases). A thread that has handled `every` cases since its last check
 * collects in full when the resident set grew by more than `growthBytes` since its last
 * collection. The baseline is relative, so two PGlite workers (about 1.2 GB together) do not
 * collect on every check. What a run computes never depends on when this happens.
 */
export class MemoryGovernor {
  private since = 0;
  private base: number;
  collections = 0;
  /** Cases counted so far: each case once, in the thread that holds its result's garbage. */
  counted = 0;

  constructor(
    private readonly every = 2_000,
    private readonly growthBytes = 64 * 1024 * 1024,
    private readonly size: () => number = () => process.memoryUsage.rss(),
  ) {
    this.base = size();
  }

  tick(cases = 1): void {
    this.counted += cases;
    this.since += cases;
    if (this.since < this.every) return;
    this.since = 0;
    if (this.size() - this.base < this.growthBytes) return;
    Bun.gc(true);
    this.base = this.size();
    this.collections++;
  }
}

/** One per thread: the main thread and each pool worker have their own heap. */
export const threadMemory = new MemoryGovernor();

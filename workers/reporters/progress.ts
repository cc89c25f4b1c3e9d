import type { RunEvent } from "../../core/model/events.ts";

type Stream = { isTTY?: boolean; write(s: string): unknown };

/** Cases done out of a total: one line on a terminal, periodic plain lines elsewhere, nothing when quiet. */
export function progressLine(stream: Stream, quiet: boolean) {
  let total = 0;
  let done = 0;
  let started = 0;
  // The first case always prints, so a run says it has begun.
  let lastPrint = Number.NEGATIVE_INFINITY;
  return {
    start(cases: number): void {
      total = cases;
      started = performance.now();
    },
    tick(): void {
      if (quiet) return;
      done++;
      const now = performance.now();
      if (now - lastPrint < (stream.isTTY ? 100 : 5000) && done !== total) return;
      lastPrint = now;
      const rate = done / Math.max((now - started) / 1000, 1e-3);
      const eta = (total - done) / Math.max(rate, 1e-3);
      const line = `${done}/${total} cases, ${rate.toFixed(0)} cases/s, eta ${eta.toFixed(1)}s`;
      stream.write(stream.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
    },
    end(): void {
      if (!quiet && stream.isTTY) stream.write("\n");
    },
  };
}

/** The progress of one run, from its event stream. */
export function progressReporter(stream: Stream, quiet: boolean) {
  const line = progressLine(stream, quiet);
  return (event: RunEvent): void => {
    if (event.type === "run_started") line.start(event.metadata.trace_count);
    else if (event.type === "case_finished") line.tick();
    else line.end();
  };
}

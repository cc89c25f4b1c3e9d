import type { RunEvent } from "../../core/model/events.ts";

/** One progress line on a terminal, periodic plain lines elsewhere, nothing when quiet. */
export function progressReporter(stream: { isTTY?: boolean; write(s: string): unknown }, quiet: boolean) {
  let total = 0;
  let done = 0;
  let started = 0;
  let lastPrint = 0;
  return (event: RunEvent): void => {
    if (quiet) return;
    if (event.type === "run_started") {
      total = event.metadata.trace_count;
      started = performance.now();
      return;
    }
    if (event.type === "case_finished") {
      done++;
      const now = performance.now();
      if (now - lastPrint < (stream.isTTY ? 100 : 5000) && done !== total) return;
      lastPrint = now;
      const rate = done / Math.max((now - started) / 1000, 1e-3);
      const eta = (total - done) / Math.max(rate, 1e-3);
      const line = `${done}/${total} cases, ${rate.toFixed(0)} cases/s, eta ${eta.toFixed(1)}s`;
      stream.write(stream.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
      return;
    }
    if (stream.isTTY) stream.write("\n");
  };
}

import { describe, expect, test } from "bun:test";
import { progressLine, progressReporter } from "./progress.ts";

function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (s: string) => writes.push(s) };
}

describe("progress", () => {
  test("elsewhere than a terminal: plain lines, the first and the last case always", () => {
    const out = sink(false);
    const line = progressLine(out, false);
    line.start(3);
    line.tick();
    line.tick();
    line.tick();
    line.end();
    expect(out.writes).toHaveLength(2);
    expect(out.writes[0]).toMatch(/^1\/3 cases, \d+ cases\/s, eta \d+\.\ds\n$/);
    expect(out.writes[1]).toMatch(/^3\/3 cases, \d+ cases\/s, eta 0\.0s\n$/);
  });

  test("on a terminal: one line rewritten in place, ended by a newline", () => {
    const out = sink(true);
    const report = progressReporter(out, false);
    report({ type: "run_started", metadata: { trace_count: 2 } } as Parameters<typeof report>[0]);
    report({ type: "case_finished" } as Parameters<typeof report>[0]);
    report({ type: "case_finished" } as Parameters<typeof report>[0]);
    report({ type: "run_finished" } as Parameters<typeof report>[0]);
    const CLEAR_TO_END = "\u001b[K";
    expect(out.writes[0]!.startsWith("\r1/2 cases, ")).toBe(true);
    expect(out.writes[0]!.endsWith(CLEAR_TO_END)).toBe(true);
    expect(out.writes.at(-2)!.startsWith("\r2/2 cases, ")).toBe(true);
    expect(out.writes.at(-2)!.endsWith(`eta 0.0s${CLEAR_TO_END}`)).toBe(true);
    expect(out.writes.at(-1)).toBe("\n");
  });

  test("--quiet prints nothing", () => {
    const out = sink(true);
    const line = progressLine(out, true);
    line.start(1);
    line.tick();
    line.end();
    expect(out.writes).toEqual([]);
  });
});

import { expect, test } from "bun:test";
import type { Trace } from "../core/model/trace.ts";
import { canonicalJson } from "../core/util/canonical-json.ts";
import { parseTrace, traceJson } from "./trace-json.ts";

test("a trace's JSON is canonical, and a parsed trace gives back the exact text it came from", () => {
  const trace = { task_id: "t", b: [2, 1], a: { z: 1, y: null } } as unknown as Trace;
  const json = traceJson(trace);
  expect(json).toBe(canonicalJson(trace));
  expect(json.indexOf('"a"')).toBeLessThan(json.indexOf('"b"'));
  const parsed = parseTrace(json);
  expect(parsed).toEqual(trace);
  expect(traceJson(parsed)).toBe(json);
});

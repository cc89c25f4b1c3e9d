import { describe, expect, test } from "bun:test";
import { benchflowDocument, renderBenchflow } from "./export-benchflow.ts";
import { flattenTrace, witnessSummary } from "./export-common.ts";
import { EXPORT_CONTEXT, exportTrace, exportTraces, xmlBalanced } from "./export-fixture.ts";
import { INSPECT_EPOCH, inspectEvalLog, pythonJson, renderInspectEvalLog, renderInspectJsonl } from "./export-inspect.ts";
import { InspectEvalLog } from "../model/inspect-eval-log.ts";
import { junitOutcome, renderJunit, xmlEscape } from "./export-junit.ts";

const count = (text: string, re: RegExp) => [...text.matchAll(re)].length;

describe("inspect eval log", () => {
  test("one sample per trace, scored C when the verdict matches, no clock", () => {
    const traces = exportTraces();
    const log = inspectEvalLog(traces, EXPORT_CONTEXT);
    expect(Object.keys(log).slice(0, 3)).toEqual(["version", "status", "eval"]);
    expect(log.version).toBe(2);
    expect(log.eval.created).toBe(INSPECT_EPOCH);
    expect(log.eval.dataset.samples).toBe(traces.length);
    expect(log.samples.map((s) => s.id)).toEqual(traces.map((t) => t.task_id));
    const values = log.samples.map((s) => s.scores.trace_contract.value);
    // survived_01 and fp_01 disagree with their expectations.
    expect(values).toEqual(["C", "C", "I", "I", "C", "C"]);
    expect(log.results.scores[0]!.metrics.accuracy.value).toBeCloseTo(4 / 6);
    expect(typeof log.samples[0]!.target).toBe("string");
    expect(renderInspectEvalLog(traces, EXPORT_CONTEXT)).toBe(renderInspectEvalLog(exportTraces(), EXPORT_CONTEXT));
  });

  test("the same bytes whatever the key order of the trace objects (schema order or the canonical JSON's sorted order)", () => {
    const reversed = (value: unknown): unknown =>
      Array.isArray(value) ? value.map(reversed) : value && typeof value === "object" ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)])) : value;
    const traces = exportTraces();
    const shuffled = traces.map((t) => reversed(t) as typeof t);
    expect(Object.keys(shuffled[0]!.semantic_ir)).not.toEqual(Object.keys(traces[0]!.semantic_ir));
    expect(renderInspectEvalLog(shuffled, EXPORT_CONTEXT)).toBe(renderInspectEvalLog(traces, EXPORT_CONTEXT));
    expect(renderInspectJsonl(shuffled)).toBe(renderInspectJsonl(traces));
    expect(renderBenchflow(shuffled)).toBe(renderBenchflow(traces));
    expect(renderJunit(shuffled, EXPORT_CONTEXT, new Map())).toBe(renderJunit(traces, EXPORT_CONTEXT, new Map()));
  });

  test("fits Inspect's EvalLog format, for every accounting status and for an empty run", () => {
    for (const traces of [exportTraces(), []]) {
      const parsed = InspectEvalLog.safeParse(JSON.parse(renderInspectEvalLog(traces, EXPORT_CONTEXT)));
      expect(parsed.error).toBeUndefined();
      expect(parsed.data?.samples).toHaveLength(traces.length);
    }
  });

  test("the format refuses what Inspect's models would, fields Inspect does not know, and times without an offset", () => {
    const log = () => JSON.parse(renderInspectEvalLog(exportTraces(), EXPORT_CONTEXT));
    const broken: Array<[string, (l: ReturnType<typeof log>) => void]> = [
      ["no creation time", (l) => delete l.eval.created],
      ["a creation time without a UTC offset", (l) => (l.eval.created = "1970-01-01T00:00:00")],
      ["no model", (l) => delete l.eval.model],
      ["no config", (l) => delete l.eval.config],
      ["a role Inspect has no message for", (l) => (l.samples[0].messages[0].role = "robot")],
      ["an epoch that is not an integer", (l) => (l.samples[0].epoch = 1.5)],
      ["a score without a value", (l) => delete l.samples[0].scores.trace_contract.value],
      ["an unknown sample field", (l) => (l.samples[0].witness = "w.json")],
      ["an unknown status", (l) => (l.status = "done")],
    ];
    for (const [why, breakIt] of broken) {
      const candidate = log();
      breakIt(candidate);
      expect({ why, accepted: InspectEvalLog.safeParse(candidate).success }).toEqual({ why, accepted: false });
    }
  });

  test("the JSONL adapter keeps the Python tool's record and separators", () => {
    const lines = renderInspectJsonl(exportTraces()).trimEnd().split("\n");
    expect(lines).toHaveLength(6);
    expect(lines[0]!.startsWith('{"id": "clean_01", "input": ')).toBe(true);
    const record = JSON.parse(lines[1]!);
    expect(record.metadata.adapter).toBe("policystrata.inspect.v1");
    expect(record.target).toEqual({ containment_layer: null, localized_surface: "database", witness_class: "over_permissive" });
    expect(pythonJson({ b: [1, "é"], a: null })).toBe('{"a": null, "b": [1, "\\u00e9"]}');
  });
});

describe("benchflow", () => {
  test("one task per trace with scenario, rollout and verifier", () => {
    const doc = benchflowDocument(exportTraces());
    expect(doc.version).toBe("policystrata.benchflow.adapter.v1");
    expect(doc.tasks).toHaveLength(6);
    expect(Object.keys(doc.tasks[0]!)).toEqual(["id", "scenario", "rollout", "verifier"]);
    expect(doc.tasks[0]!.rollout.db_result).toEqual({ actual_value: 100, blocked_by_database: false, intended_value: 100, rows: 1 });
    const text = renderBenchflow(exportTraces());
    expect(text.indexOf('"environment"')).toBeLessThan(text.indexOf('"tasks"'));
  });
});

describe("junit", () => {
  test("outcomes by accounting status", () => {
    expect(exportTraces().map(junitOutcome)).toEqual(["pass", "pass", "failure", "failure", "skipped", "error"]);
  });

  test("well-formed, escaped, counted and deterministic", () => {
    const xml = renderJunit(exportTraces(), EXPORT_CONTEXT);
    expect(xmlBalanced(xml)).toBe(true);
    expect(count(xml, /<testcase /g)).toBe(6);
    expect(count(xml, /<failure /g)).toBe(2);
    expect(count(xml, /<skipped /g)).toBe(1);
    expect(count(xml, /<error /g)).toBe(1);
    expect(xml).toContain('<testsuites name="strata" tests="6" failures="2" errors="1" skipped="1"');
    expect(xml).toContain('classname="test_domain.seeded" name="killed_01"');
    expect(xml).toContain('<skipped message="equivalent: no observable difference"/>');
    expect(xml).toContain("reason with &quot;quotes&quot; &amp; &lt;tags&gt;");
    expect(xml).not.toContain("\u0001");
    expect(xml).toBe(renderJunit(exportTraces(), EXPORT_CONTEXT));
  });

  test("a witness, when given, is what the failure summarizes", () => {
    const fp = exportTraces()[3]!;
    expect(witnessSummary(fp, undefined)).toEqual({ witness_class: "over_permissive", layer: "database", containment: null, obligation: "row_containment", reasons: ['reason with "quotes" & <tags>'] });
    const survived = exportTraces()[2]!;
    expect(witnessSummary(survived, undefined).witness_class).toBe("over_permissive");
  });

  test("escaping", () => {
    expect(xmlEscape(`a<b>&"c'\u0000`)).toBe("a&lt;b&gt;&amp;&quot;c&apos;");
    expect(xmlBalanced("<a><b></a></b>")).toBe(false);
  });
});

describe("parquet rows", () => {
  test("flattened columns", () => {
    const row = flattenTrace(exportTrace({ task_id: "x" }), 7, "{}");
    expect(row.ordinal).toBe(7);
    expect(row.compiled_sql).toContain("select");
    expect(row.canonical_allowed).toBe(true);
    expect(row.released).toBe(true);
    expect(row.cost_estimated).toBe(3);
  });
});

import type { InspectEvalLog } from "../model/inspect-eval-log.ts";
import { SemanticPlan } from "../model/plan.ts";
import { SurfaceVersions } from "../model/surfaces.ts";
import type { Trace } from "../model/trace.ts";
import { canonicalJson } from "../util/canonical-json.ts";
import { compiledSql, type ExportContext, expected, observed, released, verdictMatches } from "./export-common.ts";

/**
 * Inspect AI exports.
 *
 * `inspectEvalLog` writes an Inspect eval log in its JSON form (`EvalLog`, log format version 2:
 * version, status, eval, plan, results, stats, samples), so `inspect view` and
 * `inspect_ai.log.read_eval_log` can open a strata run. Each trace is one sample: input is the
 * request, target the expected verdict, the "assistant" output the detector's observed verdict, and
 * the score `trace_contract` is C when they match (Inspect's accuracy metric). No model is called,
 * so the model is `none/none` and usage is empty.
 *
 * It is deterministic: no clock, no random ids. `created` and the stats timestamps are the fixed
 * epoch, and the ids derive from the run's domain, suite and tool version.
 *
 * The shape is checked against `InspectEvalLog` (../model/inspect-eval-log.ts), our description of
 * Inspect's pydantic models with unknown fields refused, at compile time and in the tests. Inspect's
 * own reader (`inspect_ai.log.read_eval_log`) has not run on it here: PyPI is unreachable where this
 * was written, and no npm package ships the reader. A strict pydantic transcription of those models
 * accepted the logs of a full reproduction (docs/evidence.md). Re-check with `read_eval_log(path)`
 * before relying on it.
 *
 * `inspectJsonl` keeps the Python tool's adapter shape (`policystrata.inspect.v1`): one sorted-key
 * record per trace.
 */

export const INSPECT_EPOCH = "1970-01-01T00:00:00+00:00";
export const INSPECT_MODEL = "none/none";
export const INSPECT_SCORER = "policystrata_deterministic_trace_contract";
const SCORE_NAME = "trace_contract";

function label(context: ExportContext, traces: Trace[]): { domain: string; suite: string } {
  return { domain: context.domain ?? traces[0]?.domain ?? "unknown", suite: context.suite ?? "run" };
}

const PLAN_KEYS = Object.keys(SemanticPlan.shape);
const SURFACE_KEYS = Object.keys(SurfaceVersions.shape);

/**
 * A trace's object with its keys in the schema's order, whatever order the trace object has: the
 * log is written with JSON.stringify, and a trace read back through its schema and one parsed from
 * its canonical (sorted) JSON must give the same bytes.
 */
function inSchemaOrder<T extends object>(keys: readonly string[], value: T): T {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (key in value) out[key] = (value as Record<string, unknown>)[key];
  return out as T;
}

function sample(trace: Trace) {
  const target = canonicalJson(expected(trace));
  const answer = canonicalJson(observed(trace));
  const correct = verdictMatches(trace);
  return {
    id: trace.task_id,
    epoch: 1,
    input: trace.request,
    target,
    messages: [
      { role: "user" as const, content: trace.request, source: "input" as const },
      { role: "assistant" as const, content: answer, source: "generate" as const, model: INSPECT_MODEL },
    ],
    output: {
      model: INSPECT_MODEL,
      choices: [{ message: { role: "assistant" as const, content: answer, source: "generate" as const, model: INSPECT_MODEL }, stop_reason: "stop" as const }],
      completion: answer,
    },
    scores: {
      [SCORE_NAME]: {
        value: correct ? "C" : "I",
        answer,
        explanation: `${trace.accounting_status}: ${trace.accounting_reason}`,
        metadata: { accounting_status: trace.accounting_status, failed_obligation: trace.failed_obligation },
      },
    },
    metadata: {
      domain: trace.domain,
      principal: trace.principal,
      mutation: trace.mutation,
      policy_version: trace.policy_version,
      surface_versions: inSchemaOrder(SURFACE_KEYS, trace.surface_versions),
      semantic_ir: inSchemaOrder(PLAN_KEYS, trace.semantic_ir),
      compiled_sql: compiledSql(trace),
      accounting_status: trace.accounting_status,
      failed_obligation: trace.failed_obligation,
      release_allowed: released(trace),
      witness_path: trace.witness_path,
    },
    store: {},
    events: [],
    model_usage: {},
    attachments: {},
  };
}

/** The Inspect eval log object (write it with JSON.stringify: keys are in Inspect's own order). */
export function inspectEvalLog(traces: Trace[], context: ExportContext) {
  const { domain, suite } = label(context, traces);
  const id = `strata-${domain}-${suite}-${context.tool_version}`;
  const correct = traces.filter(verdictMatches).length;
  return {
    version: 2 as const,
    status: "success" as const,
    eval: {
      eval_id: id,
      run_id: id,
      created: INSPECT_EPOCH,
      task: `strata/${domain}/${suite}`,
      task_id: id,
      task_version: 0,
      task_attribs: {},
      task_args: {},
      solver: null,
      dataset: { name: `${domain}/${suite}`, location: null, samples: traces.length, sample_ids: traces.map((t) => t.task_id), shuffled: false },
      model: INSPECT_MODEL,
      model_args: {},
      config: {},
      revision: null,
      packages: { strata: context.tool_version },
      metadata: { adapter: "strata.inspect.v1", domain, suite, policy_version: context.policy_version, backend: context.backend, requires_llm_api_key: false },
    },
    plan: { name: "plan", steps: [{ solver: "strata_six_layer_stack", params: {} }], config: {} },
    results: {
      total_samples: traces.length,
      completed_samples: traces.length,
      scores: [
        {
          name: SCORE_NAME,
          scorer: INSPECT_SCORER,
          params: {},
          metrics: { accuracy: { name: "accuracy", value: traces.length === 0 ? 0 : correct / traces.length, params: {} } },
        },
      ],
    },
    stats: { started_at: INSPECT_EPOCH, completed_at: INSPECT_EPOCH, model_usage: {} },
    samples: traces.map(sample),
  } satisfies InspectEvalLog;
}

export function renderInspectEvalLog(traces: Trace[], context: ExportContext): string {
  return `${JSON.stringify(inspectEvalLog(traces, context), null, 2)}\n`;
}

/** The Python tool's JSONL adapter record. */
export function inspectJsonlRecord(trace: Trace) {
  return {
    id: trace.task_id,
    input: trace.request,
    target: expected(trace),
    metadata: {
      adapter: "policystrata.inspect.v1",
      domain: trace.domain,
      principal: trace.principal,
      mutation: trace.mutation,
      policy_version: trace.policy_version,
      surface_versions: trace.surface_versions,
      semantic_ir: trace.semantic_ir,
      compiled_sql: compiledSql(trace),
      observed: { ...observed(trace), release_allowed: released(trace) ?? false },
      scorer: INSPECT_SCORER,
    },
  };
}

/** Python's json.dumps(value, sort_keys=True): sorted keys, ", " and ": " separators, non-ASCII escaped. */
export function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`).join(", ")}}`;
  }
  if (typeof value === "string") return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return JSON.stringify(value);
}

export function renderInspectJsonl(traces: Trace[]): string {
  return traces.map((t) => `${pythonJson(inspectJsonlRecord(t))}\n`).join("");
}

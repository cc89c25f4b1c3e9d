import type { Trace } from "../model/trace.ts";
import { prettyJson } from "../util/canonical-json.ts";
import { compiledSql, dbResult, expected, observed, releaseDecision } from "./export-common.ts";

/** The BenchFlow adapter document, in the Python tool's shape (`policystrata.benchflow.adapter.v1`). */
export function benchflowDocument(traces: Trace[]) {
  return {
    version: "policystrata.benchflow.adapter.v1",
    environment: { name: "policystrata", kind: "deterministic_policy_regression", requires_llm_api_key: false, authorization_boundary: false },
    tasks: traces.map((trace) => ({
      id: trace.task_id,
      scenario: { domain: trace.domain, principal: trace.principal, request: trace.request, semantic_ir: trace.semantic_ir, surface_versions: trace.surface_versions },
      rollout: { compiled_sql: compiledSql(trace), db_result: dbResult(trace), release_decision: releaseDecision(trace) },
      verifier: { type: "policystrata_trace_contract", expected: expected(trace), observed: observed(trace) },
    })),
  };
}

/** Indented, keys sorted, like the Python tool's json.dumps(indent=2, sort_keys=True). */
export function renderBenchflow(traces: Trace[]): string {
  return prettyJson(benchflowDocument(traces));
}

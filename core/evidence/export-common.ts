import type { QueryResult } from "../model/observation.ts";
import type { Trace } from "../model/trace.ts";
import type { Witness } from "../model/witness.ts";

/** The formats `strata export` writes. */
export const EXPORT_FORMATS = ["inspect", "inspect-jsonl", "benchflow", "junit", "parquet"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The file extension each format is written with, e.g. by `strata reproduce` as exports/<format>.<ext>. */
export const EXPORT_EXTENSIONS: Readonly<Record<ExportFormat, string>> = {
  inspect: "json",
  "inspect-jsonl": "jsonl",
  benchflow: "json",
  junit: "xml",
  parquet: "parquet",
};

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** Where a run came from, as the exports label it. Every field is optional: a run may lack metadata.json. */
export interface ExportContext {
  domain: string | null;
  suite: string | null;
  policy_version: string | null;
  tool_version: string;
  backend: string | null;
}

/** The SQL the stack's compiler produced, or null when it refused or never ran. */
export function compiledSql(trace: Trace): string | null {
  const compiler = trace.observation?.compiler;
  return compiler && compiler.kind === "sql" ? compiler.sql : null;
}

export function canonicalAllowed(trace: Trace): boolean | null {
  return trace.canonical ? trace.canonical.decision.allowed : null;
}

export function released(trace: Trace): boolean | null {
  return trace.observation ? trace.observation.end_to_end.released : null;
}

function firstValue(result: QueryResult | null | undefined): unknown {
  if (result?.kind !== "rows") return null;
  const row = result.rows[0];
  if (!row) return null;
  return "value" in row ? row.value : (Object.values(row)[0] ?? null);
}

/** The database result in the Python tool's shape: what the session returned against what the canonical lowering would. */
export function dbResult(trace: Trace): { actual_value: unknown; blocked_by_database: boolean; intended_value: unknown; rows: number } {
  const session = trace.observation?.database.under_session ?? null;
  return {
    actual_value: firstValue(session),
    blocked_by_database: session?.kind === "error",
    intended_value: firstValue(trace.canonical?.result ?? null),
    rows: session?.kind === "rows" ? session.rows.length : 0,
  };
}

export function releaseDecision(trace: Trace): { allowed: boolean; reasons: string[] } {
  const end = trace.observation?.end_to_end;
  return { allowed: end?.released ?? false, reasons: end ? [...end.reasons] : [] };
}

export function expected(trace: Trace) {
  return { containment_layer: trace.expected_containment_layer, localized_surface: trace.expected_localized_surface, witness_class: trace.expected_witness_class };
}

export function observed(trace: Trace) {
  return { containment_layer: trace.containment_layer, localized_surface: trace.localized_surface, witness_class: trace.witness_class };
}

/** The detector's verdict matched what the case expected: the class, and for a drift also its first layer and containment. */
export function verdictMatches(trace: Trace): boolean {
  const e = expected(trace);
  const o = observed(trace);
  if (e.witness_class !== o.witness_class) return false;
  return e.witness_class === "clean" || (e.localized_surface === o.localized_surface && e.containment_layer === o.containment_layer);
}

/** A one-line account of a drift: from its minimized witness when there is one, else from the trace. */
export interface WitnessSummary {
  witness_class: string;
  layer: string | null;
  containment: string | null;
  obligation: string | null;
  reasons: string[];
}

export function witnessSummary(trace: Trace, witness: Witness | undefined): WitnessSummary {
  if (witness) {
    return {
      witness_class: witness.witness_class,
      layer: witness.localized_surface,
      containment: witness.containment_layer,
      obligation: witness.failed_obligation,
      reasons: witness.violations[0]?.reasons.slice(0, 3) ?? [],
    };
  }
  if (trace.witness_class !== "clean") {
    return {
      witness_class: trace.witness_class,
      layer: trace.localized_surface,
      containment: trace.containment_layer,
      obligation: trace.failed_obligation,
      reasons: trace.violations[0]?.reasons.slice(0, 3) ?? [],
    };
  }
  // A survivor: the detector saw nothing, so describe the drift the case was built to plant.
  return {
    witness_class: trace.expected_witness_class,
    layer: trace.expected_localized_surface,
    containment: trace.expected_containment_layer,
    obligation: null,
    reasons: [trace.accounting_reason],
  };
}

/** The flattened columns of one trace, as the parquet export stores them (plus the whole trace as JSON). */
export interface FlatTrace {
  ordinal: number;
  task_id: string;
  domain: string;
  mutation: string;
  principal: string;
  witness_class: string;
  expected_witness_class: string;
  localized_surface: string | null;
  containment_layer: string | null;
  failed_obligation: string | null;
  accounting_status: string;
  compiled_sql: string | null;
  canonical_allowed: boolean | null;
  released: boolean | null;
  cost_estimated: number;
  trace_json: string;
}

export const FLAT_TRACE_COLUMNS: ReadonlyArray<readonly [keyof FlatTrace, string]> = [
  ["ordinal", "INTEGER"],
  ["task_id", "VARCHAR"],
  ["domain", "VARCHAR"],
  ["mutation", "VARCHAR"],
  ["principal", "VARCHAR"],
  ["witness_class", "VARCHAR"],
  ["expected_witness_class", "VARCHAR"],
  ["localized_surface", "VARCHAR"],
  ["containment_layer", "VARCHAR"],
  ["failed_obligation", "VARCHAR"],
  ["accounting_status", "VARCHAR"],
  ["compiled_sql", "VARCHAR"],
  ["canonical_allowed", "BOOLEAN"],
  ["released", "BOOLEAN"],
  ["cost_estimated", "DOUBLE"],
  ["trace_json", "VARCHAR"],
];

export function flattenTrace(trace: Trace, ordinal: number, traceJson: string): FlatTrace {
  return {
    ordinal,
    task_id: trace.task_id,
    domain: trace.domain,
    mutation: trace.mutation,
    principal: trace.principal,
    witness_class: trace.witness_class,
    expected_witness_class: trace.expected_witness_class,
    localized_surface: trace.localized_surface,
    containment_layer: trace.containment_layer,
    failed_obligation: trace.failed_obligation,
    accounting_status: trace.accounting_status,
    compiled_sql: compiledSql(trace),
    canonical_allowed: canonicalAllowed(trace),
    released: released(trace),
    cost_estimated: trace.cost.estimated,
    trace_json: traceJson,
  };
}

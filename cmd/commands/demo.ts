import { join } from "node:path";
import type { QueryResult } from "../../core/model/observation.ts";
import type { Trace } from "../../core/model/trace.ts";
import { WITNESS_CLASSES } from "../../core/model/identifiers.ts";
import { executeRun } from "./run.ts";

function rows(result: QueryResult | null | undefined): string {
  if (!result) return "(not executed)";
  if (result.kind === "error") return `error: ${result.error}`;
  if (result.rows.length === 0) return "(no rows)";
  return result.rows.map((r) => Object.entries(r).map(([k, v]) => `${k}=${v}`).join(" ")).join("; ");
}

/** The worked example: a compiler that dropped the tenant predicate, if the suite has one. */
function example(killed: Trace[]): Trace | undefined {
  return killed.find((t) => t.mutation === "compiler_drops_tenant_predicate") ?? killed.find((t) => t.distinguishing !== null) ?? killed[0];
}

export async function demo(out: string, write: (line: string) => void): Promise<void> {
  const killed: Trace[] = [];
  // One worker: the demo is small, and a pool would spend more time booting than running.
  const { summary, out: dir } = await executeRun({ domain: "support_saas", suite: "seeded", out, quiet: true, workers: 1 }, (event) => {
    if (event.type === "case_finished" && event.trace.accounting_status === "killed" && killed.length < 64) killed.push(event.trace);
  });
  const classes = WITNESS_CLASSES.filter((c) => c !== "clean" && (summary.class_counts[c] ?? 0) > 0).map((c) => `${c}=${summary.class_counts[c]}`);
  write("strata demo");
  write("- Domain support_saas, seeded suite, executed on PGlite (real Postgres row-level security); no LLM, no API key");
  write(`- Ran ${summary.total} drifted cases through manifest, grammar, validator, compiler, database and release`);
  write(`- Killed ${summary.killed}, survived ${summary.survived}, equivalent ${summary.equivalent}, invalid ${summary.invalid} (kill rate ${summary.mutant_kill_rate})`);
  write(`- Drift classes found: ${classes.join(", ")}`);
  const t = example(killed);
  if (t?.observation) {
    const v = t.surface_versions;
    write("");
    write(`Worked example: ${t.task_id}`);
    write(`  Request: ${t.request}`);
    write(`  Principal: ${t.principal} (role ${t.observation.principal.role}, tenants ${t.observation.principal.tenant_ids.join(", ")})`);
    write(`  Version vector: manifest=${v.manifest}, grammar=${v.grammar}, validator=${v.validator}, compiler=${v.compiler}, database=${v.database}, release=${v.release}`);
    write(`  Canonical decision: ${t.canonical?.decision.allowed ? "allow" : `deny (${t.canonical?.decision.reasons.join("; ")})`}`);
    write(`  First violated layer: ${t.localized_surface} (${t.witness_class}), obligation ${t.failed_obligation}`);
    write(`  Why: ${t.violations[0]?.reasons[0] ?? ""}`);
    if (t.observation.compiler?.kind === "sql") write(`  Lowered SQL: ${t.observation.compiler.sql}`);
    write("  Distinguishing result before containment, from real rows:");
    write(`    canonical: ${rows(t.distinguishing?.canonical)}`);
    write(`    lowered:   ${rows(t.distinguishing?.before_containment)}`);
    write(`  Under the principal's session: ${rows(t.distinguishing?.under_session)}`);
    write(`  Containment: ${t.containment_layer ?? "none"}`);
    write(`  Release: ${t.observation.end_to_end.released ? "released" : `withheld at ${t.observation.end_to_end.stopped_at}`}`);
    if (t.witness_path) write(`  Witness: ${join(dir, t.witness_path)}`);
  }
  write("");
  write(`Wrote traces.jsonl, summary.json, metadata.json, timings.jsonl and ${summary.minimized_witness_count} minimized witnesses to ${dir}`);
  write(`Next: strata summarize ${out}`);
}

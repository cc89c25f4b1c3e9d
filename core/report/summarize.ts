import { WITNESS_CLASSES } from "../model/identifiers.ts";
import type { Summary } from "../model/summary.ts";
import type { Trace } from "../model/trace.ts";

const ratio = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 1e6) / 1e6);

/** Aggregates traces into summary.json; depends only on the traces, never on completion order. */
export function summarize(traces: Trace[]): Summary {
  const count = (status: Trace["accounting_status"]) => traces.filter((t) => t.accounting_status === status).length;
  const killed = count("killed");
  const survived = count("survived");
  const class_counts: Record<string, number> = {};
  for (const c of WITNESS_CLASSES) class_counts[c] = traces.filter((t) => t.witness_class === c).length;
  const containment_counts: Record<string, number> = {};
  for (const t of traces) if (t.containment_layer) containment_counts[t.containment_layer] = (containment_counts[t.containment_layer] ?? 0) + 1;
  const scored = traces.filter((t) => t.accounting_status !== "invalid" && t.accounting_status !== "equivalent");
  const killedTraces = traces.filter((t) => t.accounting_status === "killed");
  const by_operator: Summary["by_operator"] = {};
  for (const t of traces) {
    if (t.mutation === "none") continue;
    const tally = by_operator[t.mutation] ?? { cases: 0, killed: 0, survived: 0, equivalent: 0, invalid: 0 };
    by_operator[t.mutation] = tally;
    tally.cases++;
    if (t.accounting_status === "killed" || t.accounting_status === "survived" || t.accounting_status === "equivalent" || t.accounting_status === "invalid") {
      tally[t.accounting_status]++;
    }
  }
  return {
    total: traces.length,
    killed,
    survived,
    equivalent: count("equivalent"),
    invalid: count("invalid"),
    clean_controls: count("clean_control"),
    false_positives: count("false_positive"),
    mutant_kill_rate: ratio(killed, killed + survived),
    class_counts,
    containment_counts,
    localization_accuracy: ratio(killedTraces.filter((t) => t.localized_surface === t.expected_localized_surface).length, killedTraces.length),
    expected_class_accuracy: ratio(scored.filter((t) => t.witness_class === t.expected_witness_class).length, scored.length),
    minimized_witness_count: traces.filter((t) => t.witness_path !== null).length,
    by_operator,
    survivors: traces.filter((t) => t.accounting_status === "survived").map((t) => ({ task_id: t.task_id, mutation: t.mutation, reason: t.accounting_reason })),
    equivalents: traces.filter((t) => t.accounting_status === "equivalent").map((t) => ({ task_id: t.task_id, mutation: t.mutation })),
    invalid_cases: traces.filter((t) => t.accounting_status === "invalid").map((t) => ({ task_id: t.task_id, error: t.error ?? "" })),
    cost: {
      estimated: traces.reduce((s, t) => s + t.cost.estimated, 0),
      tokens: traces.reduce((s, t) => s + t.cost.tokens, 0),
      usd: traces.reduce((s, t) => s + t.cost.usd, 0),
    },
  };
}

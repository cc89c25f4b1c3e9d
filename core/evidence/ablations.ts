import { detect } from "../detect/detect.ts";
import { type CatchRow, catchRow, type EvidenceCase } from "./baselines.ts";

/**
 * Ablations: our detector re-run on each case's observation with one component switched off.
 * A component is a set of violation surfaces or obligations (see DetectorInput.disabled).
 */
export interface Ablation {
  name: string;
  /** What is switched off. */
  removes: string;
  disabled: ReadonlySet<string>;
}

/** In the Python tool's table order. */
export const ABLATIONS: readonly Ablation[] = [
  { name: "without_lineage", removes: "the lineage obligation (compiler source substitution, release sampling disclosure)", disabled: new Set(["lineage"]) },
  {
    name: "without_policy_version",
    removes: "nothing the detector reads: it judges against the canonical policy, never the trace's policy-version label, so no kill can be lost",
    disabled: new Set(),
  },
  { name: "without_release_policy", removes: "every release-surface check (authorization, cohort threshold, sampling disclosure)", disabled: new Set(["release"]) },
  {
    name: "without_independent_oracle",
    removes: "every check of a layer's allow/deny against the canonical oracle's decision (obligation authorization_decision)",
    disabled: new Set(["authorization_decision"]),
  },
  { name: "without_database_containment", removes: "the database containment probe vs canonical containment (surface database)", disabled: new Set(["database"]) },
  {
    name: "without_minimization",
    removes: "nothing in detection: minimization shrinks witnesses after a kill, so no kill can be lost",
    disabled: new Set(),
  },
  {
    name: "without_transition_obligations",
    removes: "the upstream capability, intent and validator checks (surfaces manifest, grammar, validator)",
    disabled: new Set(["manifest", "grammar", "validator"]),
  },
];

export interface AblationRow extends CatchRow {
  /** Kills the full detector makes on these cases that the ablated one does not. */
  lost: number;
}

function catches(input: EvidenceCase["input"], disabled?: ReadonlySet<string>): boolean {
  return input !== null && detect({ ...input, disabled }).witness_class !== "clean";
}

/** Each ablation's catch counts over the failing cases, plus the kills it loses against the full detector. */
export function evaluateAblations(cases: readonly EvidenceCase[], ablations: readonly Ablation[] = ABLATIONS): Record<string, AblationRow> {
  const failures = cases.filter((c) => c.failure);
  const full = failures.map((c) => catches(c.input));
  const table: Record<string, AblationRow> = {};
  for (const ablation of ablations) {
    // Nothing switched off is the full detector: its verdicts are already known.
    const ablated = ablation.disabled.size === 0 ? full : failures.map((c) => catches(c.input, ablation.disabled));
    const caught = ablated.filter(Boolean).length;
    const lost = full.filter((hit, i) => hit && !ablated[i]).length;
    table[ablation.name] = { ...catchRow(caught, failures.length), lost };
  }
  return table;
}

/** The full detector re-run on the failing cases: the reference row the ablations lose kills against. */
export function evaluateFullDetector(cases: readonly EvidenceCase[]): CatchRow {
  const failures = cases.filter((c) => c.failure);
  return catchRow(failures.filter((c) => catches(c.input)).length, failures.length);
}

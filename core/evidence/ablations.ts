import { detect } from "../detect/detect.ts";
import { type DetectorInput, isEnabled, type Violation } from "../detect/types.ts";
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

interface FullVerdict {
  input: EvidenceCase["input"];
  /** The full detector's violations; null for an invalid case, which is never caught. */
  violations: readonly Violation[] | null;
}

/**
 * Whether the detector with `disabled` switched off still catches the case. A full-detector
 * violation that survives the filter is also the ablated detector's (switching off only filters,
 * and adds back at most the compiler's result comparison, which a now-disabled structural
 * violation suppressed), so only cases that lose every violation are re-run. A test pins this
 * against re-running the detector for every ablation.
 */
function caughtBy({ input, violations }: FullVerdict, disabled?: ReadonlySet<string>): boolean {
  if (input === null || violations === null) return false;
  if (violations.some((v) => isEnabled({ disabled }, v))) return true;
  if (violations.length === 0 || !disabled || disabled.size === 0) return false;
  return detect({ ...input, disabled }).witness_class !== "clean";
}

/**
 * The full detector's and each ablation's catches over a set of cases. Counts over disjoint sets
 * of cases add up (addDetectorTallies), so each run's cases can be counted when that run is done.
 */
export interface DetectorTally {
  failures: number;
  /** Failures the full detector catches. */
  full: number;
  /** Per ablation, in the order counted: failures it catches, and kills of the full detector it loses. */
  caught: number[];
  lost: number[];
}

/** Whether the full detector catches one case, and each ablation. */
export interface DetectorVerdicts {
  full: boolean;
  ablated: boolean[];
}

function detectorVerdicts(input: EvidenceCase["input"], ablations: readonly Ablation[]): DetectorVerdicts {
  // The full detector once: every ablation starts from its violations.
  const verdict: FullVerdict = { input, violations: input === null ? null : detect(input).violations };
  return { full: caughtBy(verdict), ablated: ablations.map((ablation) => caughtBy(verdict, ablation.disabled)) };
}

/**
 * Counts the full detector's catches and each ablation's, from one detector pass per failing case.
 * Cases that share one input object are judged once: `judged` keeps each input's verdicts (pass
 * the same map to several calls only with the same ablations).
 */
export function tallyDetector(
  cases: readonly EvidenceCase[],
  ablations: readonly Ablation[] = ABLATIONS,
  judged: Map<DetectorInput, DetectorVerdicts> = new Map(),
): DetectorTally {
  const failures = cases.filter((c) => c.failure);
  const tally: DetectorTally = { failures: failures.length, full: 0, caught: ablations.map(() => 0), lost: ablations.map(() => 0) };
  for (const { input } of failures) {
    let verdicts = input === null ? undefined : judged.get(input);
    if (verdicts === undefined) {
      verdicts = detectorVerdicts(input, ablations);
      if (input !== null) judged.set(input, verdicts);
    }
    const { full, ablated } = verdicts;
    if (full) tally.full++;
    ablated.forEach((hit, a) => {
      if (hit) tally.caught[a]!++;
      if (full && !hit) tally.lost[a]!++;
    });
  }
  return tally;
}

/** The counts over the union of the (disjoint) case sets the tallies counted. */
export function addDetectorTallies(tallies: readonly DetectorTally[], ablations: readonly Ablation[] = ABLATIONS): DetectorTally {
  const sum = (of: (t: DetectorTally) => number) => tallies.reduce((n, t) => n + of(t), 0);
  return {
    failures: sum((t) => t.failures),
    full: sum((t) => t.full),
    caught: ablations.map((_, a) => sum((t) => t.caught[a]!)),
    lost: ablations.map((_, a) => sum((t) => t.lost[a]!)),
  };
}

/** The ablation table (keyed by name, in the order given) and the full detector's row. */
export function detectorRows(tally: DetectorTally, ablations: readonly Ablation[] = ABLATIONS): { ablations: Record<string, AblationRow>; fullDetector: CatchRow } {
  const table: Record<string, AblationRow> = {};
  ablations.forEach((ablation, a) => {
    table[ablation.name] = { ...catchRow(tally.caught[a]!, tally.failures), lost: tally.lost[a]! };
  });
  return { ablations: table, fullDetector: catchRow(tally.full, tally.failures) };
}

/** Each ablation's catch counts over the failing cases, plus the kills it loses against the full detector. */
export function evaluateAblations(cases: readonly EvidenceCase[], ablations: readonly Ablation[] = ABLATIONS): Record<string, AblationRow> {
  return detectorRows(tallyDetector(cases, ablations), ablations).ablations;
}

/** The full detector re-run on the failing cases: the reference row the ablations lose kills against. */
export function evaluateFullDetector(cases: readonly EvidenceCase[]): CatchRow {
  return detectorRows(tallyDetector(cases, []), []).fullDetector;
}

/** Both of the above from one detector pass, as `strata reproduce` writes them. */
export function evaluateAblationsAndFullDetector(
  cases: readonly EvidenceCase[],
  ablations: readonly Ablation[] = ABLATIONS,
): { ablations: Record<string, AblationRow>; fullDetector: CatchRow } {
  return detectorRows(tallyDetector(cases, ablations), ablations);
}

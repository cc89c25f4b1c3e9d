import type { DomainDatabase } from "../model/database.ts";
import type { Policy } from "../model/policy.ts";
import type { SqlFacts } from "../sql/analyze.ts";
import type { CanonicalView, CompilerOutcome, Detection, Observation, Violation } from "../model/observation.ts";


export interface DetectorInput {
  policy: Policy;
  db: DomainDatabase;
  observation: Observation;
  canonical: CanonicalView;
  /** SQL analysis; callers may pass a memoized `analyzeSql` (parsing dominates detection time). */
  analyze: (sql: string) => SqlFacts;
  /**
   * The canonical lowering of the proposed plan (reference compiler, budget aside), when the
   * caller already has it; otherwise the detector lowers the plan itself.
   */
  referenceLowering?: CompilerOutcome;
  /**
   * Components switched off, for ablations: a violation whose surface or obligation is named here
   * is dropped, and checks that defer to it behave as if it had never fired. Absent: all on.
   */
  disabled?: ReadonlySet<string>;
}

/** Whether a violation survives the input's disabled components. */
export function isEnabled(input: Pick<DetectorInput, "disabled">, violation: Violation): boolean {
  const off = input.disabled;
  return !off || !(off.has(violation.surface) || off.has(violation.obligation));
}

export type { CanonicalView, Detection, Violation };

import type { DomainDatabase } from "../model/database.ts";
import type { Policy } from "../model/policy.ts";
import type { SqlFacts } from "../sql/analyze.ts";
import type { CanonicalDecision, ContainmentProbe, Detection, Observation, QueryResult, Violation } from "../model/observation.ts";

/** What the canonical policy says about one case; computed without the stack under test. */
export interface CanonicalView {
  decision: CanonicalDecision;
  /** The canonical lowering executed on the unrestricted state. */
  result: QueryResult | null;
  /** What a correctly contained session of this principal can see. */
  containment: ContainmentProbe;
}

export interface DetectorInput {
  policy: Policy;
  db: DomainDatabase;
  observation: Observation;
  canonical: CanonicalView;
  /** SQL analysis; callers may pass a memoized `analyzeSql` (parsing dominates detection time). */
  analyze: (sql: string) => SqlFacts;
}

export type { Detection, Violation };

import type { DomainDatabase } from "../model/database.ts";
import type { Policy } from "../model/policy.ts";
import type { SqlFacts } from "../sql/analyze.ts";
import type { CanonicalView, Detection, Observation, Violation } from "../model/observation.ts";


export interface DetectorInput {
  policy: Policy;
  db: DomainDatabase;
  observation: Observation;
  canonical: CanonicalView;
  /** SQL analysis; callers may pass a memoized `analyzeSql` (parsing dominates detection time). */
  analyze: (sql: string) => SqlFacts;
}

export type { CanonicalView, Detection, Violation };

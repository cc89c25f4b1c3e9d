import type { DomainDatabase } from "../model/database.ts";
import type { Surface, WitnessClass } from "../model/identifiers.ts";
import type { Policy } from "../model/policy.ts";
import type { ContainmentProbe, Observation } from "../observe/observation.ts";
import type { QueryResult } from "../observe/rows.ts";
import type { CanonicalDecision } from "../oracle/authorize.ts";

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
}

/** One broken responsibility: which layer, which obligation, what kind of drift, and why. */
export interface Violation {
  surface: Surface;
  obligation: string;
  witness_class: Exclude<WitnessClass, "clean">;
  reasons: string[];
}

export interface Detection {
  witness_class: WitnessClass;
  localized_surface: Surface | null;
  containment_layer: Surface | null;
  failed_obligation: string | null;
  violations: Violation[];
}

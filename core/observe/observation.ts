import type { Principal } from "../model/policy.ts";
import type { SemanticPlan } from "../model/plan.ts";
import type { Surface } from "../model/identifiers.ts";
import type { CompilerOutcome } from "../stack/compiler.ts";
import type { GrammarOutcome, IntentSpace } from "../stack/grammar.ts";
import type { ManifestOutput } from "../stack/manifest.ts";
import type { ReleaseOutput } from "../stack/release.ts";
import type { ValidatorDecision } from "../stack/validator.ts";
import type { QueryResult, Row } from "./rows.ts";

/** What a session can see in each scoped table, and which columns it may read. */
export interface ContainmentProbe {
  visible_rows: Record<string, string[]>;
  visible_columns: Record<string, string[]>;
}

/**
 * Everything observed while one case ran through one stack: each layer probed on its own
 * declared input, plus the end-to-end path. It names no mutation: that is the point.
 */
export interface Observation {
  principal: Principal;
  proposed_plan: SemanticPlan;
  manifest: ManifestOutput;
  grammar: { intent_space: IntentSpace; outcome: GrammarOutcome };
  validator: ValidatorDecision;
  /** The compiler probed with the canonical obligations; null when the metric cannot be resolved. */
  compiler: CompilerOutcome | null;
  database: {
    probe: ContainmentProbe;
    /** The compiled SQL on the unrestricted state: what it would return without containment. */
    before_containment: QueryResult | null;
    /** The compiled SQL in the principal's session. */
    under_session: QueryResult | null;
  };
  release: ReleaseOutput | null;
  end_to_end: EndToEnd;
}

export interface EndToEnd {
  /** The layer that stopped the request, or null when a result was released. */
  stopped_at: Surface | null;
  released: boolean;
  rows: Row[];
  reasons: string[];
}

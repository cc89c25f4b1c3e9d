import type { DetectorInput } from "../detect/types.ts";
import type { Observation } from "../model/observation.ts";
import { authorize } from "../oracle/authorize.ts";
import { analyzeSql } from "../sql/analyze.ts";
import { compilePlan } from "../stack/compiler.ts";
import { REFERENCE_STACK } from "../stack/variant.ts";
import { plan, principal, testDatabase, testPolicy } from "../testing/fixtures.ts";

/**
 * A hand-built, fully clean case for the evidence unit tests: analyst_t1 asks for revenue, and
 * every layer does what the canonical policy says. Tests break one slice of it at a time.
 */
export function cleanCase(): DetectorInput {
  const policy = testPolicy();
  const db = testDatabase();
  const who = principal(policy, "analyst_t1");
  const proposed = plan({ metric: "revenue" });
  const decision = authorize(policy, who, proposed);
  if (!decision.allowed || !decision.obligations) throw new Error("fixture: the clean case must be allowed");
  const compiled = compilePlan({ policy, db, plan: proposed, obligations: decision.obligations }, REFERENCE_STACK.compiler);
  if (compiled.kind !== "sql") throw new Error("fixture: the clean case must compile");
  const rows = [{ value: 100 }];
  const containment = { visible_rows: { accounts: ["a1"] }, visible_columns: { accounts: ["id", "tenant_id"] } };
  const shown = { metrics: ["revenue"], dimensions: [], time_ranges: [proposed.time_range] };
  const observation: Observation = {
    principal: who,
    proposed_plan: proposed,
    manifest: shown,
    grammar: { intent_space: structuredClone(shown), outcome: { kind: "plan", plan: proposed } },
    validator: { allowed: true, reasons: [], obligations: structuredClone(decision.obligations) },
    compiler: compiled,
    database: { probe: structuredClone(containment), before_containment: { kind: "rows", rows: structuredClone(rows) }, under_session: { kind: "rows", rows: structuredClone(rows) } },
    release: { released: true, rows: structuredClone(rows), withheld_rows: 0, reasons: [], disclosures: [] },
    end_to_end: { stopped_at: null, released: true, rows: structuredClone(rows), reasons: [] },
  };
  return {
    policy,
    db,
    observation,
    canonical: { decision, result: { kind: "rows", rows }, containment },
    analyze: (sql) => analyzeSql(sql, db.dialect),
  };
}

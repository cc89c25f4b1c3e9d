import type { DomainDatabase } from "../model/database.ts";
import type { QueryResult, ReleaseOutput } from "../model/observation.ts";
import type { ReleaseKnobs } from "./variant.ts";

export interface ReleaseInput {
  authorized: boolean;
  result: QueryResult;
  /** Tables the compiler declared it read. */
  lineage: string[];
}

const withhold = (reason: string, withheld = 0): ReleaseOutput => ({
  released: false,
  rows: [],
  withheld_rows: withheld,
  reasons: [reason],
  disclosures: [],
});

/** Decides what of a database result reaches the user. */
export function releaseResult(db: DomainDatabase, input: ReleaseInput, knobs: ReleaseKnobs): ReleaseOutput {
  if (!input.authorized) return withhold("the request was not authorized");
  if (input.result.kind === "error") return withhold(`the database refused the query: ${input.result.error}`);
  let rows = input.result.rows;
  const reasons: string[] = [];
  const cohort = db.release.cohort;
  let withheld = 0;
  if (cohort !== undefined && knobs.enforceCohortThreshold) {
    const kept = rows.filter((row) => typeof row.cohort_size !== "number" || row.cohort_size >= cohort.min_size);
    withheld = rows.length - kept.length;
    if (withheld > 0) reasons.push(`${withheld} group(s) below the cohort threshold of ${cohort.min_size} withheld`);
    if (kept.length === 0 && rows.length > 0) return withhold(reasons[0]!, withheld);
    rows = kept;
  }
  const disclosures: string[] = [];
  if (knobs.discloseSampling) {
    for (const table of input.lineage) {
      const rate = db.release.sampled_tables[table];
      if (rate !== undefined) disclosures.push(`sampled: ${table} holds a ${Math.round(rate * 10000) / 100}% sample`);
    }
  }
  return { released: true, rows, withheld_rows: withheld, reasons, disclosures };
}

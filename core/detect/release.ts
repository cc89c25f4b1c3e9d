import type { DetectorInput, Violation } from "./types.ts";

/** The release layer against the canonical decision, the cohort threshold and sampling disclosure. */
export function releaseViolations({ db, observation, canonical, analyze }: DetectorInput): Violation[] {
  const violations: Violation[] = [];
  const release = observation.release;
  const e2e = observation.end_to_end;
  if ((release?.released || e2e.released) && !canonical.decision.allowed) {
    violations.push({
      surface: "release",
      obligation: "authorization_decision",
      witness_class: "unsafe_release",
      reasons: ["a result was released although the canonical policy denies the request", ...canonical.decision.reasons],
    });
  }
  if (!release?.released) return violations;
  const cohort = db.release.cohort;
  if (cohort) {
    const small = release.rows.filter((r) => typeof r.cohort_size === "number" && r.cohort_size < cohort.min_size);
    if (small.length > 0) {
      violations.push({
        surface: "release",
        obligation: "release_threshold",
        witness_class: "unsafe_release",
        reasons: [`released ${small.length} group(s) with fewer than ${cohort.min_size} subjects (sizes ${small.map((r) => r.cohort_size).join(", ")})`],
      });
    }
  }
  const compiled = observation.compiler?.kind === "sql" ? observation.compiler.sql : null;
  if (compiled) {
    const sampled = analyze(compiled).relations.map((r) => r.table).filter((t) => db.release.sampled_tables[t] !== undefined);
    const undisclosed = sampled.filter((t) => !release.disclosures.some((d) => d.includes(t)));
    if (undisclosed.length > 0) {
      violations.push({
        surface: "release",
        obligation: "lineage",
        witness_class: "unsafe_release",
        reasons: [`released a result read from sampled ${undisclosed.join(", ")} without disclosing the sampling`],
      });
    }
  }
  return violations;
}

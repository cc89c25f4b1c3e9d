import { describe, expect, test } from "bun:test";
import type { ContainmentProbe } from "../model/observation.ts";
import { databaseViolations } from "./database.ts";
import type { DetectorInput } from "./types.ts";

/** Only what databaseViolations reads: the session's probe, the canonical containment and the role. */
function input(seen: ContainmentProbe, allowed: ContainmentProbe): DetectorInput {
  return {
    observation: { database: { probe: seen }, principal: { role: "analyst" } },
    canonical: { containment: allowed },
  } as unknown as DetectorInput;
}

const probe = (rows: Record<string, string[]>, columns: Record<string, string[]> = { t: ["id"] }): ContainmentProbe => ({
  visible_rows: rows,
  visible_columns: columns,
});

describe("databaseViolations", () => {
  test("the same keys, in the same or another order, are no violation", () => {
    const allowed = probe({ t: ["a1", "a2"], u: [] });
    expect(databaseViolations(input(probe({ t: ["a1", "a2"], u: [] }), allowed))).toEqual([]);
    expect(databaseViolations(input(probe({ t: ["a2", "a1"], u: [] }), allowed))).toEqual([]);
    expect(databaseViolations(input(allowed, allowed))).toEqual([]);
  });

  test("a row outside the scope leaks; a row inside it that the session cannot see is over-restrictive", () => {
    const allowed = probe({ t: ["a1", "a2"] });
    const [leak] = databaseViolations(input(probe({ t: ["a1", "a2", "b1"] }), allowed));
    expect(leak).toMatchObject({ surface: "database", obligation: "row_access_result", witness_class: "over_permissive" });
    expect(leak!.reasons).toEqual(["session sees 1 row(s) of t outside its tenant scope: b1"]);
    const [hidden] = databaseViolations(input(probe({ t: ["a1"] }), allowed));
    expect(hidden).toMatchObject({ witness_class: "over_restrictive", reasons: ["session cannot see 1 row(s) of t inside its tenant scope: a2"] });
    // Same length, different keys: both at once.
    expect(databaseViolations(input(probe({ t: ["a1", "b1"] }), allowed)).map((v) => v.witness_class)).toEqual(["over_permissive", "over_restrictive"]);
  });

  test("columns are compared too, and an unchecked probe claims nothing", () => {
    const allowed = probe({ t: ["a1"] }, { t: ["id"] });
    const [columns] = databaseViolations(input(probe({ t: ["a1"] }, { t: ["id", "ssn"] }), allowed));
    expect(columns!.reasons).toEqual(["role analyst can read t.ssn, used only by capabilities it may not use"]);
    const unchecked = { ...probe({ t: ["a1", "b1"] }), unchecked: "no row policies" };
    expect(databaseViolations(input(unchecked, allowed))).toEqual([]);
  });
});

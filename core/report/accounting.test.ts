import { describe, expect, test } from "bun:test";
import type { Detection, Observation } from "../model/observation.ts";
import { plan, principal, testPolicy } from "../testing/fixtures.ts";
import { account, differingOutputs } from "./accounting.ts";

const clean: Detection = { witness_class: "clean", localized_surface: null, containment_layer: null, failed_obligation: null, violations: [] };
const overPermissive: Detection = {
  witness_class: "over_permissive",
  localized_surface: "validator",
  containment_layer: "database",
  failed_obligation: "sensitive_dimension",
  violations: [],
};

describe("account", () => {
  test("an execution error makes the case invalid, whatever else is true", () => {
    const expected = { status: "invalid", reason: "the case could not be executed: engine crashed" } as const;
    expect(account(true, overPermissive, ["compiler"], "engine crashed")).toEqual(expected);
    expect(account(false, clean, [], "engine crashed")).toEqual(expected);
  });

  test("a clean control without a witness", () => {
    expect(account(false, clean, [], null)).toEqual({ status: "clean_control", reason: "clean control produced no witness" });
  });

  test("a clean control with a witness is a false positive", () => {
    expect(account(false, overPermissive, [], null)).toEqual({
      status: "false_positive",
      reason: "clean control produced a over_permissive witness at validator",
    });
  });

  test("a drifted case with a witness is killed", () => {
    expect(account(true, overPermissive, [], null)).toEqual({
      status: "killed",
      reason: "drift produced a over_permissive witness at validator",
    });
  });

  test("a drifted case with no witness and no differing output is equivalent", () => {
    expect(account(true, clean, [], null)).toEqual({
      status: "equivalent",
      reason: "equivalent: every layer output and every result on the generated state equals the reference stack's",
    });
  });

  test("a drifted case with no witness but differing outputs survived, listing them", () => {
    expect(account(true, clean, ["compiler", "release"], null)).toEqual({
      status: "survived",
      reason: "outputs differ from the reference (compiler, release) but no obligation was violated",
    });
  });
});

function observation(): Observation {
  const policy = testPolicy();
  const proposed = plan({ metric: "revenue" });
  return {
    principal: principal(policy, "analyst_t1"),
    proposed_plan: proposed,
    manifest: { metrics: ["revenue"], dimensions: ["region"], time_ranges: ["last_month"] },
    grammar: {
      intent_space: { metrics: ["revenue"], dimensions: ["region"], time_ranges: ["last_month"] },
      outcome: { kind: "plan", plan: proposed },
    },
    validator: { allowed: true, reasons: [], obligations: null },
    compiler: { kind: "sql", sql: "select 1", estimated_cost: 21, lineage: ["accounts"] },
    database: {
      probe: { visible_rows: { accounts: ["a1"] }, visible_columns: { accounts: ["id"] } },
      before_containment: { kind: "rows", rows: [{ value: 1 }] },
      under_session: { kind: "rows", rows: [{ value: 1 }] },
    },
    release: { released: true, rows: [{ value: 1 }], withheld_rows: 0, reasons: [], disclosures: [] },
    end_to_end: { stopped_at: null, released: true, rows: [{ value: 1 }], reasons: [] },
  };
}

describe("differingOutputs", () => {
  test("identical observations differ nowhere", () => {
    expect(differingOutputs(observation(), observation())).toEqual([]);
  });

  test("reports each differing layer output by path, in layer order", () => {
    const drifted = observation();
    drifted.end_to_end.rows = [{ value: 2 }];
    drifted.compiler = { kind: "sql", sql: "select 2", estimated_cost: 21, lineage: ["accounts"] };
    drifted.database.under_session = { kind: "error", error: "denied" };
    drifted.manifest.metrics.push("sales");
    expect(differingOutputs(drifted, observation())).toEqual(["manifest", "compiler", "database.under_session", "end_to_end"]);
  });

  test("the database probe and before-containment result are separate outputs", () => {
    const drifted = observation();
    drifted.database.probe.visible_rows.accounts!.push("a2");
    drifted.database.before_containment = null;
    expect(differingOutputs(drifted, observation())).toEqual(["database.probe", "database.before_containment"]);
  });

  test("a null layer output differs from a present one", () => {
    const drifted = observation();
    drifted.compiler = null;
    drifted.release = null;
    expect(differingOutputs(drifted, observation())).toEqual(["compiler", "release"]);
  });

  test("fields outside the layer outputs (principal, proposed plan) are not compared", () => {
    const drifted = observation();
    drifted.principal = { ...drifted.principal, id: "someone_else" };
    drifted.proposed_plan = plan({ metric: "sales" });
    expect(differingOutputs(drifted, observation())).toEqual([]);
  });
});

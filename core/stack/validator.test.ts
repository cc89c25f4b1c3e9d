import { describe, expect, test } from "bun:test";
import { plan, principal, testPolicy } from "../testing/fixtures.ts";
import { validatePlan } from "./validator.ts";
import { REFERENCE_STACK } from "./variant.ts";

const policy = testPolicy();
const analyst = principal(policy, "analyst_t1");
const admin = principal(policy, "admin_t1t2");
const reference = REFERENCE_STACK.validator;
const skipping = { skipSensitiveDimensionCheck: true };

describe("validatePlan: obligations", () => {
  test("an allowed plan binds tenant scope, row budget, resolved metric and time range", () => {
    expect(validatePlan(policy, admin, plan({ metric: "bookings", time_range: "quarter_to_date" }), reference)).toEqual({
      allowed: true,
      reasons: [],
      obligations: {
        metric: "gross_revenue",
        tenant_scope: ["t1", "t2"],
        row_budget: { max_rows: 5000, max_cost: 400 },
        time_range: "quarter_to_date",
      },
    });
  });

  test("the bound tenant scope is a copy of the principal's", () => {
    const decision = validatePlan(policy, admin, plan({ metric: "revenue" }), reference);
    expect(decision.obligations?.tenant_scope).not.toBe(admin.tenant_ids);
  });

  test("obligations are bound even when the plan is denied", () => {
    const decision = validatePlan(policy, analyst, plan({ metric: "revenue", limit: 501 }), reference);
    expect(decision.allowed).toBe(false);
    expect(decision.obligations).toEqual({
      metric: "revenue",
      tenant_scope: ["t1"],
      row_budget: { max_rows: 500, max_cost: 30 },
      time_range: "last_month",
    });
  });

  test("cost is bound, not checked", () => {
    // revenue 20 + plan_tier 2 + region 3 + month 2 + tenant_id 1 + 5 = 33 > analyst max_cost 30
    const decision = validatePlan(
      policy,
      analyst,
      plan({ metric: "revenue", dimensions: ["plan_tier", "region", "month", "tenant_id"], limit: 500 }),
      reference,
    );
    expect(decision.allowed).toBe(true);
    expect(decision.obligations?.row_budget.max_cost).toBe(30);
  });

  test("an unresolvable metric is denied without obligations", () => {
    expect(validatePlan(policy, analyst, plan({ metric: "bogus" }), reference)).toEqual({
      allowed: false,
      reasons: ["cannot resolve metric bogus"],
      obligations: null,
    });
  });

  test("an unknown role is denied without obligations", () => {
    const ghost = { id: "g", role: "ghost", tenant_ids: ["t1"] };
    expect(validatePlan(policy, ghost, plan({ metric: "revenue" }), reference)).toEqual({
      allowed: false,
      reasons: ["cannot resolve metric revenue"],
      obligations: null,
    });
  });
});

describe("validatePlan: reasons", () => {
  test("an alias of a forbidden metric is denied under the resolved name", () => {
    expect(validatePlan(policy, analyst, plan({ metric: "bookings" }), reference).reasons).toEqual([
      "role analyst may not read metric gross_revenue",
    ]);
  });

  test("a metric whose policy excludes the role is denied", () => {
    expect(validatePlan(policy, analyst, plan({ metric: "refunds" }), reference).reasons).toEqual(["role analyst may not read metric refunds"]);
  });

  test("dimensions are denied by the role list or by the dimension's policy", () => {
    const decision = validatePlan(policy, analyst, plan({ metric: "revenue", dimensions: ["channel", "priority", "region"] }), reference);
    expect(decision.reasons).toEqual(["role analyst may not group or filter by channel", "role analyst may not group or filter by priority"]);
  });

  test("unknown dimensions and filters", () => {
    const decision = validatePlan(policy, admin, plan({ metric: "revenue", dimensions: ["nope"], filters: { zeta: 1 } }), reference);
    expect(decision.reasons).toEqual(["no such dimension nope", "no such dimension zeta"]);
  });

  test("every reason, in order: metric, dimensions, sorted filters, tenant, time, limit", () => {
    const decision = validatePlan(
      policy,
      analyst,
      plan({
        metric: "gross_sales",
        dimensions: ["email", "nope"],
        filters: { tenant_id: "t2", channel: "web" },
        time_range: "quarter_to_date",
        limit: 600,
      }),
      reference,
    );
    expect(decision.reasons).toEqual([
      "role analyst may not read metric gross_revenue",
      "role analyst may not group or filter by email",
      "no such dimension nope",
      "role analyst may not group or filter by channel",
      "tenant t2 is outside the principal's scope",
      "time range quarter_to_date is not granted",
      "limit 600 is above the row budget 500",
    ]);
  });

  test("a tenant filter inside the scope passes", () => {
    expect(validatePlan(policy, admin, plan({ metric: "revenue", filters: { tenant_id: "t2" } }), reference).allowed).toBe(true);
  });
});

describe("validatePlan with skipSensitiveDimensionCheck", () => {
  test("the reference validator denies a sensitive dimension to a role without it", () => {
    const decision = validatePlan(policy, analyst, plan({ metric: "revenue", dimensions: ["email"] }), reference);
    expect(decision.reasons).toEqual(["role analyst may not group or filter by email"]);
  });

  test("the drifted validator accepts a sensitive dimension and a sensitive filter", () => {
    expect(validatePlan(policy, analyst, plan({ metric: "revenue", dimensions: ["email"] }), skipping)).toMatchObject({
      allowed: true,
      reasons: [],
    });
    expect(validatePlan(policy, analyst, plan({ metric: "revenue", filters: { email: "a@b.c" } }), skipping).allowed).toBe(true);
  });

  test("it still denies non-sensitive dimensions and everything else", () => {
    const decision = validatePlan(policy, analyst, plan({ metric: "revenue", dimensions: ["email", "priority"], limit: 501 }), skipping);
    expect(decision.reasons).toEqual(["role analyst may not group or filter by priority", "limit 501 is above the row budget 500"]);
  });
});

describe("validatePlan: names that are Object.prototype members", () => {
  // Regression guard, the original bug: resolveAlias() uses `policy.metrics[name]` (not Object.hasOwn, unlike
  // core/oracle/resolve.ts), so "constructor" resolves to itself:
  //   validatePlan(policy, analyst, { metric: "constructor", ... }, reference)
  //   -> { allowed: false, reasons: ["role analyst may not read metric constructor"],
  //        obligations: { metric: "constructor", ... } }
  // expected: { allowed: false, reasons: ["cannot resolve metric constructor"], obligations: null },
  // as for any other unknown metric (and as the canonical oracle decides).
  test("a metric named like an Object.prototype member cannot be resolved", () => {
    expect(validatePlan(policy, analyst, plan({ metric: "constructor" }), reference)).toEqual({
      allowed: false,
      reasons: ["cannot resolve metric constructor"],
      obligations: null,
    });
  });

  // Regression guard, the original bug: `policy.dimensions["constructor"]` is Object.prototype.constructor, so the dimension
  // is treated as known:
  //   validatePlan(policy, admin, { metric: "revenue", dimensions: ["constructor"], ... }, reference).reasons
  //   -> ["role admin may not group or filter by constructor"]
  // expected: ["no such dimension constructor"].
  test("a dimension named like an Object.prototype member is not a dimension", () => {
    expect(validatePlan(policy, admin, plan({ metric: "revenue", dimensions: ["constructor"] }), reference).reasons).toEqual([
      "no such dimension constructor",
    ]);
  });
});

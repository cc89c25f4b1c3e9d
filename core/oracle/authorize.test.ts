import { describe, expect, test } from "bun:test";
import { plan, principal, testPolicy } from "../testing/fixtures.ts";
import { authorize } from "./authorize.ts";

const policy = testPolicy();
const analyst = principal(policy, "analyst_t1");
const admin = principal(policy, "admin_t1t2");

describe("authorize: allowed plans", () => {
  test("an allowed plan has no reasons and binds the role's obligations", () => {
    const decision = authorize(policy, analyst, plan({ metric: "revenue", dimensions: ["region"] }));
    expect(decision).toEqual({
      allowed: true,
      reasons: [],
      denials: [],
      obligations: {
        metric: "revenue",
        tenant_scope: ["t1"],
        row_budget: { max_rows: 500, max_cost: 30 },
        time_range: "last_month",
      },
      // revenue 20 + region 3 + max(1, floor(100 / 100))
      estimated_cost: 24,
    });
  });

  test("the bound tenant scope is a copy, not the principal's own array", () => {
    const decision = authorize(policy, admin, plan({ metric: "revenue" }));
    expect(decision.obligations?.tenant_scope).toEqual(["t1", "t2"]);
    expect(decision.obligations?.tenant_scope).not.toBe(admin.tenant_ids);
  });

  test("an alias of an allowed metric is allowed and bound under the resolved name", () => {
    const decision = authorize(policy, analyst, plan({ metric: "sales" }));
    expect(decision.allowed).toBe(true);
    expect(decision.obligations?.metric).toBe("revenue");
  });

  test("a tenant filter inside the principal's scope is allowed", () => {
    expect(authorize(policy, admin, plan({ metric: "revenue", filters: { tenant_id: "t2" } })).allowed).toBe(true);
  });

  test("a numeric tenant filter is compared as a string", () => {
    const numeric = { ...analyst, tenant_ids: ["7"] };
    expect(authorize(policy, numeric, plan({ metric: "revenue", filters: { tenant_id: 7 } })).allowed).toBe(true);
    const other = authorize(policy, numeric, plan({ metric: "revenue", filters: { tenant_id: 8 } }));
    expect(other.reasons).toEqual(["tenant filter outside principal scope: 8"]);
  });

  test("a cost exactly at max_cost is allowed", () => {
    // revenue 20 + plan_tier 2 + region 3 + month 2 + floor(300 / 100) = 30 = analyst max_cost
    const decision = authorize(policy, analyst, plan({ metric: "revenue", dimensions: ["plan_tier", "region", "month"], limit: 300 }));
    expect(decision.estimated_cost).toBe(30);
    expect(decision.allowed).toBe(true);
  });

  test("a limit exactly at max_rows is allowed", () => {
    expect(authorize(policy, analyst, plan({ metric: "revenue", limit: 500 })).allowed).toBe(true);
  });
});

describe("authorize: metric denials", () => {
  test("an alias of a metric the role may not use is denied with the resolved name", () => {
    const decision = authorize(policy, analyst, plan({ metric: "bookings" }));
    expect(decision.allowed).toBe(false);
    expect(decision.denials).toEqual([{ kind: "metric", reason: "metric not allowed for role analyst: gross_revenue" }]);
    expect(decision.obligations?.metric).toBe("gross_revenue");
  });

  test("a metric on the role's list but whose policy excludes the role is denied by the metric policy", () => {
    const decision = authorize(policy, analyst, plan({ metric: "refunds" }));
    expect(decision.denials).toEqual([{ kind: "metric", reason: "metric policy excludes role analyst: refunds" }]);
  });

  test("the metric-policy denial also applies through an alias", () => {
    const decision = authorize(policy, analyst, plan({ metric: "refund_total" }));
    expect(decision.reasons).toEqual(["metric policy excludes role analyst: refunds"]);
  });

  test("only the role-list reason is given when both the role list and the metric policy exclude the role", () => {
    const decision = authorize(policy, analyst, plan({ metric: "gross_revenue" }));
    expect(decision.reasons).toEqual(["metric not allowed for role analyst: gross_revenue"]);
  });

  test("an unknown metric is denied, has no obligations and is priced at 100", () => {
    const decision = authorize(policy, admin, plan({ metric: "bogus" }));
    expect(decision).toEqual({
      allowed: false,
      reasons: ["unknown metric: bogus"],
      denials: [{ kind: "metric", reason: "unknown metric: bogus" }],
      obligations: null,
      estimated_cost: 101,
    });
  });

  test("an unknown metric's price can also exceed the budget", () => {
    const decision = authorize(policy, analyst, plan({ metric: "bogus" }));
    expect(decision.denials).toEqual([
      { kind: "metric", reason: "unknown metric: bogus" },
      { kind: "cost", reason: "estimated cost 101 exceeds max cost 30" },
    ]);
  });

  test("an unknown role throws", () => {
    expect(() => authorize(policy, { id: "x", role: "ghost", tenant_ids: ["t1"] }, plan({ metric: "revenue" }))).toThrow(
      "unknown role: ghost",
    );
  });
});

describe("authorize: dimension and filter denials", () => {
  test("a dimension missing from the role's list", () => {
    const decision = authorize(policy, analyst, plan({ metric: "revenue", dimensions: ["channel"] }));
    expect(decision.denials).toEqual([{ kind: "dimension", reason: "dimension not allowed for role analyst: channel" }]);
  });

  test("a dimension whose policy excludes the role", () => {
    const decision = authorize(policy, analyst, plan({ metric: "revenue", dimensions: ["priority"] }));
    expect(decision.denials).toEqual([{ kind: "dimension", reason: "dimension policy excludes role analyst: priority" }]);
  });

  test("a dimension excluded both ways gets both reasons, role list first", () => {
    const decision = authorize(policy, analyst, plan({ metric: "revenue", dimensions: ["email"] }));
    expect(decision.reasons).toEqual(["dimension not allowed for role analyst: email", "dimension policy excludes role analyst: email"]);
  });

  test("an unknown dimension gets only the unknown reason and is priced at 20", () => {
    const decision = authorize(policy, admin, plan({ metric: "revenue", dimensions: ["nope"] }));
    expect(decision.denials).toEqual([{ kind: "dimension", reason: "unknown dimension: nope" }]);
    expect(decision.estimated_cost).toBe(20 + 20 + 1);
  });

  test("dimensions are checked in plan order", () => {
    const decision = authorize(policy, analyst, plan({ metric: "revenue", dimensions: ["priority", "channel"] }));
    expect(decision.reasons).toEqual([
      "dimension policy excludes role analyst: priority",
      "dimension not allowed for role analyst: channel",
    ]);
  });

  test("filter keys are checked as filter dimensions, in sorted key order, after the dimensions", () => {
    const decision = authorize(
      policy,
      analyst,
      plan({ metric: "revenue", dimensions: ["priority"], filters: { priority: "high", channel: "web", zzz: 1 } }),
    );
    expect(decision.denials).toEqual([
      { kind: "dimension", reason: "dimension policy excludes role analyst: priority" },
      { kind: "dimension", reason: "filter dimension not allowed for role analyst: channel" },
      { kind: "dimension", reason: "filter dimension policy excludes role analyst: priority" },
      { kind: "dimension", reason: "unknown filter dimension: zzz" },
    ]);
  });

  test("filters are not priced", () => {
    const unfiltered = authorize(policy, admin, plan({ metric: "revenue" }));
    const filtered = authorize(policy, admin, plan({ metric: "revenue", filters: { region: "EU", email: "a@b" } }));
    expect(filtered.estimated_cost).toBe(unfiltered.estimated_cost);
  });
});

describe("authorize: tenant, time, rows and cost", () => {
  test("a tenant filter outside the principal's scope", () => {
    const decision = authorize(policy, analyst, plan({ metric: "revenue", filters: { tenant_id: "t2" } }));
    expect(decision.denials).toEqual([{ kind: "tenant", reason: "tenant filter outside principal scope: t2" }]);
  });

  test("a time range the role is not granted", () => {
    const decision = authorize(policy, analyst, plan({ metric: "revenue", time_range: "quarter_to_date" }));
    expect(decision.denials).toEqual([{ kind: "time", reason: "time range not allowed: quarter_to_date" }]);
  });

  test("a limit over max_rows", () => {
    const decision = authorize(policy, analyst, plan({ metric: "revenue", limit: 501 }));
    expect(decision.denials).toEqual([{ kind: "rows", reason: "limit 501 exceeds max rows 500" }]);
  });

  test("a cost over max_cost: metric + dimensions + floor(limit / 100)", () => {
    // revenue 20 + plan_tier 2 + region 3 + month 2 + tenant_id 1 + floor(500 / 100) = 33
    const decision = authorize(
      policy,
      analyst,
      plan({ metric: "revenue", dimensions: ["plan_tier", "region", "month", "tenant_id"], limit: 500 }),
    );
    expect(decision.estimated_cost).toBe(33);
    expect(decision.denials).toEqual([{ kind: "cost", reason: "estimated cost 33 exceeds max cost 30" }]);
  });

  test("every kind of denial, in the documented order", () => {
    const decision = authorize(
      policy,
      analyst,
      plan({
        metric: "bookings",
        dimensions: ["nope", "email"],
        filters: { tenant_id: "t9", channel: "web" },
        time_range: "quarter_to_date",
        limit: 5000,
      }),
    );
    // gross_revenue 25 + unknown 20 + email 5 + floor(5000 / 100) = 100
    expect(decision.denials).toEqual([
      { kind: "metric", reason: "metric not allowed for role analyst: gross_revenue" },
      { kind: "dimension", reason: "unknown dimension: nope" },
      { kind: "dimension", reason: "dimension not allowed for role analyst: email" },
      { kind: "dimension", reason: "dimension policy excludes role analyst: email" },
      { kind: "dimension", reason: "filter dimension not allowed for role analyst: channel" },
      { kind: "tenant", reason: "tenant filter outside principal scope: t9" },
      { kind: "time", reason: "time range not allowed: quarter_to_date" },
      { kind: "rows", reason: "limit 5000 exceeds max rows 500" },
      { kind: "cost", reason: "estimated cost 100 exceeds max cost 30" },
    ]);
    expect(decision.reasons).toEqual(decision.denials.map((d) => d.reason));
    expect(decision.allowed).toBe(false);
    // A resolvable metric still binds obligations, even when the plan is denied.
    expect(decision.obligations).toEqual({
      metric: "gross_revenue",
      tenant_scope: ["t1"],
      row_budget: { max_rows: 500, max_cost: 30 },
      time_range: "quarter_to_date",
    });
  });
});

describe("authorize: names that are Object.prototype members", () => {
  // Plans come from a model, so any proposed name must be judged, never crash the oracle:
  // policy records have a null prototype, so "constructor" is simply unknown.
  test("a dimension named like an Object.prototype member is an unknown dimension", () => {
    const decision = authorize(policy, analyst, plan({ metric: "revenue", dimensions: ["constructor"] }));
    // An unknown dimension is also priced as unknown (cost 20), which this role's budget cannot afford.
    expect(decision.denials[0]).toEqual({ kind: "dimension", reason: "unknown dimension: constructor" });
    expect(decision.denials.map((d) => d.kind)).toEqual(["dimension", "cost"]);
  });

  test("a metric named like an Object.prototype member is an unknown metric (resolve uses Object.hasOwn)", () => {
    const decision = authorize(policy, admin, plan({ metric: "toString" }));
    expect(decision.reasons).toEqual(["unknown metric: toString"]);
    expect(decision.obligations).toBeNull();
  });
});

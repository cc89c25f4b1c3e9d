import { describe, expect, test } from "bun:test";
import type { IntentSpace } from "../model/observation.ts";
import { plan, principal, testPolicy } from "../testing/fixtures.ts";
import { intentSpace, parseIntent } from "./grammar.ts";
import { buildManifest } from "./manifest.ts";
import { REFERENCE_STACK } from "./variant.ts";

const policy = testPolicy();
const analyst = principal(policy, "analyst_t1");
const admin = principal(policy, "admin_t1t2");
const analystManifest = buildManifest(policy, analyst, REFERENCE_STACK.manifest);

describe("intentSpace", () => {
  test("with reference knobs it is exactly the manifest", () => {
    expect(intentSpace(policy, analystManifest, REFERENCE_STACK.grammar)).toEqual(analystManifest);
  });

  test("returns copies: changing the space does not change the manifest", () => {
    const space = intentSpace(policy, analystManifest, REFERENCE_STACK.grammar);
    space.metrics.push("x");
    space.dimensions.push("x");
    space.time_ranges.push("x");
    expect(analystManifest.metrics).not.toContain("x");
    expect(analystManifest.dimensions).not.toContain("x");
    expect(analystManifest.time_ranges).not.toContain("x");
  });

  test("admitSensitiveDimensions adds the sensitive dimensions the manifest never exposed", () => {
    const space = intentSpace(policy, analystManifest, { admitSensitiveDimensions: true });
    expect(space.dimensions).toEqual(["plan_tier", "region", "month", "tenant_id", "email"]);
    expect(space.metrics).toEqual(analystManifest.metrics);
    expect(space.time_ranges).toEqual(analystManifest.time_ranges);
  });

  test("admitSensitiveDimensions adds only sensitive ones and never duplicates", () => {
    const adminManifest = buildManifest(policy, admin, REFERENCE_STACK.manifest);
    const space = intentSpace(policy, adminManifest, { admitSensitiveDimensions: true });
    expect(space.dimensions).toEqual(adminManifest.dimensions);
    expect(space.dimensions.filter((d) => d === "email")).toHaveLength(1);
  });
});

describe("parseIntent", () => {
  const space: IntentSpace = intentSpace(policy, analystManifest, REFERENCE_STACK.grammar);

  test("a plan inside the space is returned unchanged", () => {
    const proposed = plan({ metric: "sales", dimensions: ["region"], filters: { plan_tier: "pro" }, time_range: "last_7_days" });
    expect(parseIntent(space, proposed)).toEqual({ kind: "plan", plan: proposed });
  });

  test("the grammar does not check limits or cost", () => {
    const proposed = plan({ metric: "revenue", limit: 1_000_000 });
    expect(parseIntent(space, proposed).kind).toBe("plan");
  });

  test("a name outside the space is rejected with one reason per name, in order", () => {
    const outcome = parseIntent(
      space,
      plan({
        metric: "gross_revenue",
        dimensions: ["email", "region", "priority"],
        filters: { zeta: 1, channel: "web", region: "EU" },
        time_range: "quarter_to_date",
      }),
    );
    expect(outcome).toEqual({
      kind: "rejected",
      reasons: [
        "metric outside intent space: gross_revenue",
        "dimension outside intent space: email",
        "dimension outside intent space: priority",
        "filter outside intent space: channel",
        "filter outside intent space: zeta",
        "time range outside intent space: quarter_to_date",
      ],
    });
  });

  test("an alias of a forbidden metric is rejected by the reference space", () => {
    expect(parseIntent(space, plan({ metric: "bookings" }))).toEqual({
      kind: "rejected",
      reasons: ["metric outside intent space: bookings"],
    });
  });

  test("with exposeForbiddenAliases the manifest lets that alias through the grammar", () => {
    const leaky = intentSpace(policy, buildManifest(policy, analyst, { exposeForbiddenAliases: true }), REFERENCE_STACK.grammar);
    expect(parseIntent(leaky, plan({ metric: "bookings" })).kind).toBe("plan");
  });

  test("a sensitive dimension is rejected by the reference space and admitted by the widened one", () => {
    const proposed = plan({ metric: "revenue", dimensions: ["email"] });
    expect(parseIntent(space, proposed)).toEqual({ kind: "rejected", reasons: ["dimension outside intent space: email"] });
    const widened = intentSpace(policy, analystManifest, { admitSensitiveDimensions: true });
    expect(parseIntent(widened, proposed)).toEqual({ kind: "plan", plan: proposed });
  });

  test("the widened space still rejects non-sensitive dimensions the manifest did not expose", () => {
    const widened = intentSpace(policy, analystManifest, { admitSensitiveDimensions: true });
    expect(parseIntent(widened, plan({ metric: "revenue", dimensions: ["priority"] }))).toEqual({
      kind: "rejected",
      reasons: ["dimension outside intent space: priority"],
    });
  });
});

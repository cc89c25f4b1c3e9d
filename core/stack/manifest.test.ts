import { describe, expect, test } from "bun:test";
import { principal, testPolicy } from "../testing/fixtures.ts";
import { buildManifest } from "./manifest.ts";
import { REFERENCE_STACK } from "./variant.ts";

const policy = testPolicy();
const analyst = principal(policy, "analyst_t1");
const admin = principal(policy, "admin_t1t2");

describe("buildManifest (reference knobs)", () => {
  test("exposes only usable metrics with their aliases, usable dimensions and granted time ranges", () => {
    expect(buildManifest(policy, analyst, REFERENCE_STACK.manifest)).toEqual({
      // gross_revenue is off the role's list; refunds is on it but its policy excludes analyst.
      metrics: ["revenue", "sales", "ticket_count", "tickets_opened"],
      // priority: policy excludes analyst; channel: not on analyst's list; email, fx_rate: neither.
      dimensions: ["plan_tier", "region", "month", "tenant_id"],
      time_ranges: ["last_month", "last_fiscal_month", "last_7_days"],
    });
  });

  test("a role that may use everything sees every metric, alias and dimension in policy order", () => {
    const manifest = buildManifest(policy, admin, REFERENCE_STACK.manifest);
    expect(manifest.metrics).toEqual([
      "revenue",
      "sales",
      "gross_revenue",
      "gross_sales",
      "bookings",
      "refunds",
      "refund_total",
      "ticket_count",
      "tickets_opened",
    ]);
    expect(manifest.dimensions).toEqual(["plan_tier", "region", "month", "priority", "channel", "tenant_id", "email", "fx_rate"]);
  });

  test("time ranges are a copy of the role's list", () => {
    const manifest = buildManifest(policy, analyst, REFERENCE_STACK.manifest);
    manifest.time_ranges.push("all_time");
    expect(policy.roles.analyst!.allowed_time_ranges).not.toContain("all_time");
  });

  test("an unknown role sees nothing", () => {
    expect(buildManifest(policy, { id: "x", role: "ghost", tenant_ids: ["t1"] }, REFERENCE_STACK.manifest)).toEqual({
      metrics: [],
      dimensions: [],
      time_ranges: [],
    });
  });
});

describe("buildManifest with exposeForbiddenAliases", () => {
  test("adds the aliases, never the names, of metrics the role may not use", () => {
    const manifest = buildManifest(policy, analyst, { exposeForbiddenAliases: true });
    expect(manifest.metrics).toEqual(["revenue", "sales", "gross_sales", "bookings", "refund_total", "ticket_count", "tickets_opened"]);
    expect(manifest.metrics).not.toContain("gross_revenue");
    expect(manifest.metrics).not.toContain("refunds");
  });

  test("changes nothing else", () => {
    const reference = buildManifest(policy, analyst, REFERENCE_STACK.manifest);
    const drifted = buildManifest(policy, analyst, { exposeForbiddenAliases: true });
    expect(drifted.dimensions).toEqual(reference.dimensions);
    expect(drifted.time_ranges).toEqual(reference.time_ranges);
  });

  test("is a no-op for a role that may use every metric", () => {
    expect(buildManifest(policy, admin, { exposeForbiddenAliases: true })).toEqual(buildManifest(policy, admin, REFERENCE_STACK.manifest));
  });
});

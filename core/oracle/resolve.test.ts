import { describe, expect, test } from "bun:test";
import { testPolicy } from "../testing/fixtures.ts";
import { metricOf, resolveMetricName } from "./resolve.ts";

describe("resolveMetricName", () => {
  const policy = testPolicy();

  test("a metric name resolves to itself", () => {
    expect(resolveMetricName(policy, "gross_revenue")).toBe("gross_revenue");
  });

  test("an alias resolves to the metric that lists it", () => {
    expect(resolveMetricName(policy, "sales")).toBe("revenue");
    expect(resolveMetricName(policy, "bookings")).toBe("gross_revenue");
    expect(resolveMetricName(policy, "tickets_opened")).toBe("ticket_count");
  });

  test("an unknown name, or an Object.prototype member, resolves to undefined", () => {
    expect(resolveMetricName(policy, "bogus")).toBeUndefined();
    expect(resolveMetricName(policy, "constructor")).toBeUndefined();
    expect(resolveMetricName(policy, "__proto__")).toBeUndefined();
  });

  test("an alias shared by two metrics resolves to the first in policy order", () => {
    const shared = testPolicy();
    shared.metrics.gross_revenue!.aliases.push("money");
    shared.metrics.revenue!.aliases.push("money");
    expect(resolveMetricName(shared, "money")).toBe("revenue");
  });

  test("a metric's own name wins over another metric's alias of the same name", () => {
    const clash = testPolicy();
    clash.metrics.revenue!.aliases.push("gross_revenue");
    expect(resolveMetricName(clash, "gross_revenue")).toBe("gross_revenue");
  });

  test("metricOf returns the resolved metric's spec", () => {
    expect(metricOf(policy, "bookings")?.expression).toBe("sum(invoices.gross_cents)");
    expect(metricOf(policy, "bogus")).toBeUndefined();
  });
});

import { describe, expect, test } from "bun:test";
import { plan, testPolicy } from "../testing/fixtures.ts";
import { canonicalCost } from "./cost.ts";

describe("canonicalCost", () => {
  const policy = testPolicy();

  test("metric cost plus one row unit for limits up to 199", () => {
    expect(canonicalCost(policy, plan({ metric: "revenue", limit: 1 }))).toBe(21);
    expect(canonicalCost(policy, plan({ metric: "revenue", limit: 99 }))).toBe(21);
    expect(canonicalCost(policy, plan({ metric: "revenue", limit: 100 }))).toBe(21);
    expect(canonicalCost(policy, plan({ metric: "revenue", limit: 199 }))).toBe(21);
  });

  test("one unit per full hundred rows beyond that", () => {
    expect(canonicalCost(policy, plan({ metric: "revenue", limit: 200 }))).toBe(22);
    expect(canonicalCost(policy, plan({ metric: "revenue", limit: 250 }))).toBe(22);
    expect(canonicalCost(policy, plan({ metric: "revenue", limit: 1000 }))).toBe(30);
  });

  test("every dimension adds its own cost", () => {
    // ticket_count 10 + email 5 + fx_rate 4 + 1
    expect(canonicalCost(policy, plan({ metric: "ticket_count", dimensions: ["email", "fx_rate"] }))).toBe(20);
  });

  test("an alias is priced as its metric", () => {
    expect(canonicalCost(policy, plan({ metric: "bookings" }))).toBe(26);
  });

  test("an unknown metric costs 100 and an unknown dimension 20", () => {
    expect(canonicalCost(policy, plan({ metric: "bogus" }))).toBe(101);
    expect(canonicalCost(policy, plan({ metric: "revenue", dimensions: ["nope", "region"] }))).toBe(20 + 20 + 3 + 1);
  });

  test("filters, time range and grain are not priced", () => {
    const base = canonicalCost(policy, plan({ metric: "revenue" }));
    expect(canonicalCost(policy, plan({ metric: "revenue", filters: { region: "EU" }, time_range: "x", grain: "day" }))).toBe(base);
  });
});

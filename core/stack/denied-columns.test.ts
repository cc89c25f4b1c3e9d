import { describe, expect, test } from "bun:test";
import { DimensionPolicy, MetricPolicy } from "../model/policy.ts";
import { testDatabase, testPolicy } from "../testing/fixtures.ts";
import { deniedColumns } from "./denied-columns.ts";

const sorted = (set: Set<string>) => [...set].sort();

describe("deniedColumns", () => {
  test("denies the columns used only by metrics and dimensions the role may not use", () => {
    expect(sorted(deniedColumns(testPolicy(), testDatabase(), "analyst"))).toEqual([
      "accounts.email", // email: neither list
      "fx_rates.rate", // fx_rate: neither list
      "invoices.gross_cents", // gross_revenue: not on the role's list
      "invoices.refund_cents", // refunds: on the list, excluded by the metric's policy
      "tickets.channel", // channel: in the dimension's policy, not on the role's list
      "tickets.priority", // priority: on the list, excluded by the dimension's policy
    ]);
  });

  test("a role that may use everything is denied nothing", () => {
    expect(sorted(deniedColumns(testPolicy(), testDatabase(), "admin"))).toEqual([]);
  });

  test("an unknown role is denied every column the policy mentions, except scoping columns", () => {
    const denied = deniedColumns(testPolicy(), testDatabase(), "ghost");
    expect(denied.has("invoices.net_cents")).toBe(true);
    expect(denied.has("accounts.region")).toBe(true);
    expect(denied.has("accounts.tenant_id")).toBe(false);
  });

  test("a column used by one usable and one unusable item stays readable", () => {
    const policy = testPolicy();
    policy.dimensions.tier_secret = DimensionPolicy.parse({ column: "subscriptions.plan_tier", allowed_roles: ["admin"] });
    expect(deniedColumns(policy, testDatabase(), "analyst").has("subscriptions.plan_tier")).toBe(false);
  });

  test("key, tenant, legacy tenant, shard, join, time and cohort columns are never denied", () => {
    const policy = testPolicy();
    const adminOnly = (column: string) => DimensionPolicy.parse({ column, allowed_roles: ["admin"], sensitive: true });
    policy.dimensions.account_id = adminOnly("accounts.id");
    policy.dimensions.legacy = adminOnly("accounts.legacy_tenant_id");
    policy.dimensions.ticket_tenant = adminOnly("tickets.tenant_id");
    policy.dimensions.shard = adminOnly("tickets.shard");
    policy.dimensions.subscription = adminOnly("invoices.subscription_id");
    policy.dimensions.opened_day = adminOnly("date_trunc('day', tickets.opened_at)");
    policy.dimensions.requester = adminOnly("tickets.requester_id");
    policy.dimensions.fx_currency = adminOnly("fx_rates.currency");
    policy.metrics.accounts_billed = MetricPolicy.parse({ expression: "count(distinct subscriptions.account_id)", table: "subscriptions", allowed_roles: ["admin"] });
    const db = testDatabase();
    db.release.cohort = { measure: "count(distinct tickets.requester_id)", min_size: 3 };
    const denied = deniedColumns(policy, db, "analyst");
    for (const column of [
      "accounts.id",
      "accounts.legacy_tenant_id",
      "tickets.tenant_id",
      "tickets.shard",
      "invoices.subscription_id",
      "subscriptions.account_id",
      "tickets.opened_at",
      "tickets.requester_id",
      "fx_rates.currency",
    ]) {
      expect(denied.has(column)).toBe(false);
    }
    // ...while an ordinary admin-only column next to them is still denied.
    expect(denied.has("accounts.email")).toBe(true);
  });

  test("qualified names inside string literals are not columns", () => {
    const policy = testPolicy();
    policy.dimensions.labelled = DimensionPolicy.parse({ column: "coalesce(accounts.region, 'secret.thing')", allowed_roles: ["admin"] });
    const denied = deniedColumns(policy, testDatabase(), "analyst");
    expect(denied.has("secret.thing")).toBe(false);
  });
});

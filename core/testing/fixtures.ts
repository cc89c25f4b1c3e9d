import { DomainDatabase } from "../model/database.ts";
import type { Obligations } from "../model/observation.ts";
import { SemanticPlan } from "../model/plan.ts";
import { Policy, type Principal } from "../model/policy.ts";

/**
 * Small, explicit fixtures for core unit tests. Every call returns a fresh object, so a test may
 * change what it gets without affecting any other test.
 *
 * Policy: roles `analyst` and `admin`.
 *   metrics (policy order matters: alias resolution and "first sibling on the same table"):
 *     revenue        sum(invoices.net_cents)     analyst+admin   aliases sales                cost 20
 *     gross_revenue  sum(invoices.gross_cents)   admin           aliases gross_sales,bookings cost 25
 *     refunds        sum(invoices.refund_cents)  admin (but on analyst's role list)  alias refund_total  cost 15
 *     ticket_count   count(distinct tickets.id)  analyst+admin   aliases tickets_opened       cost 10
 *   dimensions:
 *     plan_tier (2) region (3) month (2) tenant_id (1): analyst+admin
 *     priority (2): admin only, though on analyst's role list
 *     channel  (2): both roles in its policy, but not on analyst's role list
 *     email    (5): sensitive, admin only
 *     fx_rate  (4): admin only, on the separate root fx_rates
 *
 * Database: root accounts (tenant_id, legacy_tenant_id, key id)
 *   accounts ─┬─ subscriptions ── invoices (materialized copy invoices_mv)
 *             └─ tickets (own tenant_id, sharded by `shard`)
 *   fx_rates: a root without a tenant column (reference data)
 */
export function testPolicy(): Policy {
  return Policy.parse({
    version: "test-v1",
    principals: {
      analyst_t1: { id: "analyst_t1", role: "analyst", tenant_ids: ["t1"] },
      admin_t1t2: { id: "admin_t1t2", role: "admin", tenant_ids: ["t1", "t2"] },
    },
    roles: {
      analyst: {
        allowed_metrics: ["revenue", "refunds", "ticket_count"],
        allowed_dimensions: ["plan_tier", "region", "month", "priority", "tenant_id"],
        allowed_time_ranges: ["last_month", "last_fiscal_month", "last_7_days"],
        max_rows: 500,
        max_cost: 30,
      },
      admin: {
        allowed_metrics: ["revenue", "gross_revenue", "refunds", "ticket_count"],
        allowed_dimensions: ["plan_tier", "region", "month", "priority", "channel", "tenant_id", "email", "fx_rate"],
        allowed_time_ranges: ["last_month", "last_fiscal_month", "last_7_days", "quarter_to_date"],
        max_rows: 5000,
        max_cost: 400,
        aggregate_only: false,
      },
    },
    metrics: {
      revenue: {
        expression: "sum(invoices.net_cents)",
        table: "invoices",
        allowed_roles: ["analyst", "admin"],
        aliases: ["sales"],
        cost: 20,
      },
      gross_revenue: {
        expression: "sum(invoices.gross_cents)",
        table: "invoices",
        allowed_roles: ["admin"],
        aliases: ["gross_sales", "bookings"],
        cost: 25,
      },
      refunds: {
        expression: "sum(invoices.refund_cents)",
        table: "invoices",
        allowed_roles: ["admin"],
        aliases: ["refund_total"],
        cost: 15,
      },
      ticket_count: {
        expression: "count(distinct tickets.id)",
        table: "tickets",
        allowed_roles: ["analyst", "admin"],
        aliases: ["tickets_opened"],
        cost: 10,
      },
    },
    dimensions: {
      plan_tier: { column: "subscriptions.plan_tier", allowed_roles: ["analyst", "admin"], cost: 2 },
      region: { column: "accounts.region", allowed_roles: ["analyst", "admin"], cost: 3 },
      month: { column: "date_trunc('month', invoices.issued_at)", allowed_roles: ["analyst", "admin"], cost: 2 },
      priority: { column: "tickets.priority", allowed_roles: ["admin"], cost: 2 },
      channel: { column: "tickets.channel", allowed_roles: ["analyst", "admin"], cost: 2 },
      tenant_id: { column: "accounts.tenant_id", allowed_roles: ["analyst", "admin"], cost: 1 },
      email: { column: "accounts.email", allowed_roles: ["admin"], sensitive: true, cost: 5 },
      fx_rate: { column: "fx_rates.rate", allowed_roles: ["admin"], cost: 4 },
    },
  });
}

export function testDatabase(): DomainDatabase {
  return DomainDatabase.parse({
    dialect: "postgres",
    default_backend: "pglite",
    tables: {
      accounts: { key: "id", tenant_column: "tenant_id", legacy_tenant_column: "legacy_tenant_id" },
      subscriptions: { parent: "accounts", on: "subscriptions.account_id = accounts.id" },
      invoices: { parent: "subscriptions", on: "invoices.subscription_id = subscriptions.id", materialized_view: "invoices_mv" },
      tickets: { parent: "accounts", on: "tickets.account_id = accounts.id", tenant_column: "tenant_id", shard_column: "shard" },
      fx_rates: { key: "currency" },
    },
    tenancy: { session_variable: "app.tenant_ids" },
    time_columns: { invoices: "invoices.issued_at", tickets: "tickets.opened_at" },
    time_ranges: {
      last_month: { start: "2026-05-01", end: "2026-06-01" },
      last_fiscal_month: { start: "2026-04-27", end: "2026-05-25", calendar: "fiscal", calendar_equivalent: "last_month" },
      last_7_days: { start: "2026-06-17 00:00:00", end: "2026-06-24 00:00:00", timezone: "America/Los_Angeles", utc_offset: "-07:00" },
      quarter_to_date: { start: "2026-04-01", end: "2026-06-24" },
    },
    containment: { mechanism: "rls" },
  });
}

/** Columns of each fixture table, as an engine would report them after loading the schema. */
export function testTableColumns(): Record<string, string[]> {
  return {
    accounts: ["id", "tenant_id", "legacy_tenant_id", "region", "email"],
    subscriptions: ["id", "account_id", "plan_tier"],
    invoices: ["id", "subscription_id", "issued_at", "net_cents", "gross_cents", "refund_cents"],
    tickets: ["id", "account_id", "tenant_id", "shard", "opened_at", "priority", "channel"],
    fx_rates: ["currency", "rate"],
  };
}

export function principal(policy: Policy, id: "analyst_t1" | "admin_t1t2"): Principal {
  const found = policy.principals[id];
  if (!found) throw new Error(`fixture principal missing: ${id}`);
  return found;
}

/** A semantic plan with the schema's defaults (last_month, month grain, limit 100) for anything not given. */
export function plan(fields: Partial<SemanticPlan> & { metric: string }): SemanticPlan {
  return SemanticPlan.parse(fields);
}

/** The obligations a validator binds for `principal` reading `metric` (already resolved). */
export function obligationsFor(policy: Policy, who: Principal, metric: string, timeRange = "last_month"): Obligations {
  const role = policy.roles[who.role];
  if (!role) throw new Error(`fixture role missing: ${who.role}`);
  return {
    metric,
    tenant_scope: [...who.tenant_ids],
    row_budget: { max_rows: role.max_rows, max_cost: role.max_cost },
    time_range: timeRange,
  };
}

import { describe, expect, test } from "bun:test";
import type { DomainDatabase } from "../model/database.ts";
import { testDatabase, testPolicy, testTableColumns } from "../testing/fixtures.ts";
import {
  AGENT_CONNECTION_ROLE,
  connectionRole,
  databaseRoleName,
  rlsStatements,
  rowPolicyViews,
  SESSION_ROLE_VARIABLE,
  variableName,
} from "./containment.ts";
import { type DatabaseKnobs, REFERENCE_STACK } from "./variant.ts";

const policy = testPolicy();
const knobs = (over: Partial<DatabaseKnobs> = {}): DatabaseKnobs => ({ ...REFERENCE_STACK.database, ...over });
const tenantsIn = (column: string) => `${column} = any(string_to_array(current_setting('app.tenant_ids', true), ','))`;
const rls = (table: string, predicate: string) => [
  `alter table app.${table} enable row level security`,
  `alter table app.${table} force row level security`,
  `create policy strata_scope on app.${table} for select using (${predicate})`,
];
const ACCOUNTS_RLS = rls("accounts", tenantsIn("accounts.tenant_id"));
const SUBSCRIPTIONS_RLS = rls("subscriptions", "exists (select 1 from app.accounts as accounts where subscriptions.account_id = accounts.id)");
const INVOICES_RLS = rls("invoices", "exists (select 1 from app.subscriptions as subscriptions where invoices.subscription_id = subscriptions.id)");
const TICKETS_RLS = rls("tickets", tenantsIn("tickets.tenant_id"));

const policyStatements = (statements: string[]) => statements.filter((s) => !s.startsWith("grant "));
const grantStatements = (statements: string[]) => statements.filter((s) => s.startsWith("grant "));

describe("naming helpers", () => {
  test("databaseRoleName prefixes and sanitizes", () => {
    expect(databaseRoleName("analyst")).toBe("strata_analyst");
    expect(databaseRoleName("Ops-Admin v2")).toBe("strata_ops_admin_v2");
  });

  test("variableName replaces dots", () => {
    expect(variableName("app.tenant_ids")).toBe("app_tenant_ids");
  });

  test("connectionRole", () => {
    const db = testDatabase();
    expect(connectionRole(db, knobs())).toBeUndefined();
    expect(connectionRole(db, knobs({ policiesOnlyForReadOnlyRole: true }))).toBeUndefined();
    db.containment = { mechanism: "row_policy", policy_role: "readonly" };
    expect(connectionRole(db, knobs())).toBe("readonly");
    expect(connectionRole(db, knobs({ policiesOnlyForReadOnlyRole: true }))).toBe(AGENT_CONNECTION_ROLE);
  });
});

describe("rlsStatements: row policies", () => {
  test("reference: enable + force + policy per scoped table; tenant column directly, others through their parent", () => {
    const statements = rlsStatements(policy, testDatabase(), knobs(), "app", testTableColumns());
    // fx_rates has no tenant column: reference data, no policy.
    expect(policyStatements(statements)).toEqual([...ACCOUNTS_RLS, ...SUBSCRIPTIONS_RLS, ...INVOICES_RLS, ...TICKETS_RLS]);
  });

  test("the legacy key knob compares the legacy column where a table has one", () => {
    const statements = rlsStatements(policy, testDatabase(), knobs({ policyKey: "legacy" }), "app", testTableColumns());
    expect(policyStatements(statements)).toEqual([
      ...rls("accounts", tenantsIn("accounts.legacy_tenant_id")),
      ...SUBSCRIPTIONS_RLS,
      ...INVOICES_RLS,
      ...TICKETS_RLS,
    ]);
  });

  test("rootPoliciesMissing drops the root's policy but keeps the children's", () => {
    const statements = rlsStatements(policy, testDatabase(), knobs({ rootPoliciesMissing: true }), "app", testTableColumns());
    expect(policyStatements(statements)).toEqual([...SUBSCRIPTIONS_RLS, ...INVOICES_RLS, ...TICKETS_RLS]);
  });

  test("shardGap leaves the first shard open on a sharded table only", () => {
    const statements = rlsStatements(policy, testDatabase(), knobs({ shardGap: true }), "app", testTableColumns());
    expect(policyStatements(statements)).toEqual([
      ...ACCOUNTS_RLS,
      ...SUBSCRIPTIONS_RLS,
      ...INVOICES_RLS,
      ...rls("tickets", `(tickets.shard <> 1 or ${tenantsIn("tickets.tenant_id")})`),
    ]);
  });

  test("the schema qualifies the tables and the parent references", () => {
    const statements = rlsStatements(policy, testDatabase(), knobs(), "tenant_data", testTableColumns());
    expect(statements).toContain(
      "create policy strata_scope on tenant_data.subscriptions for select using (exists (select 1 from tenant_data.accounts as accounts where subscriptions.account_id = accounts.id))",
    );
  });
});

describe("rlsStatements: column grants", () => {
  test("each role gets schema usage and the columns it is not denied, table by table", () => {
    const statements = rlsStatements(policy, testDatabase(), knobs(), "app", testTableColumns());
    expect(grantStatements(statements)).toEqual([
      "grant usage on schema app to strata_analyst",
      "grant select (id, tenant_id, legacy_tenant_id, region) on app.accounts to strata_analyst",
      "grant select (id, account_id, plan_tier) on app.subscriptions to strata_analyst",
      "grant select (id, subscription_id, issued_at, net_cents) on app.invoices to strata_analyst",
      "grant select (id, account_id, tenant_id, shard, opened_at) on app.tickets to strata_analyst",
      "grant select (currency) on app.fx_rates to strata_analyst",
      "grant usage on schema app to strata_admin",
      "grant select (id, tenant_id, legacy_tenant_id, region, email) on app.accounts to strata_admin",
      "grant select (id, account_id, plan_tier) on app.subscriptions to strata_admin",
      "grant select (id, subscription_id, issued_at, net_cents, gross_cents, refund_cents) on app.invoices to strata_admin",
      "grant select (id, account_id, tenant_id, shard, opened_at, priority, channel) on app.tickets to strata_admin",
      "grant select (currency, rate) on app.fx_rates to strata_admin",
    ]);
  });

  test("without column privileges every column is granted to every role", () => {
    const statements = rlsStatements(policy, testDatabase(), knobs({ columnPrivileges: false }), "app", testTableColumns());
    expect(statements).toContain("grant select (id, tenant_id, legacy_tenant_id, region, email) on app.accounts to strata_analyst");
    expect(statements).toContain("grant select (currency, rate) on app.fx_rates to strata_analyst");
  });

  test("a table whose every column is denied gets no grant", () => {
    const columns = { ...testTableColumns(), fx_rates: ["rate"] };
    const statements = rlsStatements(policy, testDatabase(), knobs(), "app", columns);
    expect(statements.filter((s) => s.includes("app.fx_rates"))).toEqual(["grant select (rate) on app.fx_rates to strata_admin"]);
  });

  test("the database knobs that are not about columns leave the grants alone", () => {
    const reference = grantStatements(rlsStatements(policy, testDatabase(), knobs(), "app", testTableColumns()));
    for (const over of [{ policyKey: "legacy" as const }, { rootPoliciesMissing: true }, { shardGap: true }]) {
      expect(grantStatements(rlsStatements(policy, testDatabase(), knobs(over), "app", testTableColumns()))).toEqual(reference);
    }
  });
});

describe("rowPolicyViews", () => {
  function rowPolicyDb(policyRole?: string): DomainDatabase {
    const db = testDatabase();
    db.dialect = "duckdb";
    db.default_backend = "duckdb";
    db.containment = policyRole === undefined ? { mechanism: "row_policy" } : { mechanism: "row_policy", policy_role: policyRole };
    return db;
  }
  const schemaFor = (role: string) => `rp_${role}`;
  const tenants = "string_split(getvariable('app_tenant_ids'), ',')";
  const views = (db: DomainDatabase, over: Partial<DatabaseKnobs> = {}) => rowPolicyViews(policy, db, knobs(over), "base", schemaFor, testTableColumns());
  const analystViews = (statements: string[]) => statements.filter((s) => s.includes(" rp_analyst."));

  test("one schema of filtered views per role, with the role's visible columns", () => {
    const statements = views(rowPolicyDb());
    expect(statements.filter((s) => s.startsWith("create schema"))).toEqual(["create schema rp_analyst", "create schema rp_admin"]);
    expect(analystViews(statements)).toEqual([
      `create view rp_analyst.accounts as select accounts.id, accounts.tenant_id, accounts.legacy_tenant_id, accounts.region from base.accounts as accounts where list_contains(${tenants}, accounts.tenant_id)`,
      "create view rp_analyst.subscriptions as select subscriptions.id, subscriptions.account_id, subscriptions.plan_tier from base.subscriptions as subscriptions where exists (select 1 from rp_analyst.accounts as accounts where subscriptions.account_id = accounts.id)",
      "create view rp_analyst.invoices as select invoices.id, invoices.subscription_id, invoices.issued_at, invoices.net_cents from base.invoices as invoices where exists (select 1 from rp_analyst.subscriptions as subscriptions where invoices.subscription_id = subscriptions.id)",
      `create view rp_analyst.tickets as select tickets.id, tickets.account_id, tickets.tenant_id, tickets.shard, tickets.opened_at from base.tickets as tickets where list_contains(${tenants}, tickets.tenant_id)`,
      "create view rp_analyst.fx_rates as select fx_rates.currency from base.fx_rates as fx_rates",
    ]);
  });

  test("policies bound to policy_role apply only to sessions connected as that role", () => {
    const statements = analystViews(views(rowPolicyDb("readonly")));
    expect(statements[0]).toBe(
      `create view rp_analyst.accounts as select accounts.id, accounts.tenant_id, accounts.legacy_tenant_id, accounts.region from base.accounts as accounts where (getvariable('${SESSION_ROLE_VARIABLE}') <> 'readonly' or list_contains(${tenants}, accounts.tenant_id))`,
    );
    // An unfiltered table stays unfiltered for every role.
    expect(statements[4]).toBe("create view rp_analyst.fx_rates as select fx_rates.currency from base.fx_rates as fx_rates");
  });

  test("rootPoliciesMissing leaves the root unfiltered, even with a bound role", () => {
    const statements = analystViews(views(rowPolicyDb("readonly"), { rootPoliciesMissing: true }));
    expect(statements[0]).toBe(
      "create view rp_analyst.accounts as select accounts.id, accounts.tenant_id, accounts.legacy_tenant_id, accounts.region from base.accounts as accounts",
    );
    expect(statements[1]).toContain(" where (getvariable('strata_db_role') <> 'readonly' or exists (");
  });

  test("shardGap and the legacy key change the predicates as in RLS", () => {
    const statements = analystViews(views(rowPolicyDb(), { shardGap: true, policyKey: "legacy" }));
    expect(statements[0]).toEndWith(`where list_contains(${tenants}, accounts.legacy_tenant_id)`);
    expect(statements[3]).toEndWith(`where (tickets.shard <> 1 or list_contains(${tenants}, tickets.tenant_id))`);
  });

  test("without column privileges the views expose every column", () => {
    const statements = analystViews(views(rowPolicyDb(), { columnPrivileges: false }));
    expect(statements[0]).toStartWith(
      "create view rp_analyst.accounts as select accounts.id, accounts.tenant_id, accounts.legacy_tenant_id, accounts.region, accounts.email from ",
    );
  });

  test("tables the engine did not report are skipped", () => {
    const columns = testTableColumns();
    delete columns.fx_rates;
    const statements = rowPolicyViews(policy, rowPolicyDb(), knobs(), "base", schemaFor, columns);
    expect(statements.some((s) => s.includes("fx_rates"))).toBe(false);
  });
});

import { describe, expect, test } from "bun:test";
import type { DomainDatabase } from "../model/database.ts";
import type { CompilerOutcome } from "../model/observation.ts";
import { MetricPolicy, type Policy, type Principal } from "../model/policy.ts";
import type { SemanticPlan } from "../model/plan.ts";
import { obligationsFor, plan, principal, testDatabase, testPolicy } from "../testing/fixtures.ts";
import { compilePlan } from "./compiler.ts";
import { type CompilerKnobs, REFERENCE_STACK } from "./variant.ts";

const policy = testPolicy();
const analyst = principal(policy, "analyst_t1");
const admin = principal(policy, "admin_t1t2");

interface Case {
  policy?: Policy;
  db?: DomainDatabase;
  who?: Principal;
  /** The metric the obligations name; defaults to the plan's metric. */
  boundMetric?: string;
  knobs?: Partial<CompilerKnobs>;
}

function compile(p: SemanticPlan, c: Case = {}): CompilerOutcome {
  const pol = c.policy ?? policy;
  const who = c.who ?? analyst;
  return compilePlan(
    { policy: pol, db: c.db ?? testDatabase(), plan: p, obligations: obligationsFor(pol, who, c.boundMetric ?? p.metric, p.time_range) },
    { ...REFERENCE_STACK.compiler, ...c.knobs },
  );
}

function sqlOf(outcome: CompilerOutcome): string {
  if (outcome.kind !== "sql") throw new Error(`expected SQL, got refusal: ${outcome.reasons.join("; ")}`);
  return outcome.sql;
}

const JOIN_SUBSCRIPTIONS = "left join subscriptions on subscriptions.account_id = accounts.id";
const JOIN_INVOICES = "left join invoices on invoices.subscription_id = subscriptions.id";
const JOIN_TICKETS = "left join tickets on tickets.account_id = accounts.id";
const LAST_MONTH_PG = "invoices.issued_at >= date '2026-05-01' and invoices.issued_at < date '2026-06-01'";

const REVENUE_SQL =
  "select sum(invoices.net_cents) as value from accounts " +
  `${JOIN_SUBSCRIPTIONS} ${JOIN_INVOICES} ` +
  `where accounts.tenant_id in ('t1') and ${LAST_MONTH_PG} limit 100`;

describe("compilePlan: reference lowering", () => {
  test("lowers a plan over a grandchild table, joining only the tables on its path", () => {
    expect(compile(plan({ metric: "revenue" }))).toEqual({
      kind: "sql",
      sql: REVENUE_SQL,
      // revenue 20 + 1
      estimated_cost: 21,
      lineage: ["accounts", "invoices", "subscriptions"],
    });
  });

  test("a metric on a child of the root joins only that child", () => {
    expect(compile(plan({ metric: "ticket_count" }))).toEqual({
      kind: "sql",
      sql:
        "select count(distinct tickets.id) as value from accounts " +
        `${JOIN_TICKETS} ` +
        "where accounts.tenant_id in ('t1') and tickets.opened_at >= date '2026-05-01' and tickets.opened_at < date '2026-06-01' limit 100",
      estimated_cost: 11,
      lineage: ["accounts", "tickets"],
    });
  });

  test("dimensions are selected, grouped and ordered by position; their tables are joined in depth order", () => {
    const sql = sqlOf(compile(plan({ metric: "ticket_count", dimensions: ["plan_tier", "region"] })));
    expect(sql).toBe(
      "select count(distinct tickets.id) as value, subscriptions.plan_tier as plan_tier, accounts.region as region from accounts " +
        `${JOIN_SUBSCRIPTIONS} ${JOIN_TICKETS} ` +
        "where accounts.tenant_id in ('t1') and tickets.opened_at >= date '2026-05-01' and tickets.opened_at < date '2026-06-01' " +
        "group by subscriptions.plan_tier, accounts.region order by 2, 3 limit 100",
    );
  });

  test("filters come after the tenant predicate, in sorted key order, as quoted literals; their tables are joined", () => {
    const sql = sqlOf(compile(plan({ metric: "revenue", filters: { region: "O'Hare", channel: "web" } }), { who: admin }));
    expect(sql).toBe(
      "select sum(invoices.net_cents) as value from accounts " +
        `${JOIN_SUBSCRIPTIONS} ${JOIN_TICKETS} ${JOIN_INVOICES} ` +
        "where accounts.tenant_id in ('t1', 't2') and tickets.channel = 'web' and accounts.region = 'O''Hare' and " +
        `${LAST_MONTH_PG} limit 100`,
    );
  });

  test("numeric and boolean filter values are unquoted", () => {
    const sql = sqlOf(compile(plan({ metric: "revenue", filters: { plan_tier: 3, region: true } }), { who: admin }));
    expect(sql).toContain("where accounts.tenant_id in ('t1', 't2') and subscriptions.plan_tier = 3 and accounts.region = true and ");
  });

  test("a tenant id with a quote is escaped in the tenant predicate", () => {
    const who = { ...analyst, tenant_ids: ["o'brien", "t1"] };
    expect(sqlOf(compile(plan({ metric: "revenue" }), { who }))).toContain("where accounts.tenant_id in ('o''brien', 't1') and ");
  });

  test("the plan's limit is kept, and an alias is lowered with its bound metric", () => {
    const sql = sqlOf(compile(plan({ metric: "sales", limit: 250 }), { boundMetric: "revenue" }));
    expect(sql).toBe(REVENUE_SQL.replace("limit 100", "limit 250"));
  });

  test("a metric table without a time column gets no time predicate", () => {
    const db = testDatabase();
    delete db.time_columns.invoices;
    expect(sqlOf(compile(plan({ metric: "revenue" }), { db }))).toBe(
      "select sum(invoices.net_cents) as value from accounts " +
        `${JOIN_SUBSCRIPTIONS} ${JOIN_INVOICES} where accounts.tenant_id in ('t1') limit 100`,
    );
  });
});

describe("compilePlan: time literals", () => {
  test("postgres: whole UTC days are date literals", () => {
    expect(sqlOf(compile(plan({ metric: "revenue" })))).toContain(LAST_MONTH_PG);
  });

  test("postgres: a local range with a UTC offset becomes shifted timestamp literals", () => {
    expect(sqlOf(compile(plan({ metric: "revenue", time_range: "last_7_days" })))).toContain(
      "invoices.issued_at >= timestamp '2026-06-17 07:00:00' and invoices.issued_at < timestamp '2026-06-24 07:00:00'",
    );
  });

  test("duckdb: always timestamp literals", () => {
    const db: DomainDatabase = { ...testDatabase(), dialect: "duckdb", default_backend: "duckdb" };
    expect(sqlOf(compile(plan({ metric: "revenue" }), { db }))).toContain(
      "invoices.issued_at >= timestamp '2026-05-01 00:00:00' and invoices.issued_at < timestamp '2026-06-01 00:00:00'",
    );
  });

  test("an undefined time range is refused", () => {
    expect(compile(plan({ metric: "revenue", time_range: "yesterday" }))).toEqual({
      kind: "refused",
      reasons: ["time range yesterday has no definition in database.yaml"],
      estimated_cost: 21,
    });
  });
});

describe("compilePlan: budget", () => {
  const expensive = plan({ metric: "revenue", dimensions: ["plan_tier", "region", "month", "tenant_id"], limit: 600 });

  test("refuses over the bound cost and row budgets, giving both reasons", () => {
    // revenue 20 + plan_tier 2 + region 3 + month 2 + tenant_id 1 + floor(600 / 100) = 34
    expect(compile(expensive)).toEqual({
      kind: "refused",
      reasons: ["estimated cost 34 is above the bound budget 30", "limit 600 is above the bound row budget 500"],
      estimated_cost: 34,
    });
  });

  test("refuses on cost alone", () => {
    const outcome = compile(plan({ metric: "revenue", dimensions: ["plan_tier", "region", "month", "tenant_id"], limit: 500 }));
    expect(outcome).toEqual({ kind: "refused", reasons: ["estimated cost 33 is above the bound budget 30"], estimated_cost: 33 });
  });

  test("refuses on rows alone", () => {
    expect(compile(plan({ metric: "revenue", limit: 501 }))).toEqual({
      kind: "refused",
      reasons: ["limit 501 is above the bound row budget 500"],
      // revenue 20 + floor(501 / 100)
      estimated_cost: 25,
    });
  });

  test("budgetIgnoresExpansion prices only the base metric and skips the row budget", () => {
    const outcome = compile(expensive, { knobs: { budgetIgnoresExpansion: true } });
    expect(outcome.kind).toBe("sql");
    expect(outcome.estimated_cost).toBe(20);
    expect(sqlOf(outcome)).toEndWith("limit 600");
  });

  test("budgetIgnoresExpansion still refuses when the base metric alone is over budget", () => {
    const pricey = testPolicy();
    pricey.metrics.revenue!.cost = 31;
    expect(compile(plan({ metric: "revenue" }), { policy: pricey, knobs: { budgetIgnoresExpansion: true } })).toEqual({
      kind: "refused",
      reasons: ["estimated cost 31 is above the bound budget 30"],
      estimated_cost: 31,
    });
  });
});

describe("compilePlan: refusals", () => {
  test("a bound metric with no definition", () => {
    expect(compile(plan({ metric: "revenue" }), { boundMetric: "bogus" })).toEqual({
      kind: "refused",
      reasons: ["metric bogus has no definition"],
      estimated_cost: 21,
    });
  });

  test("a metric table outside the join graph", () => {
    const ghost = testPolicy();
    ghost.metrics.ghosts = MetricPolicy.parse({ expression: "count(ghost.id)", table: "ghost", allowed_roles: ["admin"] });
    expect(compile(plan({ metric: "ghosts" }), { policy: ghost, who: admin })).toEqual({
      kind: "refused",
      reasons: ["metric table ghost is not in the join graph"],
      estimated_cost: 11,
    });
  });

  test("a dimension on a table of another root is unreachable", () => {
    expect(compile(plan({ metric: "revenue", dimensions: ["fx_rate"] }), { who: admin })).toEqual({
      kind: "refused",
      reasons: ["table fx_rates is not reachable from accounts"],
      estimated_cost: 25,
    });
  });

  test("a filter on a table of another root is unreachable", () => {
    const outcome = compile(plan({ metric: "revenue", filters: { fx_rate: 1 } }), { who: admin });
    expect(outcome.kind === "refused" && outcome.reasons).toEqual(["table fx_rates is not reachable from accounts"]);
  });

  test("an undefined dimension or filter", () => {
    const dim = compile(plan({ metric: "revenue", dimensions: ["nope"] }), { who: admin });
    expect(dim.kind === "refused" && dim.reasons).toEqual(["dimension nope has no definition"]);
    const filter = compile(plan({ metric: "revenue", filters: { nope: 1 } }), { who: admin });
    expect(filter.kind === "refused" && filter.reasons).toEqual(["filter nope has no definition"]);
  });
});

describe("compilePlan: tenant predicate knobs", () => {
  const reference = sqlOf(compile(plan({ metric: "revenue" })));

  test("dropped: no tenant predicate at all", () => {
    const sql = sqlOf(compile(plan({ metric: "revenue" }), { knobs: { tenantPredicate: "dropped" } }));
    expect(sql).toBe(reference.replace("where accounts.tenant_id in ('t1') and ", "where "));
  });

  test("legacy: the root's legacy tenant column", () => {
    const sql = sqlOf(compile(plan({ metric: "revenue" }), { knobs: { tenantPredicate: "legacy" } }));
    expect(sql).toBe(reference.replace("accounts.tenant_id in", "accounts.legacy_tenant_id in"));
  });

  test("legacy without a legacy column falls back to the tenant column", () => {
    const db = testDatabase();
    delete db.tables.accounts!.legacy_tenant_column;
    expect(sqlOf(compile(plan({ metric: "revenue" }), { db, knobs: { tenantPredicate: "legacy" } }))).toBe(reference);
  });

  test("row_id: the root's key column", () => {
    const sql = sqlOf(compile(plan({ metric: "revenue" }), { knobs: { tenantPredicate: "row_id" } }));
    expect(sql).toBe(reference.replace("accounts.tenant_id in", "accounts.id in"));
  });

  test("dropped with no time column leaves no where clause", () => {
    const db = testDatabase();
    delete db.time_columns.invoices;
    const sql = sqlOf(compile(plan({ metric: "revenue" }), { db, knobs: { tenantPredicate: "dropped" } }));
    expect(sql).not.toContain("where");
  });
});

describe("compilePlan: expression knobs", () => {
  test("siblingMetricExpression uses the first other metric on the same table", () => {
    const revenue = sqlOf(compile(plan({ metric: "revenue" }), { knobs: { siblingMetricExpression: true } }));
    expect(revenue).toBe(REVENUE_SQL.replace("sum(invoices.net_cents)", "sum(invoices.gross_cents)"));
    const refunds = sqlOf(compile(plan({ metric: "refunds" }), { who: admin, knobs: { siblingMetricExpression: true } }));
    expect(refunds).toStartWith("select sum(invoices.net_cents) as value ");
  });

  test("siblingMetricExpression leaves a metric without a sibling alone", () => {
    const reference = sqlOf(compile(plan({ metric: "ticket_count" })));
    expect(sqlOf(compile(plan({ metric: "ticket_count" }), { knobs: { siblingMetricExpression: true } }))).toBe(reference);
  });

  test("stripDistinct removes DISTINCT in any case", () => {
    const reference = sqlOf(compile(plan({ metric: "ticket_count" })));
    const stripped = sqlOf(compile(plan({ metric: "ticket_count" }), { knobs: { stripDistinct: true } }));
    expect(stripped).toBe(reference.replace("count(distinct tickets.id)", "count(tickets.id)"));
    const upper = testPolicy();
    upper.metrics.ticket_count!.expression = "count(DISTINCT tickets.id)";
    expect(sqlOf(compile(plan({ metric: "ticket_count" }), { policy: upper, knobs: { stripDistinct: true } }))).toBe(stripped);
  });

  test("uniqAsCount lowers uniqExact(...) and uniq(...) as count(...)", () => {
    const uniq = testPolicy();
    uniq.metrics.requesters = MetricPolicy.parse({
      expression: "uniqExact(tickets.requester_id) + uniq(tickets.account_id)",
      table: "tickets",
      allowed_roles: ["admin"],
    });
    const p = plan({ metric: "requesters" });
    const reference = sqlOf(compile(p, { policy: uniq, who: admin }));
    expect(reference).toStartWith("select uniqExact(tickets.requester_id) + uniq(tickets.account_id) as value ");
    const drifted = sqlOf(compile(p, { policy: uniq, who: admin, knobs: { uniqAsCount: true } }));
    expect(drifted).toBe(reference.replace("uniqExact(tickets.requester_id) + uniq(tickets.account_id)", "count(tickets.requester_id) + count(tickets.account_id)"));
  });
});

describe("compilePlan: join knobs", () => {
  test("joinEveryTable joins the whole tree of the root (parents first), but no other root", () => {
    const outcome = compile(plan({ metric: "revenue" }), { knobs: { joinEveryTable: true } });
    expect(sqlOf(outcome)).toBe(REVENUE_SQL.replace(`${JOIN_SUBSCRIPTIONS} ${JOIN_INVOICES}`, `${JOIN_SUBSCRIPTIONS} ${JOIN_TICKETS} ${JOIN_INVOICES}`));
    expect(outcome.kind === "sql" && outcome.lineage).toEqual(["accounts", "invoices", "subscriptions", "tickets"]);
  });

  test("innerJoins turns every left join into an inner join", () => {
    const sql = sqlOf(compile(plan({ metric: "revenue" }), { knobs: { innerJoins: true } }));
    expect(sql).toBe(REVENUE_SQL.replaceAll("left join", "join"));
    expect(sql).not.toContain("left join");
  });

  test("readMaterializedViews reads the view under the table's name and reports the view in lineage", () => {
    const outcome = compile(plan({ metric: "revenue" }), { knobs: { readMaterializedViews: true } });
    expect(sqlOf(outcome)).toBe(REVENUE_SQL.replace("left join invoices on", "left join invoices_mv as invoices on"));
    expect(outcome.kind === "sql" && outcome.lineage).toEqual(["accounts", "invoices_mv", "subscriptions"]);
  });

  test("readMaterializedViews on a root replaces the from clause", () => {
    const db = testDatabase();
    db.tables.accounts!.materialized_view = "accounts_mv";
    const sql = sqlOf(compile(plan({ metric: "revenue" }), { db, knobs: { readMaterializedViews: true } }));
    expect(sql).toContain(" from accounts_mv as accounts left join subscriptions on ");
    expect(sql).toContain("where accounts.tenant_id in ('t1')");
  });
});

describe("compilePlan: time knobs", () => {
  test("fiscalAsCalendar uses the calendar_equivalent range's bounds", () => {
    const p = plan({ metric: "revenue", time_range: "last_fiscal_month" });
    expect(sqlOf(compile(p))).toContain("invoices.issued_at >= date '2026-04-27' and invoices.issued_at < date '2026-05-25'");
    expect(sqlOf(compile(p, { knobs: { fiscalAsCalendar: true } }))).toBe(REVENUE_SQL);
  });

  test("fiscalAsCalendar leaves a non-fiscal range alone", () => {
    expect(sqlOf(compile(plan({ metric: "revenue" }), { knobs: { fiscalAsCalendar: true } }))).toBe(REVENUE_SQL);
  });

  test("fiscalAsCalendar keeps the fiscal bounds when the calendar equivalent is not defined", () => {
    const db = testDatabase();
    db.time_ranges.last_fiscal_month!.calendar_equivalent = "missing";
    const p = plan({ metric: "revenue", time_range: "last_fiscal_month" });
    expect(sqlOf(compile(p, { db, knobs: { fiscalAsCalendar: true } }))).toBe(sqlOf(compile(p, { db })));
  });

  test("localTimeAsUtc reads local bounds as UTC (so postgres gets date literals)", () => {
    const p = plan({ metric: "revenue", time_range: "last_7_days" });
    expect(sqlOf(compile(p, { knobs: { localTimeAsUtc: true } }))).toContain(
      "invoices.issued_at >= date '2026-06-17' and invoices.issued_at < date '2026-06-24'",
    );
  });

  test("localTimeAsUtc changes nothing for a UTC range", () => {
    expect(sqlOf(compile(plan({ metric: "revenue" }), { knobs: { localTimeAsUtc: true } }))).toBe(REVENUE_SQL);
  });
});

describe("compilePlan: cohort size", () => {
  function withCohort(measure: string): DomainDatabase {
    const db = testDatabase();
    db.release.cohort = { measure, min_size: 3 };
    return db;
  }

  test("no cohort_size column without a cohort", () => {
    expect(sqlOf(compile(plan({ metric: "revenue" })))).not.toContain("cohort_size");
  });

  test("a reachable cohort measure is selected last, after the dimensions, and not grouped", () => {
    const sql = sqlOf(compile(plan({ metric: "revenue", dimensions: ["region"] }), { db: withCohort("count(distinct accounts.id)") }));
    expect(sql).toStartWith("select sum(invoices.net_cents) as value, accounts.region as region, count(distinct accounts.id) as cohort_size from ");
    expect(sql).toContain(" group by accounts.region order by 2 limit 100");
  });

  // Current behaviour: the cohort measure's path is joined like any other referenced table.
  // NOTE: on a sibling branch (tickets, for an invoices metric) that join fans out the measured
  // rows, so sum(invoices.net_cents) counts each invoice once per ticket of its account. No
  // built-in domain has such a measure (analytics_clickhouse measures on its root).
  test("the cohort measure's tables are joined", () => {
    const outcome = compile(plan({ metric: "revenue" }), { db: withCohort("count(distinct tickets.requester_id)") });
    expect(sqlOf(outcome)).toContain(`${JOIN_SUBSCRIPTIONS} ${JOIN_TICKETS} ${JOIN_INVOICES}`);
    expect(sqlOf(outcome)).toContain("count(distinct tickets.requester_id) as cohort_size");
  });

  test("a cohort measure on another root is left out, and so are its tables", () => {
    const outcome = compile(plan({ metric: "revenue" }), { db: withCohort("count(distinct fx_rates.currency)") });
    expect(outcome).toMatchObject({ kind: "sql", sql: REVENUE_SQL, lineage: ["accounts", "invoices", "subscriptions"] });
  });
});

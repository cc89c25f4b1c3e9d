import { describe, expect, test } from "bun:test";
import { analyzeSql, canonicalExpression } from "./analyze.ts";

const COMPILED =
  "select count(distinct support_tickets.id) as value, accounts.region as region from accounts " +
  "left join support_tickets on support_tickets.account_id = accounts.id " +
  "where accounts.tenant_id in ('acme') and support_tickets.opened_at >= date '2026-05-01' " +
  "and support_tickets.opened_at < date '2026-06-01' group by accounts.region limit 100";

describe("analyzeSql on a compiled query", () => {
  test("reports every field", () => {
    expect(analyzeSql(COMPILED, "postgres")).toMatchObject({
      relations: [
        { table: "accounts", alias: "accounts", join: "from", on: null },
        { table: "support_tickets", alias: "support_tickets", join: "left", on: "support_tickets.account_id = accounts.id" },
      ],
      selectItems: [
        { alias: "value", expression: "count(distinct support_tickets.id)" },
        { alias: "region", expression: "accounts.region" },
      ],
      conjuncts: [
        "accounts.tenant_id in ('acme')",
        "support_tickets.opened_at >= date '2026-05-01'",
        "support_tickets.opened_at < date '2026-06-01'",
      ],
      inPredicates: [{ column: "accounts.tenant_id", values: ["acme"] }],
      comparisons: [
        { column: "support_tickets.opened_at", op: ">=", value: "2026-05-01" },
        { column: "support_tickets.opened_at", op: "<", value: "2026-06-01" },
      ],
      groupBy: ["accounts.region"],
      limit: 100,
      tablesReferencedInExpressions: ["accounts", "support_tickets"],
    });
  });

  test("the select item matches the policy expression's canonical form", () => {
    const facts = analyzeSql(COMPILED, "postgres");
    expect(facts.selectItems[0]!.expression).toBe(canonicalExpression("COUNT( DISTINCT support_tickets.id )", "postgres"));
    expect(facts.selectItems[0]!.expression).not.toBe(canonicalExpression("count(support_tickets.id)", "postgres"));
  });

  test("the facts survive a JSON round trip unchanged", () => {
    const facts = analyzeSql(COMPILED, "postgres");
    expect(JSON.parse(JSON.stringify(facts))).toEqual(facts);
  });
});

describe("relations", () => {
  test("a plain JOIN and INNER JOIN are inner, LEFT OUTER JOIN is left, RIGHT JOIN is other", () => {
    const sql =
      "select a.x from accounts a join invoices i on i.account_id = a.id inner join plans p on p.id = a.plan_id " +
      "left outer join notes n on n.account_id = a.id right join regions r on r.id = a.region_id";
    expect(analyzeSql(sql, "postgres").relations.map((r) => [r.table, r.alias, r.join])).toEqual([
      ["accounts", "a", "from"],
      ["invoices", "i", "inner"],
      ["plans", "p", "inner"],
      ["notes", "n", "left"],
      ["regions", "r", "other"],
    ]);
  });

  test("a comma-separated table is other and a USING join keeps its column list", () => {
    const facts = analyzeSql("select 1 from accounts, plans join invoices using (account_id)", "postgres");
    expect(facts.relations).toEqual([
      { table: "accounts", alias: "accounts", join: "from", on: null },
      { table: "plans", alias: "plans", join: "other", on: null },
      { table: "invoices", alias: "invoices", join: "inner", on: "using (account_id)" },
    ]);
  });

  test("tables inside CTEs and subqueries are listed as other; the CTE name itself is not a table", () => {
    const sql =
      "with recent as (select id from tickets) select count(*) from recent " +
      "join (select id from archive) old on old.id = recent.id where recent.id in (select id from flagged)";
    expect(analyzeSql(sql, "postgres").relations).toEqual([
      { table: "tickets", alias: "tickets", join: "other", on: null },
      { table: "archive", alias: "archive", join: "other", on: null },
      { table: "flagged", alias: "flagged", join: "other", on: null },
    ]);
  });

  test("FROM keywords the grammar would misread as an alias or table are refused", () => {
    expect(() => analyzeSql("select 1 from accounts cross join plans", "postgres")).toThrow(/CROSS JOIN/);
    expect(() => analyzeSql("select 1 from accounts natural join plans", "postgres")).toThrow(/NATURAL JOIN/);
    expect(analyzeSql("select 1 from accounts a cross join plans", "postgres").relations[1]).toEqual({
      table: "plans",
      alias: "plans",
      join: "other",
      on: null,
    });
  });

  test("a materialized view aliased as a base table reports the view as the table read", () => {
    const facts = analyzeSql("select sum(invoices.net) from mv_invoices as invoices where invoices.tenant_id in ('a')", "postgres");
    expect(facts.relations).toEqual([{ table: "mv_invoices", alias: "invoices", join: "from", on: null }]);
    expect(facts.inPredicates).toMatchObject([{ column: "mv_invoices.tenant_id", values: ["a"] }]);
  });
});

describe("predicates", () => {
  test("a query without the tenant IN predicate has no inPredicates", () => {
    const facts = analyzeSql(COMPILED.replace("accounts.tenant_id in ('acme') and ", ""), "postgres");
    expect(facts.inPredicates).toEqual([]);
    expect(facts.conjuncts).toHaveLength(2);
  });

  test("a legacy tenant column is reported under that column", () => {
    const facts = analyzeSql(COMPILED.replace("accounts.tenant_id", "accounts.legacy_tenant_id"), "postgres");
    expect(facts.inPredicates).toMatchObject([{ column: "accounts.legacy_tenant_id", values: ["acme"] }]);
  });

  test("table aliases resolve to table names", () => {
    const facts = analyzeSql("select count(*) from accounts a join plans p on p.id = a.plan_id where a.tenant_id in ('x') and p.tier = 'gold'", "postgres");
    expect(facts.inPredicates).toMatchObject([{ column: "accounts.tenant_id", values: ["x"] }]);
    // The written form keeps the alias, so a detector can tell what the query said from what it read.
    expect(facts.inPredicates[0]?.written).toBe("a.tenant_id");
    expect(facts.comparisons).toMatchObject([{ column: "plans.tier", op: "=", value: "gold" }]);
    expect(facts.conjuncts).toEqual(["a.tenant_id in ('x')", "p.tier = 'gold'"]);
    expect(facts.tablesReferencedInExpressions).toEqual(["a", "p"]);
  });

  test("IN lists keep value types and unescape quotes; NOT IN and lists with NULL are not IN predicates", () => {
    const sql =
      "select 1 from t where t.a in ('o''brien', 2, 2.5, true) and t.b not in ('x') and t.c in ('y', null) and t.d in (select 1)";
    expect(analyzeSql(sql, "postgres").inPredicates).toMatchObject([{ column: "t.a", values: ["o'brien", 2, 2.5, true] }]);
  });

  test("a derived table or CTE named like a table does not make its columns that table's", () => {
    const derived = analyzeSql("select 1 from (select * from leads) accounts where accounts.tenant_id in ('acme')", "postgres");
    expect(derived.inPredicates).toEqual([]);
    expect(derived.relations).toEqual([{ table: "leads", alias: "leads", join: "other", on: null }]);
    const cte = analyzeSql("with accounts as (select * from leads) select 1 from accounts where accounts.tenant_id in ('acme')", "postgres");
    expect(cte.inPredicates).toEqual([]);
  });

  test("an unqualified column resolves only when one table is in FROM", () => {
    expect(analyzeSql("select 1 from accounts where tenant_id in ('x')", "postgres").inPredicates).toMatchObject([
      { column: "accounts.tenant_id", values: ["x"] },
    ]);
    expect(analyzeSql("select 1 from accounts join plans on true where tenant_id in ('x')", "postgres").inPredicates).toEqual([]);
  });

  test("timestamp comparisons give the literal's string; a literal on the left flips the operator", () => {
    const sql =
      "select count() from events where events.event_time >= timestamp '2026-06-17 07:00:00' " +
      "and timestamp '2026-06-18 07:00:00' > events.event_time and '2026-01-01'::date <= events.day and events.n != 3";
    expect(analyzeSql(sql, "duckdb").comparisons).toMatchObject([
      { column: "events.event_time", op: ">=", value: "2026-06-17 07:00:00" },
      { column: "events.event_time", op: "<", value: "2026-06-18 07:00:00" },
      { column: "events.day", op: ">=", value: "2026-01-01" },
      { column: "events.n", op: "<>", value: "3" },
    ]);
  });

  test("a predicate OR-ed with something else is not a conjunct, whatever the grouping", () => {
    // The parser alone would read this as (x or y) and tenant_in, hiding the bypass.
    const facts = analyzeSql("select 1 from accounts where 1 = 1 or accounts.x = 2 and accounts.tenant_id in ('acme')", "postgres");
    expect(facts.conjuncts).toEqual(["1 = 1 or accounts.x = 2 and accounts.tenant_id in ('acme')"]);
    expect(facts.inPredicates).toEqual([]);
  });

  test("parenthesised AND groups are split into conjuncts", () => {
    const facts = analyzeSql("select 1 from t where (t.a = 1 and (t.b = 2)) and (t.c = 3 or t.d = 4)", "postgres");
    expect(facts.conjuncts).toEqual(["t.a = 1", "t.b = 2", "t.c = 3 or t.d = 4"]);
  });
});

describe("limit and group by", () => {
  test("LIMIT with OFFSET keeps the limit; OFFSET alone and no LIMIT give null", () => {
    expect(analyzeSql("select 1 from t limit 10 offset 5", "postgres").limit).toBe(10);
    expect(analyzeSql("select 1 from t offset 5", "postgres").limit).toBeNull();
    expect(analyzeSql("select 1 from t", "postgres").limit).toBeNull();
  });

  test("group by expressions are canonical", () => {
    expect(analyzeSql("select 1 from t group by DATE_TRUNC( 'month', t.d ), 2", "postgres").groupBy).toEqual([
      "date_trunc('month', t.d)",
      "2",
    ]);
  });
});

describe("DuckDB", () => {
  test("ClickHouse-style calls, count() and interval arithmetic parse and print canonically", () => {
    const sql =
      "select count() as value, uniqExact(events.session_id) as sessions, cast(events.event_time - interval 7 hour as date) as day " +
      "from events where events.tenant_id in ('acme') group by cast(events.event_time - interval 7 hour as date) limit 50";
    const facts = analyzeSql(sql, "duckdb");
    expect(facts.selectItems).toEqual([
      { alias: "value", expression: "count()" },
      { alias: "sessions", expression: "uniqexact(events.session_id)" },
      { alias: "day", expression: "cast(events.event_time - interval 7 hour as date)" },
    ]);
    expect(facts.groupBy).toEqual(["cast(events.event_time - interval 7 hour as date)"]);
    expect(facts.relations).toEqual([{ table: "events", alias: "events", join: "from", on: null }]);
    expect(facts.selectItems[2]!.expression).toBe(canonicalExpression("CAST(events.event_time - INTERVAL 7 HOUR AS DATE)", "duckdb"));
    expect(facts.selectItems[1]!.expression).not.toBe(canonicalExpression("count(events.session_id)", "duckdb"));
  });
});

describe("rejections", () => {
  test("non-SELECT statements throw", () => {
    expect(() => analyzeSql("delete from x", "postgres")).toThrow(/SELECT.*DELETE/);
    expect(() => analyzeSql("update x set a = 1", "duckdb")).toThrow(/UPDATE/);
  });

  test("two statements throw", () => {
    expect(() => analyzeSql("select 1; select 2", "postgres")).toThrow(/exactly one.*found 2/);
  });

  test("unparsable SQL throws with a position", () => {
    expect(() => analyzeSql("select from where", "postgres")).toThrow(/does not parse.*line 1/);
  });

  test("set operations and SELECT INTO throw", () => {
    expect(() => analyzeSql("select a from t union select b from u", "postgres")).toThrow(/UNION/);
    expect(() => analyzeSql("select a into b from t", "postgres")).toThrow(/INTO/);
  });
});

describe("canonicalExpression", () => {
  const canon = (sql: string) => canonicalExpression(sql, "postgres");

  test("whitespace, keyword and function-name case and redundant parentheses do not matter", () => {
    expect(canon("COUNT(  DISTINCT support_tickets.id )")).toBe(canon("count(distinct support_tickets.id)"));
    expect(canon("(sum(x.y)) * 2")).toBe(canon("SUM(x.y) * 2"));
    expect(canon("((a.b = 1))")).toBe(canon("a.b = 1"));
    expect(canon("Date_Trunc('month', invoices.invoice_date)")).toBe("date_trunc('month', invoices.invoice_date)");
    expect(canon("UNIQEXACT(events.session_id)")).toBe(canon("uniqExact(events.session_id)"));
  });

  test("removing DISTINCT changes the expression", () => {
    expect(canon("count(support_tickets.id)")).not.toBe(canon("count(distinct support_tickets.id)"));
  });

  test("uniqExact and count differ", () => {
    expect(canon("uniqExact(events.session_id)")).not.toBe(canon("count(events.session_id)"));
    expect(canon("count()")).not.toBe(canon("count(*)"));
  });

  test("FILTER clauses are kept", () => {
    const filtered = "count(distinct support_tickets.id) filter (where support_tickets.escalated)";
    expect(canon(filtered)).toBe(filtered);
    expect(canon(filtered)).not.toBe(canon("count(distinct support_tickets.id)"));
    expect(canon(filtered)).not.toBe(canon("count(distinct support_tickets.id) filter (where not support_tickets.escalated)"));
  });

  test("arguments, literals and identifier case are kept", () => {
    expect(canon("countIf(events.event_name = 'purchase')")).not.toBe(canon("countIf(events.event_name = 'Purchase')"));
    expect(canon("uniqExactIf(events.user_id, events.event_name = 'return')")).not.toBe(canon("uniqExactIf(events.session_id, events.event_name = 'return')"));
    expect(canon("sum(invoices.net_amount_cents)")).not.toBe(canon("sum(Invoices.net_amount_cents)"));
    expect(canon("date_trunc('month', invoices.invoice_date)")).not.toBe(canon("date_trunc('day', invoices.invoice_date)"));
    expect(canon("cast(events.event_time - interval 7 hour as date)")).not.toBe(canon("cast(events.event_time - interval 8 hour as date)"));
  });

  test("parentheses that change grouping are kept", () => {
    expect(canon("a - (b - c)")).toBe("a - (b - c)");
    expect(canon("(a - b) - c")).toBe("a - b - c");
    expect(canon("(a + b) * c")).not.toBe(canon("a + b * c"));
    expect(canon("(a or b) and c")).not.toBe(canon("a or b and c"));
  });

  test("DISTINCT in aggregates the grammar lacks it for is kept through the rewrite", () => {
    expect(canon("SUM( DISTINCT invoices.net )")).toBe("sum(distinct invoices.net)");
    expect(canon("sum(distinct invoices.net)")).not.toBe(canon("sum(invoices.net)"));
  });

  test("equivalent spellings of one operation agree", () => {
    expect(canon("events.t::date")).toBe(canon("cast(events.t as date)"));
    expect(canon("a.b != 1")).toBe(canon("a.b <> 1"));
    expect(canon("not (a.b = 1)")).toBe(canon("not a.b = 1"));
  });

  test("clauses hanging off operands and keyword-style calls are kept", () => {
    expect(canon("a.b like 'x%' escape '!'")).toBe("a.b like 'x%' escape '!'");
    expect(canon("a.b LIKE 'x%'")).not.toBe(canon("a.b like 'x%' escape '!'"));
    expect(canon("TRIM(BOTH ' ' FROM a.b)")).toBe("trim(both ' ' from a.b)");
  });

  test("anything other than one bare expression is rejected", () => {
    expect(() => canon("a.b as c")).toThrow(/alias/);
    expect(() => canon("a.b, a.c")).toThrow(/single SQL expression/);
    expect(() => canon("1 from t")).toThrow(/single SQL expression/);
    expect(() => canon("1; select 2")).toThrow(/exactly one/);
  });
});

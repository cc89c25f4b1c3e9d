import { describe, expect, test } from "bun:test";
import { analyzeSql } from "./analyze.ts";
import { DISTINCT_MARKER, rewriteAggregateDistinct } from "./distinct-rewrite.ts";

describe("rewriteAggregateDistinct", () => {
  test("renames only calls the grammar cannot take DISTINCT in", () => {
    expect(rewriteAggregateDistinct("select sum( distinct t.a ), count(distinct t.b) from t")).toBe(
      `select sum${DISTINCT_MARKER}(   t.a ), count(distinct t.b) from t`,
    );
    expect(rewriteAggregateDistinct("select count(distinct t.b) from t")).toBeUndefined();
  });

  test("leaves string literals, quoted identifiers and comments alone", () => {
    const sql = `select 'sum(distinct x)', "avg(distinct y)" from t -- max(distinct z)\n/* min(distinct w) */`;
    expect(rewriteAggregateDistinct(sql)).toBeUndefined();
  });

  test("refuses text that already holds the marker, so a real identifier cannot pose as DISTINCT", () => {
    expect(() => rewriteAggregateDistinct(`select sum${DISTINCT_MARKER}(x) from t`)).toThrow(/reserved/);
  });
});

describe("DISTINCT inside other aggregates end to end", () => {
  test("a query using sum(distinct ...) and a FILTER on count parses, keeping both", () => {
    const facts = analyzeSql(
      "select sum(distinct invoices.net) as value, count(invoices.id) filter (where invoices.paid) as paid from invoices where invoices.note = 'avg(distinct x)'",
      "postgres",
    );
    expect(facts.selectItems.map((item) => item.expression)).toEqual([
      "sum(distinct invoices.net)",
      "count(invoices.id) filter (where invoices.paid)",
    ]);
    expect(facts.comparisons).toMatchObject([{ column: "invoices.note", op: "=", value: "avg(distinct x)" }]);
  });

  test("a query that fails for another reason still reports the original syntax error", () => {
    expect(() => analyzeSql("select sum(distinct t.a) from t where", "postgres")).toThrow(/does not parse/);
  });
});

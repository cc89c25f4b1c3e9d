import { describe, expect, test } from "bun:test";
import { Prng } from "../random/prng.ts";
import { analyzeSql, factsOf } from "./analyze.ts";
import { printCanonical } from "./canonical.ts";
import { FAST_FUNCTIONS, parseFastSelect } from "./fast-select.ts";
import { asList, isNode } from "./node.ts";
import { parseSingleStatement } from "./parse.ts";

/** Facts and ORDER BY (the one clause the facts do not print) as the slow path reads `sql`. */
function slowReading(sql: string): string {
  const statement = parseSingleStatement(sql, "postgres");
  return JSON.stringify([factsOf(statement), asList(statement.orderby).map((o) => (isNode(o) ? printCanonical(o.expr) : ""))]);
}

function fastReading(sql: string): string | undefined {
  const statement = parseFastSelect(sql);
  if (!statement) return undefined;
  return JSON.stringify([factsOf(statement), asList(statement.orderby).map((o) => (isNode(o) ? printCanonical(o.expr) : ""))]);
}

/** Random SELECTs, mostly inside the fast subset and sometimes just outside it. */
class QueryMaker {
  constructor(private readonly rng: Prng) {}

  pick<T>(items: readonly T[]): T {
    return items[this.rng.below(items.length)]!;
  }

  chance(percent: number): boolean {
    return this.rng.below(100) < percent;
  }

  keyword(word: string): string {
    return this.pick([word, word, word.toUpperCase(), word[0]!.toUpperCase() + word.slice(1)]);
  }

  space(): string {
    return this.pick([" ", " ", " ", "  ", "\n", "\n  ", "\t"]);
  }

  column(): string {
    const name = this.pick(["id", "tenant_id", "value", "region", "month", "plan", "name", "status", "x1", "Amount"]);
    return this.chance(80) ? `${this.pick(["a", "b", "t", "accounts", "Ev"])}.${name}` : name;
  }

  literal(): string {
    return this.pick([
      "0", "7", "100", "12345", "3.5", "1.50", "0.25",
      "'acme'", "'it''s'", "''", "'a b'", "'2026-05-01'",
      "true", "false", "null",
      "date '2026-05-01'", "timestamp '2026-06-17 07:00:00'",
    ]);
  }

  call(depth: number): string {
    const kind = this.rng.below(6);
    if (kind === 0) return `${this.keyword("count")}(*)`;
    if (kind === 1) return `${this.keyword("count")}(${this.keyword("distinct")} ${this.column()})`;
    if (kind === 2) {
      const aggregate = this.pick(["sum", "avg", "min", "max", "count"]);
      return `${this.keyword(aggregate)}(${this.expr(depth + 1)}) ${this.keyword("filter")} (${this.keyword("where")} ${this.predicate(depth + 1)})`;
    }
    if (kind === 3) return `${this.keyword(this.pick(["sum", "avg", "min", "max", "count"]))}(${this.expr(depth + 1)})`;
    if (kind === 4) return `${this.keyword("cast")}(${this.expr(depth + 1)} ${this.keyword("as")} ${this.keyword(this.pick(["date", "timestamp", "integer", "bigint", "text", "varchar", "boolean"]))})`;
    const name = this.pick([...FAST_FUNCTIONS, "uniqExactIf", "countIf", "date_trunc"]);
    const args = Array.from({ length: this.rng.below(4) }, () => (this.chance(30) ? this.predicate(depth + 1) : this.expr(depth + 1)));
    return `${name}(${args.join(", ")})`;
  }

  expr(depth = 0): string {
    const roll = this.rng.below(depth > 2 ? 2 : 5);
    if (roll === 0) return this.column();
    if (roll === 1) return this.literal();
    if (roll === 2) return this.call(depth);
    if (roll === 3) return `${this.expr(depth + 1)} ${this.pick(["+", "-", "*", "/", "%"])} ${this.expr(depth + 1)}`;
    return `(${this.expr(depth + 1)})`;
  }

  predicate(depth = 0): string {
    const roll = this.rng.below(depth > 2 ? 6 : 10);
    const x = this.expr(depth + 1);
    switch (roll) {
      case 0:
        return `${x} ${this.pick(["=", "<>", "!=", "<", ">", "<=", ">="])} ${this.expr(depth + 1)}`;
      case 1:
        return `${x} ${this.chance(30) ? `${this.keyword("not")} ` : ""}${this.keyword("in")} (${Array.from({ length: 1 + this.rng.below(3) }, () => this.literal()).join(", ")})`;
      case 2:
        return `${x} ${this.chance(30) ? `${this.keyword("not")} ` : ""}${this.keyword("between")} ${this.literal()} ${this.keyword("and")} ${this.literal()}`;
      case 3:
        return `${x} ${this.chance(30) ? `${this.keyword("not")} ` : ""}${this.keyword("like")} '${this.pick(["a%", "%b_", "x"])}'`;
      case 4:
        return `${x} ${this.keyword("is")} ${this.chance(50) ? `${this.keyword("not")} ` : ""}${this.keyword("null")}`;
      case 5:
        return `${this.column()} ${this.pick(["=", ">="])} ${this.literal()}`;
      case 6:
        return `${this.keyword("not")} ${this.predicate(depth + 1)}`;
      case 7:
        return `(${this.predicate(depth + 1)})`;
      default:
        return `${this.predicate(depth + 1)} ${this.keyword(this.pick(["and", "or"]))} ${this.predicate(depth + 1)}`;
    }
  }

  table(): string {
    const name = this.pick(["accounts", "events", "t", "support_tickets"]);
    const alias = this.rng.below(3);
    return alias === 0 ? name : alias === 1 ? `${name} ${this.pick(["a", "b", "Ev"])}` : `${name} ${this.keyword("as")} ${this.pick(["a", "b", "Ev"])}`;
  }

  /** Constructs just outside the subset, spliced in now and then: the fast path must refuse them or agree. */
  oddity(): string {
    return this.pick([
      " -- note\n", " /* note */ ", ";", " \"Quoted\".id", " a::date", " (select 1)", " having count(*) > 1",
      " offset 3", " nulls last", " -1", " = 1 = 1", " over ()", " e'x'", " $1", " a.b.c", " union select 1",
      " exists", " 1e3", " 007", " x . y", " < = 1", " ! = 2", " interval 7 hour", " trim(a.x)", " left(a.x, 2)",
    ]);
  }

  query(): string {
    const items = Array.from({ length: 1 + this.rng.below(3) }, () => `${this.chance(25) ? this.predicate(1) : this.expr()} ${this.keyword("as")} ${this.pick(["value", "region", "v2", "month", "cohort_size"])}`);
    let sql = `${this.keyword("select")} ${items.join(", ")} ${this.keyword("from")} ${this.table()}`;
    for (let j = this.rng.below(3); j > 0; j--) {
      const join = this.pick(["left join", "left outer join", "inner join", "join"]).split(" ").map((w) => this.keyword(w)).join(" ");
      sql += `${this.space()}${join} ${this.table()} ${this.keyword("on")} ${this.predicate(1)}`;
    }
    if (this.chance(80)) sql += `${this.space()}${this.keyword("where")} ${this.predicate()}`;
    if (this.chance(50)) sql += `${this.space()}${this.keyword("group")} ${this.keyword("by")} ${[this.column(), "2"].slice(0, 1 + this.rng.below(2)).join(", ")}`;
    if (this.chance(50)) sql += `${this.space()}${this.keyword("order")} ${this.keyword("by")} ${this.pick(["2", "1 desc", `${this.column()} asc`, "2, 1"])}`;
    if (this.chance(70)) sql += `${this.space()}${this.keyword("limit")} ${this.pick(["100", "1", "0", "500"])}`;
    if (this.chance(15)) {
      const at = this.rng.below(sql.length);
      sql = sql.slice(0, at) + this.oddity() + sql.slice(at);
    }
    return sql;
  }
}

describe("the fast SELECT parser", () => {
  test("reads generated queries as node-sql-parser does, or leaves them to it", () => {
    const maker = new QueryMaker(new Prng(20261121));
    let accepted = 0;
    let total = 0;
    const mismatches: string[] = [];
    for (let k = 0; k < 1500; k++) {
      const sql = maker.query();
      total++;
      const fast = fastReading(sql);
      if (fast === undefined) continue;
      accepted++;
      let slow: string;
      try {
        slow = slowReading(sql);
      } catch (error) {
        mismatches.push(`${sql}\n  fast accepted, node-sql-parser: ${(error as Error).message}`);
        continue;
      }
      if (slow !== fast) mismatches.push(`${sql}\n  fast: ${fast}\n  slow: ${slow}`);
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    // The comparison means something only if most queries took the fast path.
    expect(accepted / total).toBeGreaterThan(0.6);
  }, 60_000);

  test("each function it takes is a plain call in node-sql-parser too", () => {
    for (const name of FAST_FUNCTIONS) {
      for (const args of ["", "t.a", "t.a, 'x'", "t.a, 2, t.b = 1"]) {
        const sql = `select ${name}(${args}) as v from t where ${name}(${args}) >= 1 limit 5`;
        expect(fastReading(sql)).toBeDefined();
        expect(fastReading(sql)).toBe(slowReading(sql));
      }
    }
  });

  test("refuses what it does not model, so node-sql-parser reads it", () => {
    for (const sql of [
      "select a.x as v from t a where a.y in (select 1)",
      "with c as (select 1 as x) select c.x as v from c",
      "select a.x as v from t a union select 1 as v from t",
      "select sum(a.x) over () as v from t a",
      'select "A".x as v from t "A"',
      "select a.x::date as v from t a",
      "select a.x v from t a",
      "select a.x as v from t a -- why\n",
      "select a.x as v from t a;",
      "select a.x as v from t a, u b",
      "select a.x as v from t a right join u b on b.id = a.id",
      "select a.x as v from t a where a.y = 1 = 1",
      "select a.x as v from t a where a.y < = 1",
      "select sum(distinct a.x) as v from t a",
      "select trim(a.x) as v from t a",
      "select a.x as v from t a order by 1 nulls last",
      "select a.x as v from t a limit 1 offset 2",
      "select -a.x as v from t a",
      "select a.x as v from t a where a.y = e'x'",
      "select a.x as v from s.t a",
      "select distinct a.x as v from t a",
      "select * from t",
      "select a.x as v from t a where a.y = 'abc''",
      "select a.x as v from t a where a.y =\u00a0'x'",
      "select a.x as v from t a where a.y = 1abc",
      "select a.x as v from t a where a.d = date'2026-01-01'",
      "select a.x as v from t a where a.y = 1e3",
      "select a.x as v from t a where a.y ! 1",
    ]) {
      expect(parseFastSelect(sql)).toBeUndefined();
    }
  });

  test("analyzeSql takes the fast path and still refuses what is not a single SELECT", () => {
    const sql = "select count(distinct e.user_id) as value from events e where e.project_id in ('p') and (e.x = 1 or e.y = 2 and e.z = 3) limit 100";
    expect(parseFastSelect(sql)).toBeDefined();
    expect(analyzeSql(sql, "duckdb")).toEqual(JSON.parse(JSON.stringify(factsOf(parseSingleStatement(sql, "duckdb")))));
    // AND binds tighter than OR: the OR is one conjunct, not a way around the tenant predicate.
    expect(analyzeSql(sql, "duckdb").conjuncts).toEqual(["e.project_id in ('p')", "e.x = 1 or e.y = 2 and e.z = 3"]);
    expect(() => analyzeSql("select 1 as v from t; select 2 as v from t", "postgres")).toThrow(/exactly one SQL statement/);
    expect(() => analyzeSql("select a.x as v from where", "postgres")).toThrow(/does not parse/);
  });
});

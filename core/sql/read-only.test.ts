import { describe, expect, test } from "bun:test";
import { assertReadOnlySelect } from "./read-only.ts";

describe("assertReadOnlySelect accepts", () => {
  test("a compiled SELECT, a WITH ... SELECT and a UNION of SELECTs", () => {
    expect(() =>
      assertReadOnlySelect(
        "select count(distinct t.id) as value from tickets t where t.tenant_id in ('acme') group by t.region limit 10",
        "postgres",
      ),
    ).not.toThrow();
    expect(() => assertReadOnlySelect("with r as (select id from t) select count(*) from r", "postgres")).not.toThrow();
    expect(() => assertReadOnlySelect("select a from t union all select b from u", "duckdb")).not.toThrow();
  });

  test("a trailing semicolon and comments", () => {
    expect(() => assertReadOnlySelect("-- report\nselect 1 /* note */;", "postgres")).not.toThrow();
  });

  test("function names that only contain a denied name as text", () => {
    expect(() => assertReadOnlySelect("select 'pg_sleep(10)' as note, lower(t.x) from t", "postgres")).not.toThrow();
  });
});

describe("assertReadOnlySelect rejects", () => {
  test("writes and DDL", () => {
    expect(() => assertReadOnlySelect("delete from t", "postgres")).toThrow(/only SELECT.*DELETE/);
    expect(() => assertReadOnlySelect("insert into t values (1)", "postgres")).toThrow(/INSERT/);
    expect(() => assertReadOnlySelect("update t set a = 1", "duckdb")).toThrow(/UPDATE/);
    expect(() => assertReadOnlySelect("create table x as select 1", "postgres")).toThrow(/CREATE/);
  });

  test("more than one statement, or none", () => {
    expect(() => assertReadOnlySelect("select 1; select 2", "postgres")).toThrow(/exactly one statement, found 2/);
    expect(() => assertReadOnlySelect("select 1; delete from t", "postgres")).toThrow(/exactly one statement/);
    expect(() => assertReadOnlySelect("   ", "postgres")).toThrow(/found 0/);
  });

  test("a data-modifying CTE", () => {
    expect(() => assertReadOnlySelect("with d as (insert into t values (1) returning *) select * from d", "postgres")).toThrow(
      /nested INSERT/,
    );
  });

  test("SELECT INTO", () => {
    expect(() => assertReadOnlySelect("select a into backup from t", "postgres")).toThrow(/SELECT INTO/);
  });

  test("locking clauses, named in the error", () => {
    expect(() => assertReadOnlySelect("select a from t where t.b = 1 for update", "postgres")).toThrow(/FOR UPDATE/);
    expect(() => assertReadOnlySelect("select a from t for no key update nowait", "postgres")).toThrow(/FOR NO KEY UPDATE/);
    expect(() => assertReadOnlySelect("select a from t for share", "postgres")).toThrow(/FOR SHARE/);
  });

  test("a syntax error that is not a locking clause stays a syntax error", () => {
    expect(() => assertReadOnlySelect("select a from t where b = 'for update' and", "postgres")).toThrow(/does not parse/);
  });

  test("denied functions anywhere, in any case or schema", () => {
    expect(() => assertReadOnlySelect("select pg_sleep(5)", "postgres")).toThrow(/function pg_sleep/);
    expect(() => assertReadOnlySelect("select 1 from t where t.a in (select PG_CATALOG.PG_SLEEP(1))", "postgres")).toThrow(/pg_sleep/);
    expect(() => assertReadOnlySelect("select set_config('role', 'admin', false)", "postgres")).toThrow(/set_config/);
    expect(() => assertReadOnlySelect("select * from dblink('host=x', 'select 1')", "postgres")).toThrow(/dblink/);
    expect(() => assertReadOnlySelect("select lo_import('/etc/passwd')", "postgres")).toThrow(/lo_import/);
    expect(() => assertReadOnlySelect("select count(*) from t where pg_read_file('x') is not null", "postgres")).toThrow(/pg_read_file/);
    expect(() => assertReadOnlySelect("select * from read_csv('/etc/passwd')", "duckdb")).toThrow(/read_csv/);
  });
});

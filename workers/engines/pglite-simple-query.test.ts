import { afterAll, beforeAll, expect, test } from "bun:test";
import type { PGlite } from "@electric-sql/pglite";
import { createPglite } from "./pglite-snapshot.ts";
import { PgliteStatementError, simpleQuery } from "./pglite-simple-query.ts";

let pg: PGlite;

beforeAll(async () => {
  // A parser of our own, as the engine has: the simple-query path must use the instance's.
  pg = await createPglite({ parsers: { 20: (text: string) => `int8:${text}` } });
  await pg.exec(`
    create table t (id int8 primary key, n numeric, f float8, b bool, s text, d date, ts timestamp, tz timestamptz, j jsonb, a int4[], u uuid, by bytea);
    insert into t values
      (1, 12.50, 0.25, true, 'Zürich — 東京 😀', '2024-02-29', '2024-02-29 10:11:12', '2024-02-29 10:11:12+02', '{"k": [1, "x"]}', '{1,2,3}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\\x00ff'),
      (2, null, null, null, null, null, null, null, null, null, null, null);
    create role reader nologin;
    grant select (id, s) on t to reader;
  `);
});

afterAll(async () => {
  await pg.close();
});

/** What PGlite's own exec returns, in the same shape. */
const viaExec = async (sql: string) => (await pg.exec(sql)).map((r) => ({ rows: r.rows, fields: r.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })) }));

async function errorOf(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
}

test("rows, columns and parsed values are what exec returns, for every type and for nulls", async () => {
  for (const sql of [
    "select * from t order by id",
    "select id, id as id, s as id from t order by 1", // the same name twice: the last value, at the first key's place
    "select 1 as x where false",
    "select count(*), sum(n), avg(f) from t",
    "select json_build_object('a', 1) as o, array['x', null] as arr, interval '1 day' as i, 'NaN'::float8 as nan",
  ]) {
    expect(simpleQuery(pg, sql)).toEqual(await viaExec(sql));
  }
  const [row] = simpleQuery(pg, "select id, j, a from t where id = 1")[0]!.rows;
  expect(row).toEqual({ id: "int8:1", j: { k: [1, "x"] }, a: [1, 2, 3] });
});

test("several statements give one result per statement, settings and empty statements included", async () => {
  const sql = "begin; set local role reader; select id, s from t order by id; ; select current_user as who; rollback";
  const results = simpleQuery(pg, sql);
  expect(results).toEqual(await viaExec(sql));
  expect(results.map((r) => r.rows.length)).toEqual([0, 0, 2, 1, 0]);
  expect(results[3]!.rows[0]).toEqual({ who: "reader" });
  // Notices carry no rows.
  const notice = "do $$ begin raise notice 'hello'; end $$; select 7 as seven";
  expect(simpleQuery(pg, notice)).toEqual(await viaExec(notice));
});

test("a refused statement throws exec's message, skips the rest, and the session goes on", async () => {
  const bad = "begin; set local role reader; select d from t; select 1 as after";
  const message = await errorOf(() => simpleQuery(pg, bad));
  simpleQuery(pg, "rollback");
  expect(message).toBe(await errorOf(() => pg.exec(bad)));
  await pg.exec("rollback");
  expect(message).toContain("permission denied");
  expect(await errorOf(() => simpleQuery(pg, "select nope from t"))).toBe('column "nope" does not exist');
  expect(() => simpleQuery(pg, "select 1 +")).toThrow(PgliteStatementError);
  expect(simpleQuery(pg, "select 2 as two")[0]!.rows).toEqual([{ two: 2 }]);
  // An empty query has no result of its own, as with exec.
  expect(simpleQuery(pg, "")).toEqual(await viaExec(""));
});

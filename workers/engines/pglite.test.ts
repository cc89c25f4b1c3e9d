import { afterAll, beforeAll, expect, test } from "bun:test";
import { type DatabaseKnobs, REFERENCE_STACK } from "../../core/stack/variant.ts";
import { loadDomain } from "../../suites/load-domain.ts";
import type { Session } from "./engine.ts";
import { PgliteEngine, SHARED_BUFFERS } from "./pglite.ts";

// Prepared queries through the simple-query path against plain ones through PGlite's exec, on the
// same workload: every answer must be the same.
const domain = loadDomain("support_saas");
let prepared: PgliteEngine;
let plain: PgliteEngine;

beforeAll(async () => {
  prepared = await PgliteEngine.open(domain.policy, domain.database, domain.sql);
  plain = await PgliteEngine.open(domain.policy, domain.database, domain.sql, { prepareQueries: false, directProtocol: false });
});
afterAll(async () => {
  await prepared.close();
  await plain.close();
});

const sessions: (Session | null)[] = [
  null,
  ...Object.values(domain.policy.principals).map((p) => ({ role: p.role, tenantIds: p.tenant_ids })),
];
// The legacy variant binds policies to another key: the same text must not reuse the other variant's plan.
const variants: DatabaseKnobs[] = [REFERENCE_STACK.database, { ...REFERENCE_STACK.database, policyKey: "legacy" }];
const queries = [
  "select count(*) as n from accounts",
  "select count(*) as n, sum(net_amount_cents) as cents from invoices",
  "select region, count(*) as n from accounts group by region order by region",
  "select customer_email from accounts order by 1", // denied to roles without the column grant
  "select count(*) as n from accounts -- a trailing comment",
  "select 1 as a; select 2 as b", // two statements: the last one answers
  "select no_such_column from accounts",
  "select 1/0 as boom",
];

async function workload(engine: PgliteEngine): Promise<unknown[]> {
  const answers: unknown[] = [];
  const all = await engine.rows();
  const ask = async () => {
    for (const variant of variants) {
      for (const session of sessions) for (const sql of queries) answers.push(await engine.query(variant, session, sql));
    }
  };
  await ask();
  // The same statements on smaller and smaller states, then the full state again.
  for (const size of [all.length - 3, Math.floor(all.length / 2), 2]) {
    await engine.withRows(all.slice(0, size), variants, async () => {
      await ask();
      // Statements first seen inside a reduced state, failing ones among them, prepared there.
      for (const session of sessions) {
        for (const sql of [`select count(*) + ${size} as n from accounts`, `select no_such_column_${size} from accounts`, `select customer_email, ${size} as k from accounts`]) {
          answers.push(await engine.query(REFERENCE_STACK.database, session, sql));
          answers.push(await engine.query(REFERENCE_STACK.database, session, "select count(*) as n from accounts"));
        }
      }
    });
  }
  await ask();
  return answers;
}

test("prepared queries on the simple-query path and plain ones through exec give the same rows and errors, across states, sessions, roles and variants", async () => {
  const expected = await workload(plain);
  const actual = await workload(prepared);
  expect(actual).toHaveLength(expected.length);
  expect(actual).toEqual(expected);
  // The workload has both kinds of answer, so the comparison means something.
  expect(expected.some((a) => (a as { kind: string }).kind === "error")).toBe(true);
  expect(new Set(expected.map((a) => JSON.stringify(a))).size).toBeGreaterThan(20);
}, 60_000);

test("statements dropped to keep the cache small are prepared again when needed", async () => {
  const sql = (k: number) => `select count(*) + ${k} as n from accounts`;
  const session = sessions[1]!;
  const ask = (engine: PgliteEngine, k: number) => engine.query(REFERENCE_STACK.database, session, sql(k));
  // Each statement twice: a statement is prepared on its second run.
  const twice = async (k: number) => {
    for (let run = 0; run < 2; run++) expect(await ask(prepared, k)).toEqual(await ask(plain, k));
  };
  for (let k = 0; k < 300; k++) await twice(k);
  for (let k = 0; k < 300; k += 37) expect(await ask(prepared, k)).toEqual(await ask(plain, k));
  // Evictions inside a reduced state must leave its transaction usable.
  const kept = (await prepared.rows()).slice(0, 5);
  await prepared.withRows(kept, [REFERENCE_STACK.database], () =>
    plain.withRows(kept, [REFERENCE_STACK.database], async () => {
      for (let k = 300; k < 600; k++) await twice(k);
    }),
  );
  expect(await ask(prepared, 0)).toEqual(await ask(plain, 0));
}, 60_000);

test("a query is prepared on its second run, not its first: most run only once", async () => {
  // Counts the statements holding the query's marker (the count itself spells it otherwise), each
  // count with its own text, so that counting prepares nothing of its own.
  let counts = 0;
  const preparedNow = async () => {
    const result = await prepared.query(
      REFERENCE_STACK.database,
      null,
      `select count(*)::int as n, ${counts++} as k from pg_prepared_statements where strpos(statement, 'second' || ' run') > 0`,
    );
    if (result.kind !== "rows") throw new Error(result.error);
    return result.rows[0]!.n as number;
  };
  const session = sessions[1]!;
  const sql = "select count(*) as n, 'second run' as k from accounts";
  const before = await preparedNow();
  expect(before).toBe(0);
  const first = await prepared.query(REFERENCE_STACK.database, session, sql);
  expect(await preparedNow()).toBe(before);
  const second = await prepared.query(REFERENCE_STACK.database, session, sql);
  expect(await preparedNow()).toBe(before + 1);
  const third = await prepared.query(REFERENCE_STACK.database, session, sql);
  expect(await preparedNow()).toBe(before + 1);
  expect(second).toEqual(first);
  expect(third).toEqual(first);
  expect(first).toEqual(await plain.query(REFERENCE_STACK.database, session, sql));
}, 60_000);

test("inside a reduced state, a failing query leaves the state, the role and the settings as they were", async () => {
  const all = await prepared.rows();
  const kept = all.filter((r) => r.table !== "accounts" || r.key === all.find((a) => a.table === "accounts")!.key);
  const unrestricted = (sql: string) => prepared.query(REFERENCE_STACK.database, null, sql);
  const outside = await unrestricted("select current_user as who, current_setting('search_path') as path");
  await prepared.withRows(kept, [REFERENCE_STACK.database], async () => {
    for (const session of sessions) {
      for (const failing of ["select 1/0 as boom", "select no_such_column from accounts", "select count(*) from accounts; select 1/0"]) {
        expect((await prepared.query(REFERENCE_STACK.database, session, failing)).kind).toBe("error");
        expect(await unrestricted("select count(*) as n from accounts")).toEqual({ kind: "rows", rows: [{ n: 1 }] });
        expect(await unrestricted("select current_user as who, current_setting('search_path') as path")).toEqual(outside);
      }
    }
  });
  expect(await unrestricted("select count(*) as n from accounts")).toEqual({
    kind: "rows",
    rows: [{ n: all.filter((r) => r.table === "accounts").length }],
  });
}, 60_000);

test("PGlite runs with the small buffer pool, and data larger than the pool still reads back whole", async () => {
  const unrestricted = (sql: string) => prepared.query(REFERENCE_STACK.database, null, sql);
  expect(await unrestricted("select current_setting('shared_buffers') as sb")).toEqual({ kind: "rows", rows: [{ sb: SHARED_BUFFERS }] });
  // About 40 MB of rows in 16 MB of buffers: pages are evicted to the file system and read back.
  const big =
    "create table strata_big as select g, repeat(md5(g::text), 3) as s from generate_series(1, 300000) g; " +
    "select count(*) as n, count(distinct s) as d, sum(length(s)) as total, pg_relation_size('strata_big') > 32 * 1024 * 1024 as larger from strata_big";
  expect(await unrestricted(big)).toEqual({ kind: "rows", rows: [{ n: 300000, d: 300000, total: 28800000, larger: true }] });
  // The table went with the query's rollback.
  expect((await unrestricted("select count(*) from strata_big")).kind).toBe("error");
}, 60_000);

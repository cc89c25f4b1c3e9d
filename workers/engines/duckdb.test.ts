import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Domain } from "../../core/domain/domain.ts";
import { REFERENCE_STACK } from "../../core/stack/variant.ts";
import { loadDomain } from "../../suites/load-domain.ts";
import { DuckdbEngine } from "./duckdb.ts";
import type { RowRef } from "./engine.ts";

const REFERENCE = REFERENCE_STACK.database;

async function rowsOf(engine: DuckdbEngine, sql: string) {
  const result = await engine.query(REFERENCE, null, sql);
  if (result.kind !== "rows") throw new Error(`query failed: ${result.error}`);
  return result.rows;
}

describe("DuckdbEngine", () => {
  let domain: Domain;
  let engine: DuckdbEngine;
  beforeAll(async () => {
    domain = loadDomain("analytics_clickhouse");
    engine = await DuckdbEngine.open(domain.policy, domain.database, domain.sql);
  });
  afterAll(() => engine.close());

  test("results of more than one chunk come back whole and in order", async () => {
    const rows = await rowsOf(engine, "select range as n, 'r' || range as label from range(5000) order by 1");
    expect(rows.length).toBe(5000);
    expect(rows[0]).toEqual({ n: 0, label: "r0" });
    expect(rows[4999]).toEqual({ n: 4999, label: "r4999" });
    // Prepared the second time round: same rows.
    expect(await rowsOf(engine, "select range as n, 'r' || range as label from range(5000) order by 1")).toEqual(rows);
  });

  test("base tables keep their rows, order and types without their key constraints", async () => {
    const constraints = await rowsOf(engine, "select table_name as t from duckdb_constraints() where schema_name = 'strata_base' and constraint_type = 'PRIMARY KEY'");
    expect(constraints).toEqual([]);
    // The same schema and seed loaded as written, constraints and all.
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const plain = await (await DuckDBInstance.create(":memory:")).connect();
    await plain.run(domain.sql.schema);
    await plain.run(domain.sql.seed);
    for (const table of Object.keys(domain.database.tables)) {
      const expected = (await plain.runAndReadAll(`select to_json(${table}) as j from ${table}`)).getRowObjectsJS().map((r) => String(r.j));
      const actual = (await rowsOf(engine, `select cast(to_json(${table}) as varchar) as j from ${table}`)).map((r) => String(r.j));
      expect(actual).toEqual(expected);
      const types = `select column_name as c, data_type as d from information_schema.columns where table_name = '${table}' order by ordinal_position`;
      expect(await rowsOf(engine, types.replace("where", "where table_schema = 'strata_base' and"))).toEqual(
        (await plain.runAndReadAll(types)).getRowObjectsJS().map((r) => ({ c: String(r.c), d: String(r.d) })),
      );
    }
    plain.closeSync();
  });

  test("a reduction sees only the kept rows, and the full state comes back after it", async () => {
    const all = await engine.rows();
    const keep: RowRef[] = all.filter((r) => r.table === "projects").slice(0, 1);
    const inside = await engine.withRows(keep, [REFERENCE], async () => ({
      projects: await rowsOf(engine, "select id from projects"),
      events: await rowsOf(engine, "select count(*) as n from events"),
    }));
    expect(inside).toEqual({ projects: [{ id: keep[0]!.key }], events: [{ n: 0 }] });
    expect((await engine.rows()).length).toBe(all.length);
  });

  test("states one after another each hold exactly their rows, also after a failure and views made inside one", async () => {
    const all = await engine.rows();
    const held = async () => {
      const refs: string[] = [];
      for (const [table, spec] of Object.entries(domain.database.tables)) {
        for (const row of await rowsOf(engine, `select cast(${spec.key} as varchar) as k from ${table}`)) refs.push(`${table}/${row.k}`);
      }
      return refs.sort();
    };
    const names = (rows: RowRef[]) => [...new Set(rows.map((r) => `${r.table}/${r.key}`))].sort();
    const events = all.filter((r) => r.table === "events");
    const states: RowRef[][] = [
      all,
      [],
      events,
      all.filter((_, i) => i % 3 === 0),
      all.filter((_, i) => i % 3 !== 0),
      [...all.slice(0, 4), ...all.slice(0, 2), { table: "events", key: "no-such-key" }],
      events.slice(1),
    ];
    for (const state of states) expect(await engine.withRows(state, [REFERENCE], held)).toEqual(names(state.filter((r) => r.key !== "no-such-key")));
    await expect(engine.withRows(events.slice(0, 2), [REFERENCE], async () => {
      throw new Error("boom");
    })).rejects.toThrow("boom");
    expect(await engine.withRows(events.slice(0, 3), [REFERENCE], held)).toEqual(names(events.slice(0, 3)));
    // A variant first used inside a state: its views go with that state, and come back whole after it.
    const legacy = { ...REFERENCE, policyKey: "legacy" as const };
    const principal = Object.values(domain.policy.principals)[0]!;
    const session = { role: principal.role, tenantIds: principal.tenant_ids };
    const count = "select count(*) as n from events";
    const inside = await engine.withRows([], [REFERENCE, legacy], () => engine.query(legacy, session, count));
    expect(inside).toEqual({ kind: "rows", rows: [{ n: 0 }] });
    const outside = await engine.query(legacy, session, count);
    expect(outside.kind === "rows" && Number(outside.rows[0]!.n)).toBeGreaterThan(0);
    expect(await held()).toEqual(names(all));
  });
});

describe("DuckdbEngine on a schema with foreign keys", () => {
  test("a parent row can be reduced away before its children: constraints are dropped child first", async () => {
    const domain = loadDomain("analytics_clickhouse");
    // Sessions and events both point at projects: projects can only be rebuilt after them.
    const schema = domain.sql.schema
      .replace(/(create table sessions \([^;]*?project_id varchar not null)/, "$1 references projects(id)")
      .replace(/(create table events \([^;]*?project_id varchar not null)/, "$1 references projects(id)");
    expect(schema).toContain("references projects(id)");
    const engine = await DuckdbEngine.open(domain.policy, domain.database, { ...domain.sql, schema });
    try {
      const all = await engine.rows();
      const oneSession = all.filter((r) => r.table === "sessions").slice(0, 1);
      const count = await engine.withRows(oneSession, [REFERENCE], () => rowsOf(engine, "select count(*) as n from projects"));
      expect(count).toEqual([{ n: 0 }]);
      const constraints = await rowsOf(engine, "select count(*) as n from duckdb_constraints() where schema_name = 'strata_base' and constraint_type in ('PRIMARY KEY', 'FOREIGN KEY')");
      expect(constraints).toEqual([{ n: 0 }]);
    } finally {
      await engine.close();
    }
  });
});

describe("DuckdbEngine: prepared statements run without binding their session first", () => {
  // The same workload on an engine that binds the session before every query: all answers equal.
  const domain = loadDomain("analytics_clickhouse");
  let fast: DuckdbEngine;
  let bound: DuckdbEngine;
  beforeAll(async () => {
    fast = await DuckdbEngine.open(domain.policy, domain.database, domain.sql);
    bound = await DuckdbEngine.open(domain.policy, domain.database, domain.sql, { bindEveryQuery: true });
  });
  afterAll(async () => {
    await fast.close();
    await bound.close();
  });

  const sessions = [null, ...Object.values(domain.policy.principals).map((p) => ({ role: p.role, tenantIds: p.tenant_ids }))];
  const variants = [REFERENCE, { ...REFERENCE, policyKey: "legacy" as const }, { ...REFERENCE, policiesOnlyForReadOnlyRole: true }];
  const queries = [
    "select count(*) as n from events",
    "select project_id, count(*) as n from events group by 1 order by 1",
    "select count(*) as n from sessions",
    "select no_such_column from events",
  ];

  async function workload(engine: DuckdbEngine): Promise<unknown[]> {
    const answers: unknown[] = [];
    // Sessions alternate query by query, as a reduction's unrestricted and session queries do.
    const ask = async () => {
      for (const sql of queries) {
        for (const variant of variants) {
          for (const session of sessions) {
            answers.push(await engine.query(variant, session, sql));
            if (session) answers.push(await engine.probe(variant, session));
          }
        }
      }
    };
    await ask();
    const all: RowRef[] = await engine.rows();
    for (const size of [all.length - 5, Math.floor(all.length / 3), 3]) await engine.withRows(all.slice(0, size), variants, ask);
    await ask();
    return answers;
  }

  test("same rows, probes and errors across sessions, variants and states", async () => {
    const expected = await workload(bound);
    const actual = await workload(fast);
    expect(actual).toEqual(expected);
    expect(new Set(expected.map((a) => JSON.stringify(a))).size).toBeGreaterThan(20);
  }, 60_000);
});

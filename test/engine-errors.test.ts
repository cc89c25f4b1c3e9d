import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { REFERENCE_STACK } from "../core/stack/variant.ts";
import { loadDomain } from "../suites/load-domain.ts";
import type { Engine } from "../workers/engines/engine.ts";
import { openEngine } from "../workers/open-engine.ts";

describe.each(["support_saas", "analytics_clickhouse"])("%s engine: a failing query inside a reduced state", (name) => {
  const domain = loadDomain(name);
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine(domain);
  });
  afterAll(() => engine.close());

  test("reports its own error, and the next query still runs on the reduced state", async () => {
    const rows = await engine.rows();
    const principal = Object.values(domain.policy.principals)[0]!;
    const session = { role: principal.role, tenantIds: principal.tenant_ids };
    const root = Object.keys(domain.database.tables)[0]!;
    const keep = rows.filter((r) => r.table === root).slice(0, 1);
    await engine.withRows(keep, [REFERENCE_STACK.database], async () => {
      const bad = await engine.query(REFERENCE_STACK.database, session, "select no_such_column from no_such_table");
      expect(bad.kind).toBe("error");
      if (bad.kind === "error") expect(bad.error).toContain("no_such_table");
      const good = await engine.query(REFERENCE_STACK.database, null, `select count(*) as n from ${root}`);
      expect(good).toEqual({ kind: "rows", rows: [{ n: 1 }] });
    });
    // And the full state is back afterwards.
    const after = await engine.query(REFERENCE_STACK.database, null, `select count(*) as n from ${root}`);
    expect(after).toEqual({ kind: "rows", rows: [{ n: rows.filter((r) => r.table === root).length }] });
  });
});

describe.each(["support_saas", "analytics_clickhouse"])("%s engine: queries that fail or end in a comment leave no transaction open", (name) => {
  const domain = loadDomain(name);
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine(domain);
  });
  afterAll(() => engine.close());

  test("outside and inside a reduced state", async () => {
    const rows = await engine.rows();
    const root = Object.keys(domain.database.tables)[0]!;
    const all = rows.filter((r) => r.table === root).length;
    const count = (suffix = "") => engine.query(REFERENCE_STACK.database, null, `select count(*) as n from ${root}${suffix}`);
    // A trailing line comment must not swallow whatever the engine sends after the query.
    expect(await count(" -- trailing comment")).toEqual({ kind: "rows", rows: [{ n: all }] });
    expect((await engine.query(REFERENCE_STACK.database, null, "select 1 from no_such_table")).kind).toBe("error");
    const keep = rows.filter((r) => r.table === root).slice(0, 1);
    await engine.withRows(keep, [REFERENCE_STACK.database], async () => {
      expect(await count(" -- inside")).toEqual({ kind: "rows", rows: [{ n: 1 }] });
      expect(await count()).toEqual({ kind: "rows", rows: [{ n: 1 }] });
    });
    // Had a transaction stayed open, the reduction's rollback would have taken it, or the reduction
    // would have refused to start; either way the full state must be back.
    expect(await count()).toEqual({ kind: "rows", rows: [{ n: all }] });
  });
});

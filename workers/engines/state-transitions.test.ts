import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Domain } from "../../core/domain/domain.ts";
import { Prng } from "../../core/random/prng.ts";
import { type DatabaseKnobs, REFERENCE_STACK } from "../../core/stack/variant.ts";
import { loadDomain } from "../../suites/load-domain.ts";
import { DuckdbEngine } from "./duckdb.ts";
import type { Engine, RowRef } from "./engine.ts";
import { PgliteEngine, pgliteHost } from "./pglite.ts";

// DuckDB and PGlite keep a reduction's transaction open between states and reach a state that
// drops rows from the open one by deleting only those (PGlite also rolls back to an earlier
// savepoint). Whatever the path from state to state, each must hold exactly its rows.

const REFERENCE = REFERENCE_STACK.database;
const LEGACY: DatabaseKnobs = { ...REFERENCE, policyKey: "legacy" };

const names = (rows: RowRef[]) => [...new Set(rows.map((r) => `${r.table}/${r.key}`))].sort();

/** Every row the unrestricted state of `variant` holds, read with one query per table. */
async function contents(engine: Engine, domain: Domain, variant: DatabaseKnobs): Promise<string[]> {
  const refs: string[] = [];
  for (const [table, spec] of Object.entries(domain.database.tables)) {
    const result = await engine.query(variant, null, `select cast(${spec.key} as varchar) as k from ${table}`);
    if (result.kind !== "rows") throw new Error(`reading ${table}: ${result.error}`);
    for (const row of result.rows) refs.push(`${table}/${row.k}`);
  }
  return refs.sort();
}

type Step = { kind: "state"; keep: RowRef[] } | { kind: "full" } | { kind: "failing" } | { kind: "throwing"; keep: RowRef[] };

/**
 * A seeded walk over states: mostly subsets of the last one (ddmin's moves), chains of them
 * deeper than PGlite's savepoint limit, supersets and unrelated states, a full-state query now and
 * then, a state whose queries fail, and one whose callback throws.
 */
function walk(all: RowRef[], seed: number): Step[] {
  const random = new Prng(seed);
  const steps: Step[] = [];
  let last = all;
  for (let i = 0; i < 160; i++) {
    const roll = random.below(20);
    let keep: RowRef[];
    if (roll < 12) keep = last.filter(() => random.below(5) !== 0);
    else if (roll < 14) keep = last.slice(1);
    else if (roll < 16) keep = all.filter(() => random.below(2) === 0);
    else if (roll === 16) keep = [...last, ...all.filter(() => random.below(4) === 0)];
    else if (roll === 17) {
      steps.push({ kind: "full" });
      continue;
    } else if (roll === 18) {
      steps.push({ kind: "failing" });
      continue;
    } else {
      steps.push({ kind: "throwing", keep: all.filter(() => random.below(3) === 0) });
      continue;
    }
    // A chain that ran dry starts again from the full state.
    if (keep.length === 0 && last.length === 0) keep = all;
    steps.push({ kind: "state", keep });
    last = keep;
  }
  // One row fewer at a time, past any savepoint limit.
  for (let n = 45; n >= 0; n--) steps.push({ kind: "state", keep: all.slice(0, n) });
  return steps;
}

async function replay(engine: Engine, domain: Domain, variants: DatabaseKnobs[], failing: string, seed: number): Promise<void> {
  const all = await engine.rows();
  const full = names(all);
  let checked = 0;
  for (const [index, step] of walk(all, seed).entries()) {
    const at = `step ${index} (${step.kind})`;
    if (step.kind === "full") {
      expect({ at, rows: await contents(engine, domain, REFERENCE) }).toEqual({ at, rows: full });
    } else if (step.kind === "failing") {
      const keep = all.filter((_, i) => i % 2 === 0);
      const seen = await engine.withRows(keep, variants, async () => {
        expect((await engine.query(REFERENCE, null, failing)).kind).toBe("error");
        return contents(engine, domain, variants.at(-1)!);
      });
      expect({ at, rows: seen }).toEqual({ at, rows: names(keep) });
    } else if (step.kind === "throwing") {
      await expect(engine.withRows(step.keep, variants, async () => {
        throw new Error("boom");
      })).rejects.toThrow("boom");
    } else {
      const seen = await engine.withRows(step.keep, variants, async () => Promise.all(variants.map((v) => contents(engine, domain, v))));
      for (const rows of seen) expect({ at, rows }).toEqual({ at, rows: names(step.keep) });
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(150);
  expect(await contents(engine, domain, REFERENCE)).toEqual(full);
}

describe("state transitions inside a reduction", () => {
  let analytics: Domain;
  let support: Domain;
  let finance: Domain;
  beforeAll(() => {
    analytics = loadDomain("analytics_clickhouse");
    support = loadDomain("support_saas");
    finance = loadDomain("finance_saas");
  });

  test("DuckDB: every state holds exactly its rows, whatever state came before", async () => {
    const engine = await DuckdbEngine.open(analytics.policy, analytics.database, analytics.sql);
    try {
      await replay(engine, analytics, [REFERENCE], "select cast('not a number' as integer) as n", 11);
    } finally {
      await engine.close();
    }
  });

  test("PGlite: every state of every named variant holds exactly its rows, whatever state came before", async () => {
    const engine = await PgliteEngine.open(support.policy, support.database, support.sql);
    try {
      await replay(engine, support, [REFERENCE, LEGACY], "select 1/0 as boom", 12);
    } finally {
      await engine.close();
    }
  });

  describe("PGlite engines sharing an instance", () => {
    const host = pgliteHost();
    afterAll(() => host.close());

    test("one engine's open reduction is closed before another uses the instance, and before a new engine opens", async () => {
      const first = await PgliteEngine.open(support.policy, support.database, support.sql, { host });
      const rows = await first.rows();
      const half = rows.slice(0, Math.floor(rows.length / 2));
      const inFirst = () => contents(first, support, REFERENCE);
      expect(await first.withRows(half, [REFERENCE], inFirst)).toEqual(names(half));
      // The second engine's roles are created outside the first one's transaction: they outlive it.
      const second = await PgliteEngine.open(finance.policy, finance.database, finance.sql, { host });
      const financeRows = await second.rows();
      const financeFull = names(financeRows);
      expect(await first.withRows(half.slice(1), [REFERENCE], inFirst)).toEqual(names(half.slice(1)));
      expect(await contents(second, finance, REFERENCE)).toEqual(financeFull);
      expect(await second.withRows(financeRows.slice(2), [REFERENCE], () => contents(second, finance, REFERENCE))).toEqual(names(financeRows.slice(2)));
      expect(await first.withRows(half.slice(2), [REFERENCE], inFirst)).toEqual(names(half.slice(2)));
      expect(await inFirst()).toEqual(names(rows));
      expect(await contents(second, finance, REFERENCE)).toEqual(financeFull);
      const session = { role: Object.values(finance.policy.principals)[0]!.role, tenantIds: Object.values(finance.policy.principals)[0]!.tenant_ids };
      const probe = await second.probe(REFERENCE, session);
      expect(Object.values(probe.visible_rows).flat().length).toBeGreaterThan(0);
      await first.close();
      await second.close();
    });

    test("a variant first used inside a state is created again after the state: its schema went with the rollback", async () => {
      const engine = await PgliteEngine.open(support.policy, support.database, support.sql, { host });
      const rows = await engine.rows();
      const keep = rows.slice(0, 5);
      const principal = Object.values(support.policy.principals)[0]!;
      const session = { role: principal.role, tenantIds: principal.tenant_ids };
      const table = Object.keys(support.database.tables)[0]!;
      const count = `select count(*) as n from ${table}`;
      const inside = await engine.withRows(keep, [REFERENCE], () => engine.query(LEGACY, null, count));
      expect(inside.kind).toBe("rows");
      // The next state rolls back past nothing it still needs, and the legacy schema is whole again.
      expect(await engine.withRows(keep.slice(1), [REFERENCE, LEGACY], () => contents(engine, support, LEGACY))).toEqual(names(keep.slice(1)));
      expect(await contents(engine, support, LEGACY)).toEqual(names(rows));
      expect((await engine.query(LEGACY, session, count)).kind).toBe("rows");
      await engine.close();
    });
  });
});

import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Domain } from "../../core/domain/domain.ts";
import { REFERENCE_STACK } from "../../core/stack/variant.ts";
import { loadDomain } from "../../suites/load-domain.ts";
import { PgliteEngine, pgliteHost } from "./pglite.ts";

// Engines of two domains on one shared instance, against each domain on an instance of its own.
const support = loadDomain("support_saas");
const finance = loadDomain("finance_saas");
const domains = [support, finance];
const host = pgliteHost();
let alone: PgliteEngine[] = [];

beforeAll(async () => {
  alone = await Promise.all(domains.map((d) => PgliteEngine.open(d.policy, d.database, d.sql)));
});
afterAll(async () => {
  for (const engine of alone) await engine.close();
  await host.close();
});

async function workload(engine: PgliteEngine, domain: Domain): Promise<unknown[]> {
  const sessions = [null, ...Object.values(domain.policy.principals).map((p) => ({ role: p.role, tenantIds: p.tenant_ids }))];
  const queries = [...Object.keys(domain.database.tables).map((t) => `select count(*) as n from ${t}`), "select no_such_column from no_such_table"];
  const answers: unknown[] = [];
  const ask = async () => {
    for (const session of sessions) {
      for (const sql of queries) answers.push(await engine.query(REFERENCE_STACK.database, session, sql));
      if (session) answers.push(await engine.probe(REFERENCE_STACK.database, session));
    }
  };
  await ask();
  const rows = await engine.rows();
  await engine.withRows(rows.slice(0, Math.floor(rows.length / 2)), [REFERENCE_STACK.database], ask);
  await ask();
  return answers;
}

test("engines sharing an instance answer as engines alone, also after one of them closes and another opens", async () => {
  const expected = [await workload(alone[0]!, support), await workload(alone[1]!, finance)] as const;
  const first = await PgliteEngine.open(support.policy, support.database, support.sql, { host });
  const second = await PgliteEngine.open(finance.policy, finance.database, finance.sql, { host });
  // Turn about, as a lane serving both domains does.
  expect(await workload(first, support)).toEqual(expected[0]);
  expect(await workload(second, finance)).toEqual(expected[1]);
  expect(await workload(first, support)).toEqual(expected[0]);
  // Closing one drops only its own schemas and roles; a new engine for the same domain takes new names.
  await first.close();
  expect(await workload(second, finance)).toEqual(expected[1]);
  const third = await PgliteEngine.open(support.policy, support.database, support.sql, { host });
  expect(await workload(third, support)).toEqual(expected[0]);
  await third.close();
  await second.close();
  expect(expected[0].some((a) => (a as { kind?: string }).kind === "error")).toBe(true);
}, 60_000);

test("an engine closing while its host retires leaves its objects to the instance, and the host takes no new engine", async () => {
  const retiring = pgliteHost();
  const roles = "select count(*)::int as n from pg_roles where rolname like 'strata%'";
  const engine = await PgliteEngine.open(support.policy, support.database, support.sql, { host: retiring });
  const before = await engine.query(REFERENCE_STACK.database, null, roles);
  expect(before.kind === "rows" && (before.rows[0]!.n as number) > 0).toBe(true);
  retiring.retire();
  await engine.close();
  // Nothing was dropped: the instance still answers, with the engine's roles.
  expect(await engine.query(REFERENCE_STACK.database, null, roles)).toEqual(before);
  await expect(PgliteEngine.open(finance.policy, finance.database, finance.sql, { host: retiring })).rejects.toThrow(/closing/);
  await retiring.close();
}, 60_000);

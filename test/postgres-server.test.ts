import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import postgres from "postgres";
import type { RunEvent } from "../core/model/events.ts";
import type { Summary } from "../core/model/summary.ts";
import type { Trace } from "../core/model/trace.ts";
import { REFERENCE_STACK } from "../core/stack/variant.ts";
import { loadDomain } from "../suites/load-domain.ts";
import type { Session } from "../workers/engines/engine.ts";
import { maskUrl, PostgresEngine } from "../workers/engines/postgres.ts";
import { type Backend, backendFromFlag, backendMetadata } from "../workers/open-engine.ts";
import { prepareRun } from "../workers/run-spec.ts";
import { runSuite } from "../workers/run-suite.ts";
import { REPO, tempDir } from "./helpers.ts";

/**
 * The PostgreSQL server backend against PGlite, on a real server: STRATA_TEST_POSTGRES_URL, or a
 * throwaway cluster this file starts with scripts/start-postgres.sh. Skipped (with the reason
 * printed) only when neither is possible; .ci/run always provides the URL.
 */
const START = join(REPO, "scripts", "start-postgres.sh");
const STOP = join(REPO, "scripts", "stop-postgres.sh");
const GIVEN = process.env.STRATA_TEST_POSTGRES_URL;

function whyNoServer(): string | null {
  if (GIVEN) return null;
  const check = Bun.spawnSync(["bash", START, "--check"], { stdout: "pipe", stderr: "pipe" });
  return check.exitCode === 0 ? null : check.stderr.toString().trim() || `start-postgres.sh --check exited ${check.exitCode}`;
}
const skipReason = whyNoServer();
if (skipReason !== null) {
  console.warn(`test/postgres-server.test.ts skipped: STRATA_TEST_POSTGRES_URL is unset and no server can be started here.\n${skipReason}`);
}

const domain = loadDomain("support_saas");
const acme: Session = { role: domain.policy.principals.acme_analyst!.role, tenantIds: domain.policy.principals.acme_analyst!.tenant_ids };

interface Collected {
  traces: Trace[];
  summary: Summary;
}

async function run(suite: string, backend: Backend | undefined, minimize: boolean): Promise<Collected> {
  const prepared = prepareRun({ domain: "support_saas", suite, backend, minimize, reuse: true });
  const traces: Trace[] = [];
  const summary = await runSuite({
    prepared,
    onEvent: (event: RunEvent) => {
      if (event.type === "case_finished") traces.push(event.trace);
    },
  });
  return { traces, summary };
}

/** The verdict of each case: what must not depend on the engine. */
const verdicts = (traces: Trace[]) =>
  traces.map((t) => ({
    task_id: t.task_id,
    accounting_status: t.accounting_status,
    witness_class: t.witness_class,
    localized_surface: t.localized_surface,
    containment_layer: t.containment_layer,
    failed_obligation: t.failed_obligation,
  }));

describe("server backend selection (no server needed)", () => {
  test("a URL's password never reaches the backend value, metadata or error texts", () => {
    const saved = process.env.PGPASSWORD;
    try {
      const backend = backendFromFlag("postgres://strata_admin:s3cret%21@db.example:5433/app");
      expect(backend).toBe("postgres://strata_admin@db.example:5433/app");
      expect(process.env.PGPASSWORD).toBe("s3cret!");
      const meta = backendMetadata("postgresql://u:s3cret@h:1/d" as Backend, "postgres");
      expect(meta.name).toBe("postgres");
      expect(meta.containment).toContain("u@h:1/d");
      expect(JSON.stringify(meta)).not.toContain("s3cret");
      expect(maskUrl("postgres://u:s3cret@h:1/d?password=s3cret")).toBe("postgres://u:***@h:1/d");
      expect(backendFromFlag("pglite")).toBe("pglite");
      expect(backendFromFlag("mysql://x")).toBeNull();
      expect(backendMetadata("pglite", "postgres").name).toBe("pglite");
    } finally {
      if (saved === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = saved;
    }
  });
});

describe.skipIf(skipReason !== null)("PostgreSQL server backend", () => {
  let url = "";
  let dir: string | null = null;
  let admin: postgres.Sql;

  const objectsWithPrefix = async (prefix: string) => {
    const rows = await admin<{ name: string }[]>`
      select nspname::text as name from pg_namespace where starts_with(nspname, ${prefix})
      union all select rolname::text from pg_roles where starts_with(rolname, ${prefix})`;
    return rows.map((r) => r.name);
  };

  beforeAll(() => {
    if (GIVEN) {
      url = GIVEN;
    } else {
      dir = tempDir("strata-pg-");
      const started = Bun.spawnSync(["bash", START, "auto", dir], { stdout: "pipe", stderr: "pipe" });
      if (started.exitCode !== 0) throw new Error(`scripts/start-postgres.sh failed:\n${started.stderr.toString()}`);
      url = started.stdout.toString().trim();
    }
    admin = postgres(url, { max: 1, onnotice: () => {} });
  }, 120_000);

  afterAll(async () => {
    await admin?.end({ timeout: 5 });
    if (dir) Bun.spawnSync(["bash", STOP, dir], { stdout: "pipe", stderr: "pipe" });
  }, 60_000);

  test(
    "support_saas seeded: the same verdict per case as PGlite, and nothing left behind",
    async () => {
      const before = new Set(await objectsWithPrefix("strata_r"));
      const embedded = await run("seeded", "pglite", true);
      const server = await run("seeded", url as Backend, true);
      expect(server.traces.length).toBe(embedded.traces.length);
      expect(verdicts(server.traces)).toEqual(verdicts(embedded.traces));
      expect(server.summary.killed).toBe(embedded.summary.killed);
      expect(server.summary.invalid).toBe(0);
      expect((await objectsWithPrefix("strata_r")).filter((name) => !before.has(name))).toEqual([]);
    },
    300_000,
  );

  test(
    "support_saas clean controls: no false positives, the same verdicts as PGlite",
    async () => {
      const embedded = await run("clean_controls", "pglite", false);
      const server = await run("clean_controls", url as Backend, false);
      expect(server.summary.total).toBe(80);
      expect(server.summary.false_positives).toBe(0);
      expect(server.summary.clean_controls).toBe(80);
      expect(verdicts(server.traces)).toEqual(verdicts(embedded.traces));
    },
    300_000,
  );

  test(
    "a session runs as a role that cannot bypass row-level security, and reads only its tenant's rows",
    async () => {
      const engine = await PostgresEngine.open(url, domain.policy, domain.database, domain.sql);
      try {
        const who = await engine.query(REFERENCE_STACK.database, acme, "select current_user::text as u, r.rolsuper, r.rolbypassrls from pg_roles r where r.rolname = current_user");
        expect(who).toEqual({ kind: "rows", rows: [{ u: engine.roleName(acme.role), rolsuper: false, rolbypassrls: false }] });
        const all = await engine.query(REFERENCE_STACK.database, null, "select distinct tenant_id from accounts order by 1");
        expect(all.kind === "rows" && all.rows.length).toBeGreaterThan(1);
        // Asking for the other tenants' rows outright returns none of them.
        const others = await engine.query(REFERENCE_STACK.database, acme, "select tenant_id, count(*) as n from accounts where tenant_id <> 'acme' group by 1");
        expect(others).toEqual({ kind: "rows", rows: [] });
        const own = await engine.query(REFERENCE_STACK.database, acme, "select distinct tenant_id from accounts");
        expect(own).toEqual({ kind: "rows", rows: [{ tenant_id: "acme" }] });
        // Nor can the session turn row security off: for a role without BYPASSRLS that is an error.
        const off = await engine.query(REFERENCE_STACK.database, acme, "set row_security = off; select count(*) from accounts");
        expect(off).toEqual({ kind: "error", error: 'query would be affected by row-level security policy for table "accounts"' });
        // The probe sees the same: only acme's accounts.
        const probe = await engine.probe(REFERENCE_STACK.database, acme);
        expect(probe.visible_rows.accounts!.length).toBeGreaterThan(0);
        const ids = await engine.query(REFERENCE_STACK.database, null, "select id from accounts where tenant_id = 'acme' order by 1");
        expect(probe.visible_rows.accounts).toEqual(ids.kind === "rows" ? ids.rows.map((r) => String(r.id)) : []);
      } finally {
        await engine.close();
      }
      expect(await objectsWithPrefix(engine.prefix)).toEqual([]);
    },
    60_000,
  );

  test(
    "two engines at once on one server do not collide, and close() drops exactly its own objects",
    async () => {
      const [a, b] = await Promise.all([
        PostgresEngine.open(url, domain.policy, domain.database, domain.sql),
        PostgresEngine.open(url, domain.policy, domain.database, domain.sql),
      ]);
      expect(a.prefix).not.toBe(b.prefix);
      expect(a.prefix).toMatch(/^strata_r[0-9a-f]{8}$/);
      const count = "select count(*) as n from accounts";
      const first = await a.query(REFERENCE_STACK.database, null, count);
      const total = first.kind === "rows" ? Number(first.rows[0]!.n) : -1;
      await b.query(REFERENCE_STACK.database, null, count);
      const rows = await a.rows();
      const kept = rows.filter((r) => r.table === "accounts").slice(0, 1);
      // a deletes all but one account inside its withRows transaction while b reads concurrently.
      const [inside, concurrent] = await Promise.all([
        a.withRows(kept, [REFERENCE_STACK.database], () => a.query(REFERENCE_STACK.database, null, count)),
        b.query(REFERENCE_STACK.database, acme, "select count(*) as n from accounts where tenant_id = 'acme'"),
      ]);
      expect(inside).toEqual({ kind: "rows", rows: [{ n: 1 }] });
      expect(concurrent.kind).toBe("rows");
      expect(await a.query(REFERENCE_STACK.database, null, count)).toEqual({ kind: "rows", rows: [{ n: total }] });
      expect((await objectsWithPrefix(a.prefix)).length).toBeGreaterThan(0);
      await a.close();
      expect(await objectsWithPrefix(a.prefix)).toEqual([]);
      // b is untouched by a's cleanup.
      expect(await b.query(REFERENCE_STACK.database, null, count)).toEqual({ kind: "rows", rows: [{ n: total }] });
      await b.close();
      expect(await objectsWithPrefix(b.prefix)).toEqual([]);
    },
    60_000,
  );

  test(
    "what an engine that died left behind is dropped by the next one to open",
    async () => {
      const dead = await PostgresEngine.open(url, domain.policy, domain.database, domain.sql);
      await dead.query(REFERENCE_STACK.database, null, "select 1 as x");
      expect((await objectsWithPrefix(dead.prefix)).length).toBeGreaterThan(0);
      // Simulate a killed process: the server ends every connection of that engine.
      await admin`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${dead.prefix}`;
      for (let i = 0; i < 50; i++) {
        const [left] = await admin<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where application_name = ${dead.prefix}`;
        if (left?.n === 0) break;
        await Bun.sleep(100);
      }
      const next = await PostgresEngine.open(url, domain.policy, domain.database, domain.sql);
      try {
        expect(await objectsWithPrefix(dead.prefix)).toEqual([]);
      } finally {
        await next.close();
        await dead.close().catch(() => {});
      }
    },
    60_000,
  );
});

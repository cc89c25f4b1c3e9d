import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Task } from "../core/model/suite.ts";
import { sameResult } from "../core/observe/rows.ts";
import { loadDomain } from "../suites/load-domain.ts";
import type { Engine } from "../workers/engines/engine.ts";
import { type CaseContext, evaluate, traceOf } from "../workers/evaluate.ts";
import { memoizedAnalyzer } from "../workers/sql-analyses.ts";
import { openEngine } from "../workers/open-engine.ts";

const domain = loadDomain("support_saas");
let engine: Engine;
let ctx: CaseContext;

beforeAll(async () => {
  engine = await openEngine(domain);
  ctx = { domain, engine, memo: null, analyze: memoizedAnalyzer("postgres"), lowerings: null };
});
afterAll(() => engine.close());

function task(mutation: string): Task {
  return {
    id: "tenant_drop",
    domain: "support_saas",
    principal: "acme_analyst",
    request: "Ticket count by region for my tenant",
    policy_version: "v7",
    surface_versions: { ...domain.surfaces.versions, compiler: "v5" },
    mutation,
    semantic_query: { metric: "ticket_count", dimensions: ["region"], filters: {}, time_range: "last_month", grain: "month", limit: 100 },
    expected_witness_class: "lowering_violation",
    expected_localized_surface: "compiler",
    expected_containment_layer: "database",
  };
}

describe("a compiler that drops the tenant predicate", () => {
  test("is caught by the SQL obligation check, on the parsed AST", async () => {
    const e = await evaluate(ctx, task("compiler_drops_tenant_predicate"));
    expect(e.observation.compiler?.kind).toBe("sql");
    expect(e.detection.localized_surface).toBe("compiler");
    expect(e.detection.witness_class).toBe("lowering_violation");
    expect(e.detection.failed_obligation).toBe("tenant_scope");
    expect(e.detection.violations[0]!.reasons[0]).toContain("expected accounts.tenant_id in (acme)");
    // The reference compiler's SQL passes the same check: the verdict is about the drift.
    const clean = await evaluate(ctx, task("none"));
    expect(clean.detection.witness_class).toBe("clean");
  });

  test("is caught by the rows observed without containment, and reported as contained by RLS", async () => {
    const e = await evaluate(ctx, task("compiler_drops_tenant_predicate"));
    const before = e.observation.database.before_containment!;
    const under = e.observation.database.under_session!;
    const canonical = e.canonical.result!;
    expect(before.kind).toBe("rows");
    // Without RLS the lowered SQL reads other tenants' regions...
    const regions = (r: typeof before) => (r.kind === "rows" ? r.rows.map((row) => row.region).sort() : []);
    expect(regions(before).length).toBeGreaterThan(regions(canonical).length);
    expect(sameResult(before, canonical)).toBe(false);
    // ...and in the principal's session RLS brings the result back to exactly the canonical rows.
    expect(sameResult(under, canonical)).toBe(true);
    expect(e.detection.containment_layer).toBe("database");
    expect(traceOf(task("compiler_drops_tenant_predicate"), e).accounting_status).toBe("killed");
  });

  test("leaks to the user when the database's row policies are also missing", async () => {
    // A compound drift: the same compiler, and a database whose root tables carry no policy.
    const leaky = await evaluate(ctx, task("compiler_drops_tenant_predicate+clickhouse_row_policy_missing_project_filter"));
    expect(leaky.detection.localized_surface).toBe("compiler");
    expect(leaky.detection.containment_layer).toBeNull();
    expect(leaky.observation.end_to_end.released).toBe(true);
    expect(sameResult({ kind: "rows", rows: leaky.observation.end_to_end.rows }, leaky.canonical.result!)).toBe(false);
    // The database layer's own violation is reported too.
    expect(leaky.detection.violations.some((v) => v.surface === "database" && v.witness_class === "over_permissive")).toBe(true);
  });
});

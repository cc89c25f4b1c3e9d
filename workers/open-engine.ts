import type { Domain } from "../core/domain/domain.ts";
import { DuckdbEngine } from "./engines/duckdb.ts";
import { CachedEngine } from "./engines/cached-engine.ts";
import type { Engine } from "./engines/engine.ts";
import { PgliteEngine } from "./engines/pglite.ts";

export const BACKENDS = ["pglite", "duckdb"] as const;
export type Backend = (typeof BACKENDS)[number];

export const CONTAINMENT_DESCRIPTION: Record<Backend, string> = {
  pglite: "Postgres row-level security (forced) and column privileges, session role without BYPASSRLS (PGlite)",
  duckdb: "per-role filtered views emulating ClickHouse row policies, tenant bound per session (DuckDB has no row-level security)",
};

export async function openEngine(domain: Domain, backend: Backend = domain.database.default_backend): Promise<Engine> {
  const wanted = backend === "pglite" ? "postgres" : "duckdb";
  if (domain.database.dialect !== wanted) {
    throw new Error(`backend ${backend} executes the ${wanted} dialect, but domain ${domain.name} is written in ${domain.database.dialect}`);
  }
  const engine = backend === "pglite" ? await PgliteEngine.open(domain.policy, domain.database, domain.sql) : await DuckdbEngine.open(domain.policy, domain.database, domain.sql);
  return new CachedEngine(engine);
}

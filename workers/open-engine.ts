import type { Domain } from "../core/domain/domain.ts";
import { DuckdbEngine } from "./engines/duckdb.ts";
import { CachedEngine } from "./engines/cached-engine.ts";
import type { Engine } from "./engines/engine.ts";
import { PgliteEngine } from "./engines/pglite.ts";
import { checkServer, collectServerOrphans, describeServer, isServerUrl, maskUrl, PostgresEngine } from "./engines/postgres.ts";

export const BACKENDS = ["pglite", "duckdb"] as const;
/** An embedded engine by name, or a PostgreSQL server by URL (postgres:// or postgresql://). */
export type Backend = (typeof BACKENDS)[number] | `postgres://${string}` | `postgresql://${string}`;

export const CONTAINMENT_DESCRIPTION: Record<(typeof BACKENDS)[number] | "postgres", string> = {
  pglite: "Postgres row-level security (forced) and column privileges, session role without BYPASSRLS (PGlite)",
  duckdb: "per-role filtered views emulating ClickHouse row policies, tenant bound per session (DuckDB has no row-level security)",
  postgres: "Postgres row-level security (forced) and column privileges, session role without BYPASSRLS (PostgreSQL server)",
};

/** metadata.json's backend: a server is named `postgres`, with where it ran but never its password. */
export function backendMetadata(backend: Backend, dialect: string): { name: string; dialect: string; containment: string } {
  if (isServerUrl(backend)) return { name: "postgres", dialect, containment: `${CONTAINMENT_DESCRIPTION.postgres} at ${describeServer(backend)}` };
  return { name: backend, dialect, containment: CONTAINMENT_DESCRIPTION[backend as (typeof BACKENDS)[number]] };
}

/**
 * Reads --backend: a name of BACKENDS or a server URL; null when it is neither. A URL's password
 * moves to PGPASSWORD (read by the engine in this thread and in worker threads), so the URL that
 * travels in the run spec, the run store and metadata never holds it.
 */
export function backendFromFlag(value: string): Backend | null {
  if ((BACKENDS as readonly string[]).includes(value)) return value as Backend;
  if (!isServerUrl(value)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.password) {
    process.env.PGPASSWORD = decodeURIComponent(url.password);
    url.password = "";
  }
  return url.toString() as Backend;
}

export async function openEngine(domain: Domain, backend: Backend = domain.database.default_backend): Promise<Engine> {
  const server = isServerUrl(backend);
  const wanted = backend === "pglite" || server ? "postgres" : "duckdb";
  if (domain.database.dialect !== wanted) {
    const name = server ? maskUrl(backend) : backend;
    throw new Error(`backend ${name} executes the ${wanted} dialect, but domain ${domain.name} is written in ${domain.database.dialect}`);
  }
  const engine = server
    ? await PostgresEngine.open(backend, domain.policy, domain.database, domain.sql)
    : backend === "pglite"
      ? await PgliteEngine.open(domain.policy, domain.database, domain.sql)
      : await DuckdbEngine.open(domain.policy, domain.database, domain.sql);
  return new CachedEngine(engine);
}

/**
 * Drops what engines on a server backend left behind when their threads ended without closing
 * them (a worker pool terminates its threads). Nothing to do for embedded backends.
 */
export async function collectLeftovers(backend: Backend | undefined): Promise<void> {
  if (backend !== undefined && isServerUrl(backend)) await collectServerOrphans(backend);
}

/** Checks a server backend can be reached and used before a run starts; embedded ones always can. */
export async function checkBackend(backend: Backend | undefined): Promise<void> {
  if (backend !== undefined && isServerUrl(backend)) await checkServer(backend);
}

import type { Domain } from "../core/domain/domain.ts";
import { retargetDomain } from "../core/domain/retarget.ts";
import { UsageError } from "../core/input/usage-error.ts";
import type { SqlDialectName } from "../core/model/database.ts";
import { DuckdbEngine } from "./engines/duckdb.ts";
import { CachedEngine } from "./engines/cached-engine.ts";
import { checkClickhouse, ClickhouseEngine, collectClickhouseLeftovers, containmentGap } from "./engines/clickhouse.ts";
import type { Engine } from "./engines/engine.ts";
import { PgliteEngine } from "./engines/pglite.ts";
import type { PgliteHost } from "./engines/pglite-host.ts";
import { SqliteEngine } from "./engines/sqlite.ts";
import { checkServer, collectServerOrphans, describeServer, isServerUrl, maskUrl, PostgresEngine } from "./engines/postgres.ts";

export const BACKENDS = ["pglite", "duckdb", "sqlite"] as const;
type EmbeddedBackend = (typeof BACKENDS)[number];
/** An embedded engine by name, or a server by URL (postgres://, postgresql://, clickhouse://). */
export type Backend = EmbeddedBackend | `postgres://${string}` | `postgresql://${string}` | `clickhouse://${string}`;

export const CONTAINMENT_DESCRIPTION: Record<EmbeddedBackend | "postgres", string> = {
  pglite: "Postgres row-level security (forced) and column privileges, session role without BYPASSRLS (PGlite)",
  duckdb: "per-role filtered views emulating ClickHouse row policies, tenant bound per session (DuckDB has no row-level security)",
  sqlite: "per-role filtered views over the base tables, tenant bound per session (SQLite has no row-level security)",
  postgres: "Postgres row-level security (forced) and column privileges, session role without BYPASSRLS (PostgreSQL server)",
};

export function isClickhouseUrl(value: string): value is `clickhouse://${string}` {
  return /^clickhouse:\/\//i.test(value);
}

/** The dialect a backend executes: what the compiler must emit for it. */
export function backendDialect(backend: Backend): SqlDialectName {
  if (isServerUrl(backend) || backend === "pglite") return "postgres";
  if (isClickhouseUrl(backend)) return "clickhouse";
  return backend === "sqlite" ? "sqlite" : "duckdb";
}

function backendLabel(backend: Backend): string {
  return isServerUrl(backend) || isClickhouseUrl(backend) ? maskUrl(backend) : backend;
}

/**
 * The domain as `backend` runs it: itself when the backend reads the domain's dialect, its
 * backend_sql retarget for ClickHouse and SQLite. A domain that cannot run there is a usage error.
 */
export function domainForBackend<D extends Domain>(domain: D, backend: Backend = domain.database.default_backend): D {
  const wanted = backendDialect(backend);
  if (wanted === domain.database.dialect) return domain;
  if (wanted === "clickhouse" || wanted === "sqlite") {
    const target = retargetDomain(domain, wanted);
    if (target) return target;
    throw new UsageError(
      `domain ${domain.name} has no ${wanted} schema, so backend ${backendLabel(backend)} cannot run it`,
      `add backend_sql.${wanted} (schema_file, seed_file) to its database.yaml, or use --backend ${domain.database.default_backend}`,
    );
  }
  throw new UsageError(
    `backend ${backendLabel(backend)} executes the ${wanted} dialect, but domain ${domain.name} is written in ${domain.database.dialect}`,
    `use --backend ${domain.database.default_backend}`,
  );
}

/** metadata.json's backend: a server is named `postgres`, with where it ran but never its password. */
export function backendMetadata(backend: Backend, dialect: string): { name: string; dialect: string; containment: string } {
  if (isServerUrl(backend)) return { name: "postgres", dialect, containment: `${CONTAINMENT_DESCRIPTION.postgres} at ${describeServer(backend)}` };
  return { name: backend, dialect, containment: CONTAINMENT_DESCRIPTION[backend as EmbeddedBackend] };
}

/**
 * metadata.json's backend, asking a ClickHouse server what it can do: whether database containment
 * is checked there is a fact of the server, said in the metadata rather than assumed.
 */
export async function describeBackend(backend: Backend): Promise<{ name: string; dialect: string; containment: string }> {
  const dialect = backendDialect(backend);
  if (!isClickhouseUrl(backend)) return backendMetadata(backend, dialect);
  const features = await checkClickhouse(backend);
  return { name: "clickhouse", dialect, containment: `not checked: ${containmentGap(features)} (server at ${describeServer(backend)})` };
}

/**
 * Reads --backend: a name of BACKENDS or a server URL; null when it is neither. A URL's password
 * moves to PGPASSWORD (read by the engine in this thread and in worker threads), so the URL that
 * travels in the run spec, the run store and metadata never holds it.
 */
export function backendFromFlag(value: string): Backend | null {
  if ((BACKENDS as readonly string[]).includes(value)) return value as Backend;
  const clickhouse = isClickhouseUrl(value);
  if (!isServerUrl(value) && !clickhouse) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.password) {
    process.env[clickhouse ? "CLICKHOUSE_PASSWORD" : "PGPASSWORD"] = decodeURIComponent(url.password);
    url.password = "";
  }
  return url.toString() as Backend;
}

/** Opens an engine for a domain already retargeted to the backend (see domainForBackend). */
/** `pglite`: a host whose one PGlite instance the engine shares with the thread's other PGlite engines. */
export async function openEngine(domain: Domain, backend: Backend = domain.database.default_backend, pglite?: PgliteHost): Promise<Engine> {
  const target = domainForBackend(domain, backend);
  if (target !== domain) throw new Error(`openEngine needs the ${backendDialect(backend)} retarget of domain ${domain.name}; call domainForBackend first`);
  let engine: Engine;
  if (isServerUrl(backend)) engine = await PostgresEngine.open(backend, domain.policy, domain.database, domain.sql);
  else if (backend === "pglite") engine = await PgliteEngine.open(domain.policy, domain.database, domain.sql, { host: pglite });
  else if (backend === "duckdb") engine = await DuckdbEngine.open(domain.policy, domain.database, domain.sql);
  else if (backend === "sqlite") engine = await SqliteEngine.open(domain.policy, domain.database, domain.sql);
  else if (isClickhouseUrl(backend)) engine = await ClickhouseEngine.open(backend, domain.database, domain.sql);
  else throw new Error(`backend ${backendLabel(backend)} is not available in this build`);
  return new CachedEngine(engine);
}

/**
 * Drops what engines on a server backend left behind when their threads ended without closing
 * them (a worker pool terminates its threads). Nothing to do for embedded backends.
 */
export async function collectLeftovers(backend: Backend | undefined): Promise<void> {
  if (backend !== undefined && isServerUrl(backend)) await collectServerOrphans(backend);
  if (backend !== undefined && isClickhouseUrl(backend)) await collectClickhouseLeftovers(backend);
}

/** Checks a server backend can be reached and used before a run starts; embedded ones always can. */
export async function checkBackend(backend: Backend | undefined): Promise<void> {
  if (backend !== undefined && isServerUrl(backend)) await checkServer(backend);
  if (backend !== undefined && isClickhouseUrl(backend)) await checkClickhouse(backend);
}

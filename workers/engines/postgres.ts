import { randomBytes } from "node:crypto";
import type Postgres from "postgres";
import { UsageError } from "../../core/input/usage-error.ts";
import type { DomainDatabase } from "../../core/model/database.ts";
import type { ContainmentProbe } from "../../core/model/observation.ts";
import type { Policy } from "../../core/model/policy.ts";
import type { QueryResult } from "../../core/observe/rows.ts";
import { databaseRoleName, rlsStatements, type TableColumns } from "../../core/stack/containment.ts";
import type { DatabaseKnobs } from "../../core/stack/variant.ts";
import { appendTo } from "../../core/util/append.ts";
import { type Engine, type RowRef, type Session, variantKey } from "./engine.ts";
import { normalizeRow } from "./normalize.ts";
import { COLUMNS_SQL, collectColumns, collectVisibleRows, GRANTED_COLUMNS_SQL, sessionSetupSql, visibleRowsSql } from "./postgres-session.ts";
import type { DomainSql } from "./pglite.ts";

const asNumber = (text: string) => Number(Number(text).toPrecision(12));
const asText = (text: string) => text;
const ignore = () => {};

/** `postgres://` or `postgresql://`: a server to run on, instead of an embedded engine's name. */
export function isServerUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** The URL without its password (and without query parameters, which may carry one). */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username ? `${decodeURIComponent(parsed.username)}${parsed.password ? ":***" : ""}@` : "";
    return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname}`;
  } catch {
    return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@]*@/i, "$1:***@").replace(/\?.*$/, "");
  }
}

/** Where the run executed, for metadata: user, host, port and database; never the password. */
export function describeServer(url: string): string {
  return maskUrl(url)
    .replace(/^[a-z]+:\/\//i, "")
    .replace(/:\*\*\*@/, "@");
}

const PREFIX_PATTERN = "^(strata_r[0-9a-f]{8})_";

/**
 * porsager's postgres, loaded on first use: only a server backend needs it, and loading it with the
 * module graph cost every thread (a reproduction's worker too) about 15 ms of its start.
 */
function postgresClient(): typeof Postgres {
  return (require("postgres") as { default: typeof Postgres }).default;
}

/**
 * Connection settings of PGlite, so that values, time zones and text compare: int8 and numeric
 * as numbers rounded like PGlite's parsers, dates and timestamps as text, UTC, ISO dates. Every
 * connection is named after the engine's prefix: while one is open, the engine is alive.
 */
function connect(url: string, prefix: string) {
  return postgresClient()(url, {
    max: 5,
    connect_timeout: 10,
    idle_timeout: 0,
    max_lifetime: 0,
    onnotice: ignore,
    connection: { application_name: prefix, TimeZone: "UTC", DateStyle: "ISO, MDY", IntervalStyle: "postgres", extra_float_digits: 1 },
    types: {
      strata_number: { to: 1700, from: [20, 1700], serialize: (x: unknown) => String(x), parse: asNumber },
      strata_time: { to: 1114, from: [1082, 1114, 1184], serialize: (x: unknown) => String(x), parse: asText },
    },
  });
}
type Client = ReturnType<typeof connect>;
type Reserved = Awaited<ReturnType<Client["reserve"]>>;
type Connection = Client | Reserved;
type Rows = Record<string, unknown>[];

/**
 * A simple-protocol batch resolves to one result (an array of rows) or, when several statements
 * returned rows, to an array of results. The rows of the last statement that returned any.
 */
function lastRows(result: unknown): Rows {
  const list = result as unknown[];
  if (list.length > 0 && Array.isArray(list[0])) return (list[list.length - 1] ?? []) as Rows;
  return list as Rows;
}

const WHO_AM_I = `
  select current_user as name, r.rolsuper, r.rolbypassrls, r.rolcreaterole,
         has_database_privilege(current_database(), 'CREATE') as can_create,
         pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') as reads_all_stats
    from pg_roles r where r.rolname = current_user`;

interface ConnectingRole {
  name: string;
  rolsuper: boolean;
  rolbypassrls: boolean;
  rolcreaterole: boolean;
  can_create: boolean;
  reads_all_stats: boolean;
}

/**
 * Drops what engines that are gone left behind: a process killed mid-run, or a worker thread
 * its pool terminated without closing its engine. An engine holds a connection named after its
 * prefix from open to close, so a prefix no connection of the server carries is an orphan. Only
 * a role that sees every connection's name may judge; otherwise nothing is collected. Best effort.
 */
async function collectOrphans(client: Client, me: ConnectingRole): Promise<void> {
  if (!me.rolsuper && !me.reads_all_stats) return;
  const orphans = await client.unsafe<{ prefix: string }[]>(
    `select distinct substring(name from $1) as prefix
       from (select nspname::text as name from pg_namespace union all select rolname::text from pg_roles) as objects
      where name ~ $1
        and substring(name from $1) not in (select application_name from pg_stat_activity where application_name is not null)
      order by 1`,
    [PREFIX_PATTERN],
  );
  for (const { prefix } of orphans) await dropPrefixed(client, prefix).catch(ignore);
}

/**
 * Connects, holding one connection (the lease), and checks the connecting role may do what an
 * engine does. Failures are usage errors that say what to do, with the password masked.
 */
async function reach(url: string, prefix: string): Promise<{ client: Client; lease: Reserved; me: ConnectingRole }> {
  const client = connect(url, prefix);
  let me: ConnectingRole | undefined;
  let lease: Reserved;
  try {
    lease = await client.reserve();
    [me] = await lease.unsafe<ConnectingRole[]>(WHO_AM_I);
  } catch (error) {
    await client.end({ timeout: 1 }).catch(ignore);
    throw new UsageError(
      `cannot reach ${maskUrl(url)}: ${(error as Error).message}`,
      "start a throwaway server with scripts/start-postgres.sh (it prints the URL to pass to --backend), or check the URL",
    );
  }
  const missing: string[] = [];
  if (!me?.rolsuper && !me?.rolbypassrls) missing.push("BYPASSRLS (to read the unrestricted state)");
  if (!me?.rolsuper && !me?.rolcreaterole) missing.push("CREATEROLE (to create the policy roles)");
  if (!me?.rolsuper && !me?.can_create) missing.push("CREATE on the database (to create the variant schemas)");
  if (!me || missing.length > 0) {
    await client.end({ timeout: 1 }).catch(ignore);
    throw new UsageError(`${maskUrl(url)}: role ${me?.name ?? "?"} lacks ${missing.join(", ")}`, "connect as a superuser, such as strata_admin of scripts/start-postgres.sh");
  }
  return { client, lease, me };
}

/** Fails early, in the main thread, when a server backend is unreachable or the role is too weak. */
export async function checkServer(url: string): Promise<void> {
  const { client } = await reach(url, "strata_check");
  await client.end({ timeout: 1 }).catch(ignore);
}

/** collectOrphans on its own connection, for a process that holds no engine (after a worker pool). */
export async function collectServerOrphans(url: string): Promise<void> {
  const client = connect(url, "strata_collector");
  try {
    const [me] = await client.unsafe<ConnectingRole[]>(WHO_AM_I);
    if (me) await collectOrphans(client, me);
  } catch {
    // Best effort: the next engine opened on this server collects them too.
  } finally {
    await client.end({ timeout: 1 }).catch(ignore);
  }
}

/** Drops the schemas (in this database) and the roles whose names start with `<prefix>_`. */
async function dropPrefixed(client: Client, prefix: string): Promise<void> {
  const mine = `${prefix}_`;
  const schemas = await client.unsafe<{ name: string }[]>("select nspname as name from pg_namespace where starts_with(nspname, $1) order by 1", [mine]);
  if (schemas.length > 0) await client.unsafe(schemas.map(({ name }) => `drop schema if exists "${name}" cascade`).join(";\n"));
  const roles = await client.unsafe<{ name: string }[]>("select rolname as name from pg_roles where starts_with(rolname, $1) order by 1", [mine]);
  for (const { name } of roles) await client.unsafe(`drop owned by "${name}"; drop role if exists "${name}"`);
}

/**
 * Postgres semantics on a real server, mirroring PgliteEngine: each database variant is a schema
 * holding its own copy of the seeded state with forced row-level security and column grants;
 * sessions run as a policy role that is neither superuser nor BYPASSRLS.
 *
 * Everything this engine creates carries a per-engine prefix (`strata_r<8 random hex>`): schemas
 * `<prefix>_v0…` and roles `<prefix>_<role>`, so concurrent runs, worker threads and shards on one
 * server never collide. close() drops every schema and role with that prefix.
 */
export class PostgresEngine implements Engine {
  readonly name = "postgres";
  readonly dialect = "postgres" as const;
  private readonly schemas = new Map<string, Promise<string>>();
  private nextSchema = 0;
  private columns: TableColumns | null = null;
  private readonly grants = new Map<string, Promise<Record<string, string[]>>>();
  /** The connection of the transaction withRows holds open; every statement goes there meanwhile. */
  private tx: Reserved | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly client: Client,
    /** Held from open to close: its name tells other engines this one is alive. */
    private readonly lease: Reserved,
    readonly prefix: string,
    private readonly policy: Policy,
    private readonly db: DomainDatabase,
    private readonly sql: DomainSql,
  ) {}

  static async open(url: string, policy: Policy, db: DomainDatabase, sql: DomainSql): Promise<PostgresEngine> {
    const prefix = `strata_r${randomBytes(4).toString("hex")}`;
    const { client, lease, me } = await reach(url, prefix);
    await collectOrphans(client, me).catch(ignore);
    const engine = new PostgresEngine(client, lease, prefix, policy, db, sql);
    try {
      for (const role of Object.keys(policy.roles)) {
        const dbRole = engine.roleName(role);
        await client.unsafe(`create role ${dbRole} nologin nosuperuser nobypassrls nocreatedb nocreaterole noreplication`);
        // A superuser may SET ROLE to any role; anyone else needs membership.
        if (!me.rolsuper) await client.unsafe(`grant ${dbRole} to current_user`);
      }
    } catch (error) {
      await engine.close().catch(ignore);
      throw error;
    }
    return engine;
  }

  roleName(role: string): string {
    return databaseRoleName(role, this.prefix);
  }

  /** Statements on the withRows transaction run one at a time: each isolated step is several. */
  private serial<T>(step: (tx: Reserved) => Promise<T>): Promise<T> {
    const tx = this.tx!;
    const run = this.queue.then(
      () => step(tx),
      () => step(tx),
    );
    this.queue = run.catch(ignore);
    return run;
  }

  /** One statement with parameters, on the open transaction if there is one. */
  private read<T extends Rows>(text: string, params: string[] = []): Promise<T> {
    if (this.tx) return this.serial((tx) => tx.unsafe<T>(text, params));
    return this.client.unsafe<T>(text, params);
  }

  /** Runs `work` atomically: in a transaction of its own, or a savepoint of withRows' transaction. */
  private async atomically<T>(work: (c: Connection) => Promise<T>): Promise<T> {
    if (this.tx) {
      return this.serial(async (tx) => {
        await tx.unsafe("savepoint strata_s");
        try {
          const value = await work(tx);
          await tx.unsafe("release savepoint strata_s");
          return value;
        } catch (error) {
          await tx.unsafe("rollback to savepoint strata_s; release savepoint strata_s").catch(ignore);
          throw error;
        }
      });
    }
    const conn = await this.client.reserve();
    try {
      await conn.unsafe("begin");
      try {
        const value = await work(conn);
        await conn.unsafe("commit");
        return value;
      } catch (error) {
        await conn.unsafe("rollback").catch(ignore);
        throw error;
      }
    } finally {
      conn.release();
    }
  }

  private schemaFor(variant: DatabaseKnobs): Promise<string> {
    const key = variantKey(variant);
    const known = this.schemas.get(key);
    if (known) return known;
    const created = this.createSchema(variant, `${this.prefix}_v${this.nextSchema++}`);
    this.schemas.set(key, created);
    created.catch(() => {
      if (this.schemas.get(key) === created) this.schemas.delete(key);
    });
    return created;
  }

  private createSchema(variant: DatabaseKnobs, schema: string): Promise<string> {
    return this.atomically(async (c) => {
      await c.unsafe(`create schema ${schema}; set local search_path to ${schema};\n${this.sql.schema}\n;\n${this.sql.seed}\n; set local search_path to default;`);
      this.columns ??= await this.readColumns(c, schema);
      await c.unsafe(rlsStatements(this.policy, this.db, variant, schema, this.columns, this.prefix).join(";\n"));
      return schema;
    });
  }

  private async readColumns(c: Connection, schema: string): Promise<TableColumns> {
    const rows = await c.unsafe<{ table_name: string; column_name: string }[]>(
      COLUMNS_SQL,
      [schema],
    );
    const columns: TableColumns = {};
    for (const { table_name, column_name } of rows) appendTo(columns, table_name, column_name);
    const undeclared = Object.keys(columns).filter((t) => !this.db.tables[t]);
    if (undeclared.length > 0) throw new Error(`schema.sql creates tables not declared in database.yaml: ${undeclared.join(", ")}`);
    return columns;
  }

  /**
   * Runs `sql` after `setup` in a throw-away (sub)transaction, in one round trip, so settings and
   * any state change vanish. Returns the rows of the last statement.
   */
  private async isolated(setup: string, sql: string): Promise<Rows> {
    if (this.tx) {
      return this.serial(async (tx) => {
        // Its own round trip: a batch that fails to parse runs nothing, savepoint included.
        await tx.unsafe("savepoint strata_q");
        try {
          return lastRows(await tx.unsafe(`${setup} ${sql};\nrollback to savepoint strata_q; release savepoint strata_q`));
        } catch (error) {
          await tx.unsafe("rollback to savepoint strata_q; release savepoint strata_q").catch(ignore);
          throw error;
        }
      });
    }
    const conn = await this.client.reserve();
    try {
      return lastRows(await conn.unsafe(`begin; ${setup} ${sql};\nrollback`));
    } catch (error) {
      await conn.unsafe("rollback").catch(ignore);
      throw error;
    } finally {
      conn.release();
    }
  }

  private sessionSetup(schema: string, session: Session | null): string {
    return sessionSetupSql(this.db, schema, session, (role) => this.roleName(role));
  }

  async query(variant: DatabaseKnobs, session: Session | null, sql: string): Promise<QueryResult> {
    const schema = await this.schemaFor(variant);
    try {
      const rows = await this.isolated(this.sessionSetup(schema, session), sql);
      return { kind: "rows", rows: rows.map(normalizeRow) };
    } catch (error) {
      return { kind: "error", error: (error as Error).message };
    }
  }

  async probe(variant: DatabaseKnobs, session: Session): Promise<ContainmentProbe> {
    const schema = await this.schemaFor(variant);
    const rows = await this.isolated(this.sessionSetup(schema, session), visibleRowsSql(this.db));
    return { visible_rows: collectVisibleRows(this.db, rows), visible_columns: await this.grantedColumns(schema, session.role) };
  }

  /** Column grants do not change while rows come and go, so they are read once per schema and role. */
  private grantedColumns(schema: string, role: string): Promise<Record<string, string[]>> {
    const key = `${schema}|${role}`;
    let known = this.grants.get(key);
    if (!known) {
      known = this.read<{ table_name: string; column_name: string }[]>(GRANTED_COLUMNS_SQL, [schema, this.roleName(role)]).then(collectColumns);
      this.grants.set(key, known);
      known.catch(() => this.grants.delete(key));
    }
    return known;
  }

  async rows(): Promise<RowRef[]> {
    const first = this.schemas.values().next().value;
    if (!first) throw new Error("no state loaded yet");
    const schema = await first;
    const refs: RowRef[] = [];
    for (const [table, spec] of Object.entries(this.db.tables)) {
      const rows = await this.read<{ k: string }[]>(`select ${spec.key}::text as k from ${schema}.${table} order by ${spec.key}::text collate "C"`);
      for (const { k } of rows) refs.push({ table, key: k });
    }
    return refs;
  }

  async withRows<T>(keep: RowRef[], variants: DatabaseKnobs[], fn: () => Promise<T>): Promise<T> {
    if (this.tx) throw new Error("withRows does not nest");
    const kept = new Map<string, string[]>();
    for (const { table, key } of keep) {
      const list = kept.get(table) ?? [];
      list.push(key);
      kept.set(table, list);
    }
    const targets = await Promise.all(variants.map((v) => this.schemaFor(v)));
    const materialized = new Set(this.schemas.keys());
    const deletes: string[] = [];
    for (const schema of new Set(targets)) {
      for (const [table, spec] of Object.entries(this.db.tables)) {
        const keys = (kept.get(table) ?? []).map((k) => `'${k.replaceAll("'", "''")}'`);
        deletes.push(`delete from ${schema}.${table}${keys.length === 0 ? "" : ` where ${spec.key}::text not in (${keys.join(", ")})`}`);
      }
    }
    const conn = await this.client.reserve();
    this.tx = conn;
    this.queue = Promise.resolve();
    try {
      await conn.unsafe(`begin;\n${deletes.join(";\n")}`);
      return await fn();
    } finally {
      await this.serial((tx) => tx.unsafe("rollback")).catch(ignore);
      this.tx = null;
      conn.release();
      // Schemas created inside the transaction were rolled back with it.
      for (const key of [...this.schemas.keys()]) if (!materialized.has(key)) this.schemas.delete(key);
      const live = new Set(await Promise.all([...this.schemas.values()].map((p) => p.catch(() => ""))));
      for (const key of [...this.grants.keys()]) if (!live.has(key.split("|")[0]!)) this.grants.delete(key);
    }
  }

  /** Drops every schema and role carrying this engine's prefix, then closes the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await dropPrefixed(this.client, this.prefix);
    } finally {
      this.lease.release();
      await this.client.end({ timeout: 5 });
    }
  }
}

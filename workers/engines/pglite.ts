import { PGlite } from "@electric-sql/pglite";
import { createPglite } from "./pglite-snapshot.ts";
import { PgliteHost } from "./pglite-host.ts";
import type { DomainDatabase } from "../../core/model/database.ts";
import type { Policy } from "../../core/model/policy.ts";
import type { ContainmentProbe } from "../../core/model/observation.ts";
import type { QueryResult } from "../../core/observe/rows.ts";
import { databaseRoleName, rlsStatements, type TableColumns } from "../../core/stack/containment.ts";
import { type DatabaseKnobs, REFERENCE_STACK } from "../../core/stack/variant.ts";
import { type Engine, type RowRef, type Session, variantKey } from "./engine.ts";
import { normalizeRow } from "./normalize.ts";
import { isSingleStatement } from "./single-statement.ts";
import { simpleQuery, type SimpleQueryResult } from "./pglite-simple-query.ts";
import { COLUMNS_SQL, collectColumns, collectVisibleRows, GRANTED_COLUMNS_SQL, sessionSetupSql, visibleRowsSql } from "./postgres-session.ts";
import { appendTo } from "../../core/util/append.ts";

const OID = { int8: 20, numeric: 1700, date: 1082, timestamp: 1114, timestamptz: 1184 };
const asNumber = (text: string) => Number(Number(text).toPrecision(12));
const asText = (text: string) => text;
/**
 * Postgres's default 128 MB of shared buffers is allocated and cleared when PGlite starts, about
 * 32,000 fresh pages (half the page faults of a start), while every domain's states together fit in a
 * few megabytes. Only the cache's size changes: a page that does not fit is read back from
 * PGlite's in-memory file system.
 */
export const SHARED_BUFFERS = "16MB";
const PGLITE_OPTIONS = {
  parsers: { [OID.int8]: asNumber, [OID.numeric]: asNumber, [OID.date]: asText, [OID.timestamp]: asText, [OID.timestamptz]: asText },
  startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${SHARED_BUFFERS}`],
};

/** A host for engines that share one PGlite instance (see PgliteHost). */
export function pgliteHost(): PgliteHost {
  return new PgliteHost(PGLITE_OPTIONS);
}
/** Savepoints a reduction's open transaction stacks before it starts again from the full state. */
const MAX_LEVELS = 32;
/** Prepared statements kept per engine, least recently used first out. */
const PREPARED_KEPT = 256;
const PLAIN_ONLY_KEPT = 10_000;
/** Setups and SQL run once as plain text, remembered so that a second run prepares them. */
const SEEN_ONCE_KEPT = 10_000;

export interface DomainSql {
  schema: string;
  seed: string;
}

/**
 * Postgres semantics in-process: each database variant is a schema holding its own copy of the
 * seeded state with real row-level security and column grants; sessions run as a policy role
 * that is neither superuser nor BYPASSRLS.
 */
export class PgliteEngine implements Engine {
  readonly name = "pglite";
  readonly dialect = "postgres" as const;
  private readonly schemas = new Map<string, string>();
  private columns: TableColumns = {};
  private readonly grants = new Map<string, Record<string, string[]>>();
  private inTransaction = false;
  /**
   * A witness reduction's transaction, left open between its states. Each level is a savepoint
   * (strata_l0 at the full state, then one per state entered) and the rows it holds, by
   * `schema.table` (a table absent holds every row). The next state rolls back to the deepest
   * level that holds all its rows and deletes only what it drops: ddmin tries subsets of the
   * state it has kept, so that is one table of one or two schemas, where starting from the full
   * state deleted from every table of every schema. Empty: no transaction is open.
   */
  private levels: Map<string, Set<string>>[] = [];
  /** The schemas that existed when the open transaction began: those created since go with its rollback. */
  private schemasBefore = new Set<string>();
  /** A schema was created inside the open transaction: rolling back to an earlier level would drop it. */
  private levelsStale = false;
  /** Prepared statement names by session setup and SQL, in order of last use. */
  private readonly prepared = new Map<string, string>();
  /** Setup and SQL whose prepared run failed: they run as plain text from then on. */
  private readonly plainOnly = new Set<string>();
  /** Setup and SQL run once, as plain text: the next run prepares them. */
  private readonly seenOnce = new Set<string>();
  private preparedCount = 0;

  private constructor(
    private readonly pg: PGlite,
    private readonly host: PgliteHost | undefined,
    /** Starts the name of every schema, role and prepared statement this engine creates. */
    private readonly prefix: string,
    /** The instance is shared (see PgliteHost): close() drops this engine's objects, not the instance. */
    private readonly shared: boolean,
    private readonly policy: Policy,
    private readonly db: DomainDatabase,
    private readonly sql: DomainSql,
    private readonly prepareQueries: boolean,
    /** false: every statement through PGlite's `exec`, the reference the simple-query path is tested against. */
    private readonly directProtocol: boolean,
  ) {}

  /** Runs statements on the instance: the hot paths of queries, probes and reduced states. */
  private async run(sql: string): Promise<SimpleQueryResult[]> {
    return this.directProtocol ? simpleQuery(this.pg, sql) : ((await this.pg.exec(sql)) as SimpleQueryResult[]);
  }

  /**
   * An engine on its own instance, or on `host`'s shared one. `prepareQueries: false` runs every
   * query as plain text: the reference the prepared path is tested against.
   */
  static async open(
    policy: Policy,
    db: DomainDatabase,
    sql: DomainSql,
    options: { prepareQueries?: boolean; directProtocol?: boolean; host?: PgliteHost } = {},
  ): Promise<PgliteEngine> {
    const { pg, prefix } = options.host ? await options.host.acquire() : { pg: await createPglite(PGLITE_OPTIONS), prefix: "strata" };
    const engine = new PgliteEngine(pg, options.host, prefix, options.host !== undefined, policy, db, sql, options.prepareQueries ?? true, options.directProtocol ?? true);
    for (const role of Object.keys(policy.roles)) {
      await pg.exec(`create role ${engine.roleName(role)} nologin nosuperuser nobypassrls`);
    }
    return engine;
  }

  private roleName(role: string): string {
    return databaseRoleName(role, this.prefix);
  }

  private async schemaFor(variant: DatabaseKnobs): Promise<string> {
    const key = variantKey(variant);
    const known = this.schemas.get(key);
    if (known) return known;
    if (this.levels.length > 0) this.levelsStale = true;
    const schema = `${this.prefix}_v${this.schemas.size}`;
    await this.pg.exec(`create schema ${schema}; set search_path to ${schema};\n${this.sql.schema}\n;\n${this.sql.seed}\n; reset search_path;`);
    if (this.schemas.size === 0) this.columns = await this.readColumns(schema);
    await this.pg.exec(rlsStatements(this.policy, this.db, variant, schema, this.columns, this.prefix).join(";\n"));
    this.schemas.set(key, schema);
    return schema;
  }

  private async readColumns(schema: string): Promise<TableColumns> {
    const result = await this.pg.query<{ table_name: string; column_name: string }>(
      COLUMNS_SQL,
      [schema],
    );
    const columns: TableColumns = {};
    for (const { table_name, column_name } of result.rows) appendTo(columns, table_name, column_name);
    const undeclared = Object.keys(columns).filter((t) => !this.db.tables[t]);
    if (undeclared.length > 0) throw new Error(`schema.sql creates tables not declared in database.yaml: ${undeclared.join(", ")}`);
    return columns;
  }

  /**
   * Runs `sql` after `setup` in a throw-away (sub)transaction, in one round trip, so settings and
   * any state change vanish. Returns the rows of the last statement.
   *
   * A query that runs a second time is prepared then, once per session setup (role, tenant ids,
   * search path), and executed from then on: a witness reduction runs the same few queries on
   * hundreds of states, and planning was three quarters of a small query (614 µs plain, 161 µs
   * prepared). Its first run is plain text: preparing and executing cost about 150 µs more than
   * running it, and most queries never run again. Prepared
   * statements outlive the rollback. A plan that depends on the role is planned again by
   * Postgres when the role changes, and a change of search path re-analyses it; each setup has
   * its own statement anyway. Whatever fails on the prepared path runs again as plain text, so
   * errors read exactly as before, and that text is not prepared again.
   */
  private async isolated(setup: string, sql: string): Promise<Record<string, unknown>[]> {
    const key = `${setup}\u0000${sql}`;
    let name = this.prepared.get(key);
    let body = sql;
    let fresh = false;
    if (name !== undefined) {
      this.prepared.delete(key);
      this.prepared.set(key, name);
      body = `execute ${name}`;
    } else if (this.prepareQueries && !this.seenOnce.has(key)) {
      // On the paper plan 688 of 881 queries ran once: the engine's cache (CachedEngine) answers
      // a query on the full state after its first run, and only reductions run one again.
      if (this.seenOnce.size >= SEEN_ONCE_KEPT) this.seenOnce.clear();
      this.seenOnce.add(key);
    } else if (this.prepareQueries && !this.plainOnly.has(key) && isSingleStatement(sql)) {
      this.seenOnce.delete(key);
      name = `${this.prefix}_p${this.preparedCount++}`;
      body = `prepare ${name} as ${sql}\n; execute ${name}`;
      fresh = true;
    }
    try {
      const rows = await this.inIsolation(setup, body);
      if (fresh) await this.remember(key, name!);
      return rows;
    } catch (error) {
      if (name === undefined) throw error;
      this.prepared.delete(key);
      if (this.plainOnly.size >= PLAIN_ONLY_KEPT) this.plainOnly.clear();
      this.plainOnly.add(key);
      // A statement prepared before its execution failed is dropped (when preparing failed, there is none).
      await this.dropPrepared(name);
      return this.inIsolation(setup, sql);
    }
  }

  private async remember(key: string, name: string): Promise<void> {
    this.prepared.set(key, name);
    if (this.prepared.size <= PREPARED_KEPT) return;
    const [oldest, evicted] = this.prepared.entries().next().value!;
    this.prepared.delete(oldest);
    await this.dropPrepared(evicted);
  }

  /** Deallocates `name` if it exists: a failing deallocate would abort a reduction's transaction. */
  private async dropPrepared(name: string): Promise<void> {
    const made = await this.pg.query("select 1 from pg_prepared_statements where name = $1", [name]);
    if (made.rows.length > 0) await this.pg.exec(`deallocate ${name}`);
  }

  private async inIsolation(setup: string, sql: string): Promise<Record<string, unknown>[]> {
    // Savepoint, query and the closing rollback go in one message (one trip instead of two, about
    // 50 µs of a 350 µs reduction query). A statement that fails skips the rest of its message,
    // but a savepoint made before it in the same message survives, so the rollback is then sent
    // again on its own.
    const [open, close] = this.inTransaction ? ["savepoint strata_q;", "rollback to savepoint strata_q"] : ["begin;", "rollback"];
    let results: SimpleQueryResult[];
    try {
      // The newline ends a trailing line comment of `sql`, which would otherwise swallow the close.
      results = await this.run(`${open} ${setup} ${sql}\n; ${close};`);
    } catch (error) {
      await this.run(close);
      throw error;
    }
    // The last result is the rollback's; the one before it is the query's.
    return (results[results.length - 2]?.rows ?? []) as Record<string, unknown>[];
  }

  private sessionSetup(schema: string, session: Session | null): string {
    return sessionSetupSql(this.db, schema, session, (role) => this.roleName(role));
  }

  /** Work on the full state (outside withRows) first closes any reduction's open transaction. */
  private async ready(): Promise<void> {
    if (this.inTransaction) return;
    await this.host?.release(this);
    await this.settle();
  }

  /** Rolls back the open transaction of a reduction, with the schemas created inside it. */
  private async settle(): Promise<void> {
    if (this.levels.length === 0) return;
    this.levels = [];
    this.levelsStale = false;
    this.host?.drop(this);
    for (const [key, schema] of [...this.schemas]) if (!this.schemasBefore.has(schema)) this.schemas.delete(key);
    await this.run("rollback");
  }

  async query(variant: DatabaseKnobs, session: Session | null, sql: string): Promise<QueryResult> {
    await this.ready();
    const schema = await this.schemaFor(variant);
    try {
      const rows = await this.isolated(this.sessionSetup(schema, session), sql);
      return { kind: "rows", rows: rows.map(normalizeRow) };
    } catch (error) {
      return { kind: "error", error: (error as Error).message };
    }
  }

  async probe(variant: DatabaseKnobs, session: Session): Promise<ContainmentProbe> {
    await this.ready();
    const schema = await this.schemaFor(variant);
    const rows = await this.isolated(this.sessionSetup(schema, session), visibleRowsSql(this.db));
    return { visible_rows: collectVisibleRows(this.db, rows), visible_columns: await this.grantedColumns(schema, session.role) };
  }

  /** Column grants do not change while rows come and go, so they are read once per schema and role. */
  private async grantedColumns(schema: string, role: string): Promise<Record<string, string[]>> {
    const key = `${schema}|${role}`;
    const known = this.grants.get(key);
    if (known) return known;
    const granted = await this.pg.query<{ table_name: string; column_name: string }>(GRANTED_COLUMNS_SQL, [schema, this.roleName(role)]);
    const visible_columns = collectColumns(granted.rows);
    this.grants.set(key, visible_columns);
    return visible_columns;
  }

  async rows(): Promise<RowRef[]> {
    await this.ready();
    const schema = await this.schemaFor(REFERENCE_STACK.database);
    const refs: RowRef[] = [];
    for (const [table, spec] of Object.entries(this.db.tables)) {
      const result = await this.pg.query<{ k: string }>(`select ${spec.key}::text as k from ${schema}.${table} order by 1`);
      for (const { k } of result.rows) refs.push({ table, key: k });
    }
    return refs;
  }

  async withRows<T>(keep: RowRef[], variants: DatabaseKnobs[], fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction) throw new Error("withRows does not nest");
    await this.host?.release(this);
    // A schema must be created outside the transaction, or its rollback would take the schema too.
    if (this.levelsStale || variants.some((v) => !this.schemas.has(variantKey(v)))) await this.settle();
    const kept = new Map<string, Set<string>>();
    for (const { table, key } of keep) {
      const keys = kept.get(table) ?? new Set<string>();
      keys.add(key);
      kept.set(table, keys);
    }
    const wanted = new Map<string, Set<string>>();
    for (const schema of new Set(await Promise.all(variants.map((v) => this.schemaFor(v))))) {
      for (const table of Object.keys(this.db.tables)) wanted.set(`${schema}.${table}`, kept.get(table) ?? new Set());
    }
    this.inTransaction = true;
    let failed = false;
    try {
      await this.enter(wanted);
      return await fn();
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      this.inTransaction = false;
      // A schema created inside fn exists only in this transaction: it is closed before another
      // state could roll back past the schema's creation.
      if (failed || this.levelsStale) await this.settle();
      else this.host?.hold(this, () => this.settle());
    }
  }

  /** Takes the open transaction (or a new one) to the state that holds only `wanted` rows. */
  private async enter(wanted: Map<string, Set<string>>): Promise<void> {
    const statements: string[] = [];
    let base = this.levels.findLastIndex((level) => holdsAll(level, wanted));
    if (base < 0) {
      this.schemasBefore = new Set(this.schemas.values());
      this.levels = [new Map()];
      statements.push("begin", "savepoint strata_l0");
      base = 0;
    } else {
      if (base + 1 >= MAX_LEVELS) base = 0;
      this.levels.length = base + 1;
      // Also drops the savepoints the last state's queries left.
      statements.push(`rollback to savepoint strata_l${base}`);
    }
    const from = this.levels[base]!;
    const next = new Map(from);
    let deletes = 0;
    for (const [name, keys] of wanted) {
      const held = from.get(name);
      // The level holds every wanted row, so a table holding as many holds exactly those.
      if (held && held.size === keys.size) continue;
      const table = this.db.tables[name.slice(name.indexOf(".") + 1)]!;
      const quoted = [...keys].map((k) => `'${k.replaceAll("'", "''")}'`);
      statements.push(`delete from ${name}${quoted.length === 0 ? "" : ` where ${table.key}::text not in (${quoted.join(", ")})`}`);
      next.set(name, keys);
      deletes++;
    }
    if (deletes > 0) {
      statements.push(`savepoint strata_l${base + 1}`);
      this.levels.push(next);
    }
    try {
      await this.run(statements.join(";\n"));
    } catch (error) {
      this.levels = [];
      await this.run("rollback").catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.ready();
    if (!this.shared) return this.pg.close();
    if (this.host?.retiring) return;
    // The instance stays with its host: only this engine's schemas, statements and roles go.
    for (const name of this.prepared.values()) await this.pg.exec(`deallocate ${name}`);
    for (const schema of this.schemas.values()) await this.pg.exec(`drop schema ${schema} cascade`);
    for (const role of Object.keys(this.policy.roles)) await this.pg.exec(`drop owned by ${this.roleName(role)}; drop role ${this.roleName(role)}`);
  }
}

/** Whether a level holds every row `wanted` keeps (a table the level does not name holds them all). */
function holdsAll(level: Map<string, Set<string>>, wanted: Map<string, Set<string>>): boolean {
  for (const [name, keys] of wanted) {
    const held = level.get(name);
    if (held) for (const key of keys) if (!held.has(key)) return false;
  }
  return true;
}

import type { DuckDBConnection, DuckDBInstance, DuckDBMaterializedResult, DuckDBPreparedStatement, DuckDBValueConverter, JS } from "@duckdb/node-api";
import type { DomainDatabase } from "../../core/model/database.ts";
import type { Policy } from "../../core/model/policy.ts";
import type { ContainmentProbe } from "../../core/model/observation.ts";
import type { QueryResult } from "../../core/observe/rows.ts";
import { orderByDepth } from "../../core/domain/join-graph.ts";
import { connectionRole, rowPolicyViews, SESSION_ROLE_VARIABLE, type TableColumns, variableName } from "../../core/stack/containment.ts";
import type { DatabaseKnobs } from "../../core/stack/variant.ts";
import { type Engine, type RowRef, type Session, variantKey } from "./engine.ts";
import { normalizeRow } from "./normalize.ts";
import { appendTo } from "../../core/util/append.ts";
import type { DomainSql } from "./pglite.ts";

/**
 * The rows of a materialized result, read synchronously: the reader's chunk-by-chunk fetch costs
 * two more trips through the addon's thread pool per query, which is most of a small query. Read
 * column by column: a per-row visit pays a callback and a vector lookup per value, which was half
 * of reading a probe's result.
 */
function rowObjects(result: DuckDBMaterializedResult, toJS: DuckDBValueConverter<JS>, names = result.deduplicatedColumnNames()): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const first = rows.length;
    const count = chunk.rowCount;
    for (let r = 0; r < count; r++) rows.push({});
    for (let column = 0; column < names.length; column++) {
      const vector = chunk.getColumnVector(column);
      const type = vector.type;
      const name = names[column]!;
      for (let r = 0; r < count; r++) rows[first + r]![name] = toJS(vector.getItem(r), type, toJS);
    }
  }
  return rows;
}

const BASE = "strata_base";

/** What a `set ... = value` statement sets: everything before its ` = `. */
function settingOf(statement: string): string {
  return statement.slice(0, statement.indexOf(" = "));
}
const SMALL_STATE_ROWS = 5000;
/** Prepared queries kept per engine; the least recently used is destroyed first. */
const PREPARED_KEPT = 2048;

/**
 * DuckDB in-process. DuckDB has no row-level security, so containment is emulated the way
 * ClickHouse row policies behave: one schema of filtered views per (variant, role) over the base
 * tables, with the tenant ids and connection role bound as session variables.
 */
export class DuckdbEngine implements Engine {
  readonly name = "duckdb";
  readonly dialect = "duckdb" as const;
  private readonly variants = new Map<string, string>();
  private columns: TableColumns = {};
  /** The statement each session setting (search path, each variable) was last bound with. */
  private readonly bound = new Map<string, string>();
  private readonly viewColumnCache = new Map<string, Record<string, string[]>>();
  private inTransaction = false;
  /**
   * A reduced state's rollback not sent yet. It rides with the next reduced state's deletes (one
   * call into DuckDB fewer per state: a reduction moves from state to state), and anything else
   * sends it first.
   */
  private rollbackDue = false;
  /**
   * The rows each table holds in the open reduction's transaction (while `rollbackDue`), or null
   * when the next state must start from the full one: a state within it is reached by deleting
   * only what it drops, without a rollback and a delete per table (ddmin tries subsets of the
   * state it has kept, so about half of a reduction's states are such). Null as well after views
   * were created inside the transaction: they must go with a rollback before anything else.
   */
  private openState: Map<string, Set<string>> | null = null;
  /** The variants whose views existed when the open state's transaction began. */
  private variantsAtBegin = new Set<string>();
  private readonly prepared = new Map<string, DuckDBPreparedStatement>();
  /** A prepared statement's result columns, fixed when it was prepared: read once, not per run. */
  private readonly columnNames = new WeakMap<DuckDBPreparedStatement, string[]>();
  /** Each base table's row ids by key, read once the tables are final: rows are never inserted or deleted for good. */
  private rowIds = new Map<string, Map<string, string>>();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly policy: Policy,
    private readonly db: DomainDatabase,
    private readonly toJS: DuckDBValueConverter<JS>,
    private readonly bindEveryQuery: boolean,
  ) {}

  /** `bindEveryQuery: true` binds the session before prepared statements too: the reference the shortcut is tested against. */
  static async open(policy: Policy, db: DomainDatabase, sql: DomainSql, options: { bindEveryQuery?: boolean } = {}): Promise<DuckdbEngine> {
    // Loaded on first use: the native addon is large, and a compiled binary unpacks it on demand.
    const { DuckDBInstance, JSDuckDBValueConverter } = await import("@duckdb/node-api");
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    await conn.run(`create schema ${BASE}; use ${BASE};`);
    await conn.run(sql.schema);
    await conn.run(sql.seed);
    await conn.run("use memory.main;");
    const engine = new DuckdbEngine(instance, conn, policy, db, JSDuckDBValueConverter, options.bindEveryQuery ?? false);
    engine.columns = await engine.readColumns();
    await engine.dropConstraints();
    engine.rowIds = await engine.readRowIds();
    // On a fixture-sized state, planning is most of a query's time and the optimizer (which never
    // changes a result) does not pay for itself: without it a reduction's replays run about 25% faster.
    // Nor do DuckDB's own threads: each lane already owns a core, and handing a tiny query to a
    // second thread costs more than running it (one thread: analytics seeded 7.0 s to 5.9 s).
    if ((await engine.rows()).length <= SMALL_STATE_ROWS) await conn.run("pragma disable_optimizer; set threads = 1;");
    return engine;
  }

  /**
   * Rebuilds each base table without its constraints (a copy keeps rows, order and column types).
   * Every reduction deletes rows and rolls back: maintaining key indexes is a fifth of that, and a
   * foreign key would refuse to delete a parent row before its children. The seed has already been
   * checked against the constraints, and nothing here writes. A parent table can be rebuilt once
   * its children are, hence the passes; a table that still cannot be is kept as it is.
   */
  private async dropConstraints(): Promise<void> {
    let pending = Object.keys(this.columns);
    for (let progress = true; progress && pending.length > 0; ) {
      const failed: string[] = [];
      for (const table of pending) {
        const copy = `${BASE}.strata_unconstrained`;
        try {
          await this.conn.run(`begin transaction; create table ${copy} as select * from ${BASE}.${table}; drop table ${BASE}.${table}; alter table ${copy} rename to ${table}; commit;`);
        } catch {
          await this.conn.run("rollback");
          failed.push(table);
        }
      }
      progress = failed.length < pending.length;
      pending = failed;
    }
  }

  private async readColumns(): Promise<TableColumns> {
    const reader = await this.conn.runAndReadAll(
      `select table_name, column_name from information_schema.columns where table_schema = '${BASE}' order by table_name, ordinal_position`,
    );
    const columns: TableColumns = {};
    for (const row of reader.getRowObjectsJS()) appendTo(columns, String(row.table_name), String(row.column_name));
    const undeclared = Object.keys(columns).filter((t) => !this.db.tables[t]);
    if (undeclared.length > 0) throw new Error(`schema.sql creates tables not declared in database.yaml: ${undeclared.join(", ")}`);
    return columns;
  }

  private async schemaFor(variant: DatabaseKnobs, role: string): Promise<string> {
    const key = variantKey(variant);
    let prefix = this.variants.get(key);
    if (!prefix) {
      prefix = `strata_v${this.variants.size}`;
      const p = prefix;
      const ordered = { ...this.db, tables: Object.fromEntries(orderByDepth(this.db, Object.keys(this.db.tables)).map((t) => [t, this.db.tables[t]!])) };
      const statements = rowPolicyViews(this.policy, ordered, variant, BASE, (r) => `${p}_${r}`, this.columns);
      for (const statement of statements) await this.conn.run(statement);
      this.variants.set(key, prefix);
      this.forgetPrepared();
    }
    return `${prefix}_${role}`;
  }

  private async read(sql: string): Promise<Record<string, unknown>[]> {
    return rowObjects(await this.conn.run(sql), this.toJS);
  }

  /**
   * A query of a session, prepared once. A reduction replays the same few queries on many states,
   * and preparing is a fifth of a small query's time. DuckDB binds the search path and folds
   * session variables when it prepares, so a statement is kept per (session, SQL), and all are
   * dropped when views come or go. For the same reason a statement already prepared runs without
   * binding its session first (a quarter of a millisecond per switch, and reductions switch between
   * the unrestricted and the session's view at every candidate). A query that fails to prepare
   * runs unprepared, so its error reads as before.
   */
  private async readPrepared(session: string[], sql: string): Promise<Record<string, unknown>[]> {
    const key = `${session.join(";\n")}\u0000${sql}`;
    let statement = this.prepared.get(key);
    if (statement && this.bindEveryQuery) {
      this.bound.clear();
      await this.bind(session);
    }
    if (statement) {
      this.prepared.delete(key);
    } else {
      await this.bind(session);
      try {
        statement = await this.conn.prepare(sql);
      } catch {
        return this.read(sql);
      }
      if (this.prepared.size >= PREPARED_KEPT) {
        const [oldest, evicted] = this.prepared.entries().next().value!;
        this.prepared.delete(oldest);
        evicted.destroySync();
      }
    }
    this.prepared.set(key, statement);
    const result = await statement.run();
    let names = this.columnNames.get(statement);
    if (!names) {
      names = result.deduplicatedColumnNames();
      this.columnNames.set(statement, names);
    }
    return rowObjects(result, this.toJS, names);
  }

  private forgetPrepared(): void {
    for (const statement of this.prepared.values()) statement.destroySync();
    this.prepared.clear();
  }

  /**
   * The statements that bind a session: search path, tenant ids, connection role. Unrestricted
   * queries read the base tables, which use no variable, so they set only the search path.
   */
  private async sessionStatements(variant: DatabaseKnobs, session: Session | null): Promise<string[]> {
    if (!session) return [`set search_path = '${BASE}'`];
    const schema = await this.schemaFor(variant, session.role);
    const tenants = session.tenantIds.join(",").replaceAll("'", "''");
    const role = connectionRole(this.db, variant) ?? "";
    return [
      `set variable ${variableName(this.db.tenancy.session_variable)} = '${tenants}'`,
      `set variable ${SESSION_ROLE_VARIABLE} = '${role}'`,
      `set search_path = '${schema},${BASE}'`,
    ];
  }

  /**
   * Binds a session: only the settings whose value differs from the bound one. Reductions switch
   * between a principal's session and unrestricted queries, which change only the search path;
   * each statement in a call costs DuckDB about 0.1 ms.
   */
  private async bind(statements: string[]): Promise<void> {
    const changed = statements.filter((statement) => this.bound.get(settingOf(statement)) !== statement);
    if (changed.length === 0) return;
    await this.conn.run(changed.join(";\n"));
    for (const statement of changed) this.bound.set(settingOf(statement), statement);
  }

  private async settle(): Promise<void> {
    if (!this.rollbackDue) return;
    this.rollbackDue = false;
    this.openState = null;
    await this.conn.run("rollback");
  }

  async query(variant: DatabaseKnobs, session: Session | null, sql: string): Promise<QueryResult> {
    await this.settle();
    try {
      const rows = await this.readPrepared(await this.sessionStatements(variant, session), sql);
      return { kind: "rows", rows: rows.map(normalizeRow) };
    } catch (error) {
      if (this.inTransaction) await this.recover();
      return { kind: "error", error: (error as Error).message };
    }
  }

  async probe(variant: DatabaseKnobs, session: Session): Promise<ContainmentProbe> {
    await this.settle();
    const statements = await this.sessionStatements(variant, session);
    const schema = await this.schemaFor(variant, session.role);
    const tables = Object.entries(this.db.tables).filter(([table]) => this.columns[table]);
    const visible_rows: Record<string, string[]> = {};
    for (const [table] of tables) visible_rows[table] = [];
    const union = tables.map(([table, spec]) => `select '${table}' as t, cast(${spec.key} as varchar) as k from ${schema}.${table}`).join(" union all ");
    for (const row of await this.readPrepared(statements, `${union} order by 1, 2`)) appendTo(visible_rows, String(row.t), String(row.k));
    return { visible_rows, visible_columns: await this.viewColumns(schema) };
  }

  /** A view's columns never change while rows come and go, so they are read once per schema. */
  private async viewColumns(schema: string): Promise<Record<string, string[]>> {
    const known = this.viewColumnCache.get(schema);
    if (known) return known;
    const visible_columns: Record<string, string[]> = {};
    const columns = await this.read(
      `select table_name, column_name from information_schema.columns where table_schema = '${schema}' order by table_name, ordinal_position`,
    );
    for (const row of columns) appendTo(visible_columns, String(row.table_name), String(row.column_name));
    this.viewColumnCache.set(schema, visible_columns);
    return visible_columns;
  }

  async rows(): Promise<RowRef[]> {
    await this.settle();
    const refs: RowRef[] = [];
    for (const [table, spec] of Object.entries(this.db.tables)) {
      if (!this.columns[table]) continue;
      const rows = await this.read(`select cast(${spec.key} as varchar) as k from ${BASE}.${table} order by 1`);
      for (const r of rows) refs.push({ table, key: String(r.k) });
    }
    return refs;
  }

  private async readRowIds(): Promise<Map<string, Map<string, string>>> {
    const ids = new Map<string, Map<string, string>>();
    for (const [table, spec] of Object.entries(this.db.tables)) {
      if (!this.columns[table]) continue;
      const byKey = new Map<string, string>();
      for (const r of await this.read(`select cast(${spec.key} as varchar) as k, rowid as r from ${BASE}.${table}`)) byKey.set(String(r.k), String(r.r));
      ids.set(table, byKey);
    }
    return ids;
  }

  /**
   * The statement that leaves only `keys` of `held` (every row when undefined) in `table`, or null
   * when it would delete nothing. It names row ids, and whichever side is shorter (rows to delete
   * or rows to keep): on a reduction's states that is a fraction of the text, and most tables are
   * either kept whole or emptied.
   */
  private reduction(table: string, keys: Set<string>, held?: Set<string>): string | null {
    const byKey = this.rowIds.get(table)!;
    const keptIds: string[] = [];
    const deletedIds: string[] = [];
    for (const [key, id] of byKey) {
      if (held && !held.has(key)) continue;
      (keys.has(key) ? keptIds : deletedIds).push(id);
    }
    if (deletedIds.length === 0) return null;
    if (keptIds.length === 0) return `delete from ${BASE}.${table}`;
    return deletedIds.length <= keptIds.length
      ? `delete from ${BASE}.${table} where rowid in (${deletedIds.join(", ")})`
      : `delete from ${BASE}.${table} where rowid not in (${keptIds.join(", ")})`;
  }

  /**
   * Builds the current state again after a statement failed inside it: a failure aborts DuckDB's
   * transaction, and every later query of the state would fail too ("Current transaction is
   * aborted"). Views created inside the transaction go with its rollback.
   */
  private async recover(): Promise<void> {
    const state = this.openState;
    this.openState = null;
    const dropped = [...this.variants.keys()].filter((key) => !this.variantsAtBegin.has(key));
    for (const key of dropped) this.variants.delete(key);
    if (dropped.length > 0) this.forgetPrepared();
    this.bound.clear();
    await this.conn.run(["rollback", "begin transaction", ...(state ? this.deletes(state) : [])].join(";\n"));
    this.openState = state;
  }

  /** The deletes that take the full state (or `open`, a state holding all of `kept`) to `kept`. */
  private deletes(kept: Map<string, Set<string>>, open?: Map<string, Set<string>>): string[] {
    const statements: string[] = [];
    for (const table of this.rowIds.keys()) {
      const statement = this.reduction(table, kept.get(table)!, open?.get(table));
      if (statement) statements.push(statement);
    }
    return statements;
  }

  /** Whether every table's kept rows are among those the open state holds. */
  private within(kept: Map<string, Set<string>>, open: Map<string, Set<string>>): boolean {
    for (const [table, held] of open) {
      for (const key of kept.get(table) ?? []) if (!held.has(key)) return false;
    }
    return true;
  }

  async withRows<T>(keep: RowRef[], variants: DatabaseKnobs[], fn: () => Promise<T>): Promise<T> {
    // Views read the one base state, so every variant sees the reduced rows.
    void variants;
    if (this.inTransaction) throw new Error("withRows does not nest");
    const kept = new Map<string, Set<string>>();
    for (const table of this.rowIds.keys()) kept.set(table, new Set());
    for (const { table, key } of keep) if (this.rowIds.get(table)?.has(key)) kept.get(table)!.add(key);
    const open = this.rollbackDue ? this.openState : null;
    // One call for the whole state change: each call into DuckDB costs more than a small delete.
    let statements: string[];
    if (open && this.within(kept, open)) {
      statements = this.deletes(kept, open);
    } else {
      this.variantsAtBegin = new Set(this.variants.keys());
      statements = [...(this.rollbackDue ? ["rollback"] : []), "begin transaction", ...this.deletes(kept)];
    }
    this.rollbackDue = false;
    this.openState = null;
    this.inTransaction = true;
    try {
      if (statements.length > 0) await this.conn.run(statements.join(";\n"));
      this.openState = kept;
      return await fn();
    } catch (error) {
      this.openState = null;
      throw error;
    } finally {
      this.inTransaction = false;
      this.rollbackDue = true;
      // Views created inside the transaction go with its rollback, which must then come first.
      const dropped = [...this.variants.keys()].filter((key) => !this.variantsAtBegin.has(key));
      for (const key of dropped) this.variants.delete(key);
      if (dropped.length > 0) {
        this.openState = null;
        this.forgetPrepared();
      }
    }
  }

  async close(): Promise<void> {
    this.forgetPrepared();
    this.conn.closeSync();
    this.instance.closeSync?.();
  }
}

import type { PGlite } from "@electric-sql/pglite";
import { createPglite } from "./pglite-snapshot.ts";
import type { DomainDatabase } from "../../core/model/database.ts";
import type { Policy } from "../../core/model/policy.ts";
import type { ContainmentProbe } from "../../core/model/observation.ts";
import type { QueryResult } from "../../core/observe/rows.ts";
import { databaseRoleName, rlsStatements, type TableColumns } from "../../core/stack/containment.ts";
import { type DatabaseKnobs, REFERENCE_STACK } from "../../core/stack/variant.ts";
import { type Engine, type RowRef, type Session, variantKey } from "./engine.ts";
import { normalizeRow } from "./normalize.ts";
import { collectColumns, collectVisibleRows, GRANTED_COLUMNS_SQL, sessionSetupSql, visibleRowsSql } from "./postgres-session.ts";
import { appendTo } from "../../core/util/append.ts";

const OID = { int8: 20, numeric: 1700, date: 1082, timestamp: 1114, timestamptz: 1184 };
const asNumber = (text: string) => Number(Number(text).toPrecision(12));
const asText = (text: string) => text;

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

  private constructor(
    private readonly pg: PGlite,
    private readonly policy: Policy,
    private readonly db: DomainDatabase,
    private readonly sql: DomainSql,
  ) {}

  static async open(policy: Policy, db: DomainDatabase, sql: DomainSql): Promise<PgliteEngine> {
    const pg = await createPglite({
      parsers: { [OID.int8]: asNumber, [OID.numeric]: asNumber, [OID.date]: asText, [OID.timestamp]: asText, [OID.timestamptz]: asText },
    });
    const engine = new PgliteEngine(pg, policy, db, sql);
    for (const role of Object.keys(policy.roles)) {
      await pg.exec(`create role ${databaseRoleName(role)} nologin nosuperuser nobypassrls`);
    }
    return engine;
  }

  private async schemaFor(variant: DatabaseKnobs): Promise<string> {
    const key = variantKey(variant);
    const known = this.schemas.get(key);
    if (known) return known;
    const schema = `strata_v${this.schemas.size}`;
    await this.pg.exec(`create schema ${schema}; set search_path to ${schema};\n${this.sql.schema}\n;\n${this.sql.seed}\n; reset search_path;`);
    if (this.schemas.size === 0) this.columns = await this.readColumns(schema);
    await this.pg.exec(rlsStatements(this.policy, this.db, variant, schema, this.columns).join(";\n"));
    this.schemas.set(key, schema);
    return schema;
  }

  private async readColumns(schema: string): Promise<TableColumns> {
    const result = await this.pg.query<{ table_name: string; column_name: string }>(
      "select table_name, column_name from information_schema.columns where table_schema = $1 order by table_name, ordinal_position",
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
   */
  private async isolated(setup: string, sql: string): Promise<Record<string, unknown>[]> {
    // The savepoint goes in its own message: a statement that fails takes the rest of its
    // message with it, and the savepoint must survive to roll back to. For the same reason the
    // closing rollback rides with the query (one trip fewer, a quarter of a small query) and is
    // sent again on its own only when the query failed.
    if (this.inTransaction) await this.pg.exec("savepoint strata_q");
    const [open, close] = this.inTransaction ? ["", "rollback to savepoint strata_q"] : ["begin;", "rollback"];
    let results: Awaited<ReturnType<PGlite["exec"]>>;
    try {
      // The newline ends a trailing line comment of `sql`, which would otherwise swallow the close.
      results = await this.pg.exec(`${open} ${setup} ${sql}\n; ${close};`);
    } catch (error) {
      await this.pg.exec(close);
      throw error;
    }
    // The last result is the rollback's; the one before it is the query's.
    return (results[results.length - 2]?.rows ?? []) as Record<string, unknown>[];
  }

  private sessionSetup(schema: string, session: Session | null): string {
    return sessionSetupSql(this.db, schema, session, databaseRoleName);
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
  private async grantedColumns(schema: string, role: string): Promise<Record<string, string[]>> {
    const key = `${schema}|${role}`;
    const known = this.grants.get(key);
    if (known) return known;
    const granted = await this.pg.query<{ table_name: string; column_name: string }>(GRANTED_COLUMNS_SQL, [schema, databaseRoleName(role)]);
    const visible_columns = collectColumns(granted.rows);
    this.grants.set(key, visible_columns);
    return visible_columns;
  }

  async rows(): Promise<RowRef[]> {
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
    const kept = new Map<string, string[]>();
    for (const { table, key } of keep) {
      const list = kept.get(table) ?? [];
      list.push(key);
      kept.set(table, list);
    }
    const targets = await Promise.all(variants.map((v) => this.schemaFor(v)));
    const materialized = new Set(this.schemas.keys());
    this.inTransaction = true;
    try {
      const deletes: string[] = [];
      for (const schema of new Set(targets)) {
        for (const [table, spec] of Object.entries(this.db.tables)) {
          const keys = (kept.get(table) ?? []).map((k) => `'${k.replaceAll("'", "''")}'`);
          deletes.push(`delete from ${schema}.${table}${keys.length === 0 ? "" : ` where ${spec.key}::text not in (${keys.join(", ")})`}`);
        }
      }
      await this.pg.exec(`begin;\n${deletes.join(";\n")}`);
      return await fn();
    } finally {
      this.inTransaction = false;
      await this.pg.exec("rollback");
      // Schemas created inside the transaction were rolled back with it.
      for (const key of [...this.schemas.keys()]) if (!materialized.has(key)) this.schemas.delete(key);
    }
  }

  async close(): Promise<void> {
    await this.pg.close();
  }
}

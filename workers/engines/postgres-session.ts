import type { DomainDatabase } from "../../core/model/database.ts";
import { appendTo } from "../../core/util/append.ts";
import type { Session } from "./engine.ts";

/** The SQL both Postgres engines (PGlite and a server) send; one place, so they cannot drift. */

export const STATEMENT_TIMEOUT = "5s";

/**
 * Settings for one throw-away transaction: the variant's schema and a statement timeout; for a
 * principal's session also read-only, its tenant ids and its policy role (never BYPASSRLS).
 */
export function sessionSetupSql(db: DomainDatabase, schema: string, session: Session | null, roleName: (role: string) => string): string {
  const base = `set local search_path to ${schema}; set local statement_timeout = '${STATEMENT_TIMEOUT}';`;
  if (!session) return base;
  const tenants = session.tenantIds.join(",").replaceAll("'", "''");
  return `${base} set local transaction_read_only = on; select set_config('${db.tenancy.session_variable}', '${tenants}', true); set local role ${roleName(session.role)};`;
}

/** Every row key the session can see, table by table, in C-collation order on any server. */
export function visibleRowsSql(db: DomainDatabase): string {
  const union = Object.entries(db.tables)
    .map(([table, spec]) => `select '${table}' as t, ${spec.key}::text as k from ${table}`)
    .join(" union all ");
  return `select t, k from (${union}) as visible order by t collate "C", k collate "C"`;
}

export function collectVisibleRows(db: DomainDatabase, rows: Record<string, unknown>[]): Record<string, string[]> {
  const visible: Record<string, string[]> = {};
  for (const table of Object.keys(db.tables)) visible[table] = [];
  for (const row of rows) appendTo(visible, String(row.t), String(row.k));
  return visible;
}

/** Columns of `$1` (schema) that role `$2` may select. */
/** Columns of `$1`'s tables in order, from the catalog: what information_schema.columns lists, several times faster. */
export const COLUMNS_SQL = `select c.relname::text as table_name, a.attname::text as column_name
  from pg_catalog.pg_attribute a
  join pg_catalog.pg_class c on c.oid = a.attrelid
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where n.nspname = $1::text and c.relkind in ('r', 'v', 'f', 'p') and a.attnum > 0 and not a.attisdropped
  order by c.relname, a.attnum`;

/**
 * Columns of `$1`'s tables that role `$2` may select, from the catalog: information_schema.columns
 * (the same rows for a superuser, in the same order) took about 7 ms per call on PGlite, this about 1.
 */
export const GRANTED_COLUMNS_SQL = `select c.relname::text as table_name, a.attname::text as column_name
  from pg_catalog.pg_attribute a
  join pg_catalog.pg_class c on c.oid = a.attrelid
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where n.nspname = $1::text and c.relkind in ('r', 'v', 'f', 'p') and a.attnum > 0 and not a.attisdropped
    and has_column_privilege($2::text, c.oid, a.attnum, 'SELECT')
  order by c.relname, a.attnum`;

export function collectColumns(rows: { table_name: string; column_name: string }[]): Record<string, string[]> {
  const visible: Record<string, string[]> = {};
  for (const { table_name, column_name } of rows) appendTo(visible, table_name, column_name);
  return visible;
}

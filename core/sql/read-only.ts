import { significantTokens } from "./lexer.ts";
import { type AstNode, asList, descendants, identifierText, isNode, subqueryOf } from "./node.ts";
import { parseStatements, type SqlDialect } from "./parse.ts";

/**
 * Functions a SELECT can call to act outside the query: stall or kill sessions, change settings,
 * read server files, reach other databases, touch large objects, advance sequences, take locks,
 * or run SQL held in a string. Names match case-insensitively, on the last part of a qualified name.
 */
const DENIED_FUNCTIONS = new Set([
  "pg_sleep",
  "pg_sleep_for",
  "pg_sleep_until",
  "set_config",
  "pg_read_file",
  "pg_read_binary_file",
  "pg_ls_dir",
  "pg_stat_file",
  "pg_terminate_backend",
  "pg_cancel_backend",
  "pg_reload_conf",
  "pg_rotate_logfile",
  "pg_notify",
  "nextval",
  "setval",
  "query_to_xml",
  "query_to_xml_and_xmlschema",
  // DuckDB: read files straight from disk, or run a query given as text.
  "read_csv",
  "read_csv_auto",
  "read_parquet",
  "parquet_scan",
  "read_json",
  "read_json_auto",
  "read_text",
  "read_blob",
  "glob",
  "query",
  "query_table",
]);
const DENIED_PREFIXES = ["dblink", "lo_", "pg_advisory", "pg_try_advisory"];

function isDenied(name: string): boolean {
  const lower = name.toLowerCase();
  return DENIED_FUNCTIONS.has(lower) || DENIED_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

function calledName(node: AstNode): string | undefined {
  if (node.type === "aggr_func" || node.type === "window_func") return identifierText(node.name);
  if (node.type !== "function" || !isNode(node.name)) return undefined;
  const parts = asList(node.name.name);
  return identifierText(parts[parts.length - 1]);
}

/**
 * The grammar cannot parse FOR UPDATE / FOR SHARE at all, so such a query is refused as unparsable;
 * looking for the clause in the token stream only lets the error say why.
 */
function lockingClause(sql: string): string | undefined {
  const words = significantTokens(sql).map((token) => (token.kind === "word" ? token.text.toUpperCase() : ""));
  for (let i = 0; i < words.length; i++) {
    if (words[i] !== "FOR") continue;
    const rest = words.slice(i + 1, i + 4);
    if (rest[0] === "UPDATE" || rest[0] === "SHARE") return `FOR ${rest[0]}`;
    if (rest[0] === "NO" && rest[1] === "KEY" && rest[2] === "UPDATE") return "FOR NO KEY UPDATE";
    if (rest[0] === "KEY" && rest[1] === "SHARE") return "FOR KEY SHARE";
  }
  return undefined;
}

function parseOrExplain(sql: string, dialect: SqlDialect): AstNode[] {
  try {
    return parseStatements(sql, dialect);
  } catch (error) {
    const clause = lockingClause(sql);
    if (clause) throw new Error(`not a read-only query: locking clause ${clause} is not allowed`);
    throw error;
  }
}

function statementKind(node: AstNode): string {
  return typeof node.type === "string" ? node.type.toUpperCase() : "an unknown statement";
}

/** Queries nested in `statement` that must themselves be SELECTs: WITH bodies and subqueries. */
function nestedQueries(statement: AstNode): AstNode[] {
  const nested: AstNode[] = [];
  for (const node of descendants(statement)) {
    const subquery = subqueryOf(node);
    if (subquery) nested.push(subquery);
    if (node.type === "select") {
      for (const cte of asList(node.with)) {
        const body = isNode(cte) ? (subqueryOf(cte.stmt) ?? cte.stmt) : undefined;
        if (isNode(body)) nested.push(body);
      }
    }
  }
  return nested;
}

/**
 * Throws unless `sql` is exactly one SELECT (WITH ... SELECT and set operations of SELECTs
 * included) that writes nothing, takes no row locks and calls no denied function.
 */
export function assertReadOnlySelect(sql: string, dialect: SqlDialect): void {
  const statements = parseOrExplain(sql, dialect);
  if (statements.length !== 1) throw new Error(`not a read-only query: expected exactly one statement, found ${statements.length}`);
  const statement = statements[0]!;
  if (statement.type !== "select") throw new Error(`not a read-only query: only SELECT is allowed, found ${statementKind(statement)}`);
  for (const query of nestedQueries(statement)) {
    if (query.type !== "select") throw new Error(`not a read-only query: a nested ${statementKind(query)} is not allowed`);
  }
  for (const node of descendants(statement)) {
    if (node.type === "select" && isNode(node.into) && node.into.position) {
      throw new Error("not a read-only query: SELECT INTO creates a table");
    }
    const name = calledName(node);
    if (name !== undefined && isDenied(name)) throw new Error(`not a read-only query: function ${name.toLowerCase()} is not allowed`);
  }
}

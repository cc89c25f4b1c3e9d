import { repairBooleanPrecedence } from "./boolean-precedence.ts";
import { restoreAggregateDistinct, rewriteAggregateDistinct } from "./distinct-rewrite.ts";
import { type AstNode, isNode } from "./node.ts";
import { sqlParser } from "./sql-parser.ts";

export type SqlDialect = "postgres" | "duckdb" | "clickhouse" | "sqlite";

/**
 * node-sql-parser has no DuckDB grammar. The postgresql grammar covers the DuckDB SQL strata emits,
 * including ClickHouse-style calls (uniqExact, countIf, count()) which it reads as generic functions,
 * and `interval 7 hour`. Importing the single-grammar build avoids loading every dialect.
 */
const PARSER_OPTIONS: Record<SqlDialect, { database: string }> = {
  postgres: { database: "postgresql" },
  duckdb: { database: "postgresql" },
  // strata's ClickHouse and SQLite lowerings stay inside what the postgresql grammar reads: plain
  // string time literals, generic function calls, ORDER BY names.
  clickhouse: { database: "postgresql" },
  sqlite: { database: "postgresql" },
};

function astify(sql: string, dialect: SqlDialect): unknown[] {
  const ast: unknown = sqlParser().astify(sql, PARSER_OPTIONS[dialect]);
  return Array.isArray(ast) ? ast : [ast];
}

/** The grammar's own message lists every token it could have accepted; the position is what helps. */
function describe(error: unknown, sql: string): string {
  const location = isNode(error) && isNode(error.location) && isNode(error.location.start) ? error.location.start : undefined;
  if (location && typeof location.offset === "number") {
    const near = sql.slice(location.offset, location.offset + 20).split("\n")[0];
    return `syntax error at line ${String(location.line)}, column ${String(location.column)} near "${near}"`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** All statements in `sql`, each an AST node; throws a readable Error when the text does not parse. */
export function parseStatements(sql: string, dialect: SqlDialect): AstNode[] {
  let statements: unknown[];
  try {
    statements = astify(sql, dialect);
  } catch (original) {
    const rewritten = rewriteAggregateDistinct(sql);
    if (rewritten === undefined) throw new Error(`SQL does not parse as ${dialect}: ${describe(original, sql)}`);
    try {
      statements = astify(rewritten, dialect);
    } catch {
      throw new Error(`SQL does not parse as ${dialect}: ${describe(original, sql)}`);
    }
    restoreAggregateDistinct(statements);
  }
  return statements.map((parsed) => {
    const statement = repairBooleanPrecedence(parsed);
    if (!isNode(statement)) throw new Error("SQL parser returned an unexpected statement shape");
    return statement;
  });
}

/** The one statement in `sql`; throws unless there is exactly one. */
export function parseSingleStatement(sql: string, dialect: SqlDialect): AstNode {
  const statements = parseStatements(sql, dialect);
  if (statements.length !== 1) throw new Error(`expected exactly one SQL statement, found ${statements.length}`);
  return statements[0]!;
}

/**
 * A standalone expression, parsed as the only item of `select <expr>`. Anything that turns the text
 * into more than that one bare item (a comma, an alias, FROM, a second statement) is rejected, so the
 * wrapper cannot change what the expression means.
 */
export function parseExpression(expression: string, dialect: SqlDialect): unknown {
  const statement = parseSingleStatement(`select ${expression}`, dialect);
  const columns = statement.columns;
  const extraClauses = ["from", "where", "groupby", "having", "orderby", "with", "_next"].filter((key) => {
    const value = statement[key];
    return value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0);
  });
  const distinct = isNode(statement.distinct) ? statement.distinct.type : null;
  const limit = isNode(statement.limit) && Array.isArray(statement.limit.value) ? statement.limit.value.length : 0;
  const into = isNode(statement.into) && statement.into.position !== null && statement.into.position !== undefined;
  if (!Array.isArray(columns) || columns.length !== 1 || extraClauses.length > 0 || distinct || limit > 0 || into) {
    throw new Error(`not a single SQL expression: ${expression}`);
  }
  const item = columns[0];
  if (!isNode(item) || (item.as !== null && item.as !== undefined)) {
    throw new Error(`not a single SQL expression (it has an alias): ${expression}`);
  }
  return item.expr;
}

import { canonicalExpression, printCanonical } from "./canonical.ts";
import { type AstNode, asList, descendants, identifierText, isNode } from "./node.ts";
import { parseFastSelect } from "./fast-select.ts";
import { parseSingleStatement, type SqlDialect } from "./parse.ts";
import { type ColumnResolver, comparisonOf, inPredicateOf, type SqlComparison, type SqlInPredicate } from "./predicates.ts";
import { collectRelations, qualifierScope, type SqlRelation } from "./relations.ts";

export { canonicalExpression };
export type { SqlDialect, SqlRelation, SqlInPredicate, SqlComparison };
export type { JoinKind } from "./relations.ts";
export type { ComparisonOperator, LiteralValue } from "./predicates.ts";

export interface SqlSelectItem {
  alias: string | null;
  /** Canonical text, comparable with `canonicalExpression` of a policy expression. */
  expression: string;
}

/**
 * What a compiled query does, read from its parse tree. Expression texts are canonical and keep the
 * qualifiers the query wrote; `inPredicates` and `comparisons` name columns as `table.column` with
 * aliases resolved, since those are what policy obligations are stated against.
 */
export interface SqlFacts {
  relations: SqlRelation[];
  selectItems: SqlSelectItem[];
  /** Top-level AND-ed conjuncts of WHERE, however they were parenthesised. */
  conjuncts: string[];
  inPredicates: SqlInPredicate[];
  comparisons: SqlComparison[];
  groupBy: string[];
  limit: number | null;
  /** Qualifiers of column references anywhere in the statement, as written (aliases not resolved). */
  tablesReferencedInExpressions: string[];
}

function assertPlainSelect(statement: AstNode): void {
  const type = typeof statement.type === "string" ? statement.type : "unknown";
  if (type !== "select") throw new Error(`expected a single SELECT statement, found ${type.toUpperCase()}`);
  if (statement._next) {
    const operator = typeof statement.set_op === "string" ? statement.set_op.toUpperCase() : "a set operation";
    throw new Error(`expected a single SELECT, found ${operator} of several queries`);
  }
  if (isNode(statement.into) && statement.into.position) throw new Error("SELECT INTO writes a table; expected a plain SELECT");
}

function conjunctsOf(where: unknown): unknown[] {
  if (isNode(where) && where.type === "binary_expr" && String(where.operator).toUpperCase() === "AND") {
    return [...conjunctsOf(where.left), ...conjunctsOf(where.right)];
  }
  return where === null || where === undefined ? [] : [where];
}

function columnResolver(statement: AstNode): ColumnResolver {
  const { byQualifier, sole } = qualifierScope(statement);
  return (columnRef) => {
    const column = identifierText(columnRef.column);
    if (column === undefined) return undefined;
    const qualifier = identifierText(columnRef.table);
    // A qualifier that names nothing in FROM is kept as written; the relations show it is not read.
    const table = qualifier === undefined ? sole : byQualifier.has(qualifier) ? byQualifier.get(qualifier) : qualifier;
    return table === undefined || table === null ? undefined : `${table}.${column}`;
  };
}

/** LIMIT n; null when absent, not a number, or OFFSET-only (the grammar also drops LIMIT after OFFSET). */
function limitOf(limit: unknown): number | null {
  if (!isNode(limit)) return null;
  const values = asList(limit.value);
  if (limit.seperator === "offset" && values.length < 2) return null;
  const first = values[0];
  if (!isNode(first) || (first.type !== "number" && first.type !== "bigint")) return null;
  const value = Number(first.value);
  return Number.isFinite(value) ? value : null;
}

function groupByOf(groupBy: unknown): string[] {
  const items = isNode(groupBy) ? asList(groupBy.columns) : asList(groupBy);
  return items.map(printCanonical);
}

function referencedQualifiers(statement: AstNode): string[] {
  const qualifiers = new Set<string>();
  for (const node of descendants(statement)) {
    if (node.type !== "column_ref") continue;
    const qualifier = identifierText(node.table);
    if (qualifier !== undefined) qualifiers.add(qualifier);
  }
  return [...qualifiers].sort();
}

/** Facts about one SELECT; throws when `sql` does not parse or is anything but a single SELECT. */
export function analyzeSql(sql: string, dialect: SqlDialect): SqlFacts {
  // Compiled queries almost always fit the fast parser's subset; the rest go to node-sql-parser.
  return factsOf(parseFastSelect(sql) ?? parseSingleStatement(sql, dialect));
}

/** Facts read from a parsed statement (exported so tests can compare the two parsers' trees). */
export function factsOf(statement: AstNode): SqlFacts {
  assertPlainSelect(statement);
  const resolve = columnResolver(statement);
  const conjunctNodes = conjunctsOf(statement.where);
  return {
    relations: collectRelations(statement),
    selectItems: asList(statement.columns).map((item) => ({
      alias: isNode(item) && item.as !== null && item.as !== undefined ? (identifierText(item.as) ?? null) : null,
      expression: printCanonical(isNode(item) ? item.expr : item),
    })),
    conjuncts: conjunctNodes.map(printCanonical),
    inPredicates: conjunctNodes.flatMap((node) => inPredicateOf(node, resolve) ?? []),
    comparisons: conjunctNodes.flatMap((node) => comparisonOf(node, resolve) ?? []),
    groupBy: groupByOf(statement.groupby),
    limit: limitOf(statement.limit),
    tablesReferencedInExpressions: referencedQualifiers(statement),
  };
}

import { printCanonical, printIdentifier } from "./canonical.ts";
import { type AstNode, asList, asString, identifierText, isNode, subqueryOf } from "./node.ts";

export type JoinKind = "from" | "left" | "inner" | "other";

export interface SqlRelation {
  table: string;
  /** The name the query uses for the relation: its alias, or the table name when there is none. */
  alias: string;
  join: JoinKind;
  /** Canonical join condition; `using (...)` for USING joins; null when there is none. */
  on: string | null;
}

/**
 * The grammar has no NATURAL JOIN, no ONLY, and no CROSS JOIN right after an unaliased table; it
 * reads those keywords as an alias or a table name instead. Refusing beats misreporting the join.
 */
function assertNotMisread(item: AstNode): void {
  const alias = asString(item.as)?.toLowerCase();
  if (alias === "cross" || alias === "natural") throw new Error(`unsupported FROM clause: ${alias.toUpperCase()} JOIN after an unaliased table`);
  if (asString(item.table)?.toLowerCase() === "only" && !item.db && !item.schema) throw new Error("unsupported FROM clause: ONLY");
}

/** The FROM list, with a parenthesised join group such as `(a join b on ...)` spliced in place. */
function fromItems(from: unknown): AstNode[] {
  return asList(from).flatMap((item) => {
    if (!isNode(item)) return [];
    assertNotMisread(item);
    if (isNode(item.expr) && item.expr.type === "tables") {
      const inner = fromItems(item.expr.expr);
      // The group sits where the whole parenthesised item sits in the outer list.
      if (inner[0]) inner[0] = { ...inner[0], join: item.join, on: item.on, using: item.using };
      return inner;
    }
    return [item];
  });
}

function tableName(item: AstNode): string | undefined {
  const table = asString(item.table);
  if (table === undefined) return undefined;
  return [asString(item.db), asString(item.schema), table].filter((part): part is string => !!part).join(".");
}

function joinKind(item: AstNode, position: number): JoinKind {
  const join = asString(item.join)?.toUpperCase().replace(/\s+/g, " ");
  if (join === undefined) return position === 0 ? "from" : "other";
  if (join === "LEFT JOIN" || join === "LEFT OUTER JOIN") return "left";
  if (join === "INNER JOIN" || join === "JOIN") return "inner";
  return "other";
}

function joinCondition(item: AstNode): string | null {
  if (item.on !== null && item.on !== undefined) return printCanonical(item.on);
  const using = asList(item.using)
    .map(identifierText)
    .filter((name): name is string => name !== undefined);
  if (using.length > 0) return `using (${using.map(printIdentifier).join(", ")})`;
  return null;
}

function cteNames(select: AstNode, inherited: ReadonlySet<string>): Set<string> {
  const names = new Set(inherited);
  for (const cte of asList(select.with)) if (isNode(cte)) names.add(identifierText(cte.name) ?? "");
  return names;
}

function cteBodies(select: AstNode): AstNode[] {
  return asList(select.with).map((cte) => {
    const body = isNode(cte) ? (subqueryOf(cte.stmt) ?? cte.stmt) : undefined;
    if (!isNode(body) || body.type !== "select") throw new Error("a WITH clause may only hold SELECT queries");
    return body;
  });
}

/** Subqueries in expressions (select list, WHERE, ON, ...), not descending into the ones found. */
function expressionSubqueries(value: unknown, found: AstNode[] = []): AstNode[] {
  if (Array.isArray(value)) {
    for (const item of value) expressionSubqueries(item, found);
    return found;
  }
  if (!isNode(value)) return found;
  const subquery = subqueryOf(value);
  if (subquery) {
    found.push(subquery);
    return found;
  }
  for (const child of Object.values(value)) expressionSubqueries(child, found);
  return found;
}

/** Where a query's expression subqueries can sit: every clause but FROM and WITH, plus ON conditions and table-function calls. */
function selectExpressions(select: AstNode): unknown[] {
  const clauses = Object.entries(select)
    .filter(([key]) => key !== "from" && key !== "with" && key !== "_next")
    .map(([, value]) => value);
  const fromParts = fromItems(select.from).flatMap((item) => [item.on, subqueryOf(item.expr) ? null : item.expr]);
  return [...clauses, ...fromParts];
}

function describeItem(item: AstNode, join: JoinKind): SqlRelation | undefined {
  const table = tableName(item);
  const alias = asString(item.as);
  if (table !== undefined) return { table, alias: alias ?? asString(item.table)!, join, on: joinCondition(item) };
  // A table function such as generate_series(...) or read_parquet(...) reads data too; it is reported under its call text.
  if (isNode(item.expr) && !subqueryOf(item.expr)) {
    const call = printCanonical(item.expr);
    return { table: call, alias: alias ?? call, join, on: joinCondition(item) };
  }
  return undefined;
}

function isCteReference(item: AstNode, ctes: ReadonlySet<string>): boolean {
  return typeof item.table === "string" && !item.db && !item.schema && ctes.has(item.table);
}

function relationsOf(select: AstNode, inherited: ReadonlySet<string>, outer: boolean): SqlRelation[] {
  const names = cteNames(select, inherited);
  const relations = cteBodies(select).flatMap((body) => relationsOf(body, names, false));
  fromItems(select.from).forEach((item, position) => {
    const subquery = subqueryOf(item.expr);
    if (subquery) relations.push(...relationsOf(subquery, names, false));
    else if (!isCteReference(item, names)) {
      const relation = describeItem(item, outer ? joinKind(item, position) : "other");
      if (relation) relations.push(relation);
    }
  });
  for (const subquery of expressionSubqueries(selectExpressions(select))) relations.push(...relationsOf(subquery, names, false));
  if (isNode(select._next)) relations.push(...relationsOf(select._next, inherited, false));
  return relations;
}

/**
 * Tables read by a SELECT, in order: WITH bodies, then the FROM list (a derived table's own tables
 * in its place), then tables of subqueries in expressions. Only the outer FROM list gets "from",
 * "left" and "inner"; anything nested is "other". A reference to a CTE is not a table and is left
 * out; the CTE body's tables are listed instead.
 */
export function collectRelations(select: AstNode): SqlRelation[] {
  return relationsOf(select, new Set(), true);
}

/**
 * How the outer query's column qualifiers map to table names: an alias (or a bare table name) to
 * the table's name without schema, which is how policies name tables. A qualifier naming a derived
 * table, a CTE or a table function maps to null: its columns belong to no table, even when the name
 * is a table's name. `sole` is the table when it is the only item in FROM, so unqualified columns
 * can only belong to it.
 */
export function qualifierScope(select: AstNode): { byQualifier: Map<string, string | null>; sole: string | undefined } {
  const byQualifier = new Map<string, string | null>();
  const names = cteNames(select, new Set());
  const baseTable = (item: AstNode) => (isCteReference(item, names) ? undefined : asString(item.table));
  const items = fromItems(select.from);
  for (const item of items) {
    const qualifier = asString(item.as) ?? asString(item.table);
    if (qualifier !== undefined) byQualifier.set(qualifier, baseTable(item) ?? null);
  }
  const sole = items.length === 1 ? baseTable(items[0]!) : undefined;
  return { byQualifier, sole };
}

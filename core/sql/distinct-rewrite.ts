import { tokenize } from "./lexer.ts";
import { type AstNode, asList, descendants, identifierText, isNode } from "./node.ts";

/**
 * node-sql-parser's postgresql grammar accepts DISTINCT only inside COUNT, ARRAY_AGG, STRING_AGG and
 * GROUP_CONCAT: `sum(distinct x)`, `avg(distinct x)` or `uniqExact(distinct x)` are syntax errors
 * although Postgres and DuckDB accept them. As a fallback (only after the untouched text failed to
 * parse) `name(distinct ...)` is rewritten to `name<MARKER>(...)`, which parses as an ordinary call,
 * and the marker is turned back into a `distinct` flag on the AST. A FILTER clause after such a call
 * still fails: the grammar only allows FILTER on its built-in aggregates.
 */
export const DISTINCT_MARKER = "__strata_distinct__";

/** Set on function nodes whose DISTINCT went through the rewrite; the parser never sets it. */
export const REWRITTEN_DISTINCT = "strata_distinct";

const NATIVE_DISTINCT = new Set(["count", "array_agg", "string_agg", "group_concat"]);

/** The rewritten text, or undefined when there is nothing the rewrite would change. */
export function rewriteAggregateDistinct(sql: string): string | undefined {
  const tokens = tokenize(sql);
  if (tokens.some((t) => t.text.toLowerCase().includes(DISTINCT_MARKER))) {
    throw new Error(`SQL must not contain the reserved identifier fragment ${DISTINCT_MARKER}`);
  }
  const significant = tokens.map((t, index) => ({ t, index })).filter(({ t }) => t.kind !== "space" && t.kind !== "comment");
  const renamed = new Set<number>();
  const dropped = new Set<number>();
  for (let k = 0; k + 2 < significant.length; k++) {
    const name = significant[k]!;
    const open = significant[k + 1]!;
    const keyword = significant[k + 2]!;
    if (name.t.kind !== "word" || NATIVE_DISTINCT.has(name.t.text.toLowerCase())) continue;
    if (open.t.text !== "(" || keyword.t.kind !== "word" || keyword.t.text.toLowerCase() !== "distinct") continue;
    renamed.add(name.index);
    dropped.add(keyword.index);
  }
  if (renamed.size === 0) return undefined;
  return tokens
    .map((t, index) => (dropped.has(index) ? " " : renamed.has(index) ? t.text + DISTINCT_MARKER : t.text))
    .join("");
}

/** Undoes the rename on a parsed AST, in place: the call keeps its name and gains the flag. */
export function restoreAggregateDistinct(ast: unknown): void {
  for (const node of descendants(ast)) {
    if (node.type !== "function" || !isNode(node.name)) continue;
    const parts = asList(node.name.name);
    const last = parts[parts.length - 1];
    const text = identifierText(last);
    if (!isNode(last) || text === undefined || !text.endsWith(DISTINCT_MARKER)) continue;
    (last as AstNode).value = text.slice(0, -DISTINCT_MARKER.length);
    node[REWRITTEN_DISTINCT] = true;
  }
}

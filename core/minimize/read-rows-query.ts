import { significantTokens, type Token } from "../sql/lexer.ts";

/**
 * A query listing the rows a SELECT reads: for every relation of its FROM clause, the key of each
 * row that survives the joins and the WHERE clause. Column `k<i>` holds the key of `tables[i]`,
 * as text (null where an outer join found no row). Grouping, HAVING, ordering and the limit are
 * dropped, so it lists a superset of the rows the result depends on.
 *
 * Witness reduction starts from the rows a case reads instead of the whole state
 * (workers/read-rows.ts); whether that start still shows the witness is tested before it is used,
 * so a wrong list costs one test, never a wrong witness.
 */
export interface LineageQuery {
  sql: string;
  tables: string[];
}

/** Words that end the FROM clause or the WHERE clause at the top level. */
const CLAUSE_ENDS = new Set(["group", "having", "order", "limit", "offset", "window", "qualify", "fetch", "settings", "format", "union", "intersect", "except"]);

/** Words that can follow a relation in FROM and are never its alias. */
const NOT_ALIAS = new Set(["on", "using", "join", "left", "right", "inner", "outer", "full", "cross", "natural", "where", "any", "all", "global", "array", "final", "sample", "prewhere"]);

const isWord = (token: Token | undefined, ...words: string[]) => token?.kind === "word" && words.includes(token.text.toLowerCase());

/**
 * `keys`: each table's key column. `asText`: the dialect's cast of an expression to text (it must
 * match how the engine lists the state's keys). Null when the statement is not a single plain
 * SELECT over known tables: subqueries, CTEs, set operations, derived tables, unknown relations.
 */
export function lineageQuery(sql: string, keys: ReadonlyMap<string, string>, asText: (expression: string) => string): LineageQuery | null {
  const tokens = significantTokens(sql.trim().replace(/;\s*$/, ""));
  if (!isWord(tokens[0], "select")) return null;
  if (tokens.some((t, i) => i > 0 && isWord(t, "select", "with"))) return null;
  let depth = 0;
  let from = -1;
  let where = -1;
  let end = tokens.length;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === "symbol" && token.text === "(") depth++;
    else if (token.kind === "symbol" && token.text === ")") depth--;
    else if (depth === 0 && isWord(token, "from") && from === -1) from = i;
    else if (depth === 0 && from !== -1 && isWord(token, "where") && where === -1) where = i;
    else if (depth === 0 && from !== -1 && token.kind === "word" && CLAUSE_ENDS.has(token.text.toLowerCase())) {
      end = i;
      break;
    }
  }
  if (from === -1 || depth < 0) return null;
  const fromEnd = where === -1 ? end : where;
  const relations = relationsOf(tokens.slice(from + 1, fromEnd), keys);
  if (relations === null || relations.length === 0) return null;
  const textOf = (first: number, last: number) => (first < last ? sql.slice(tokens[first]!.start, tokens[last - 1]!.start + tokens[last - 1]!.text.length) : "");
  const columns = relations.map((r, i) => `${asText(`${r.reference}.${keys.get(r.table)}`)} as k${i}`);
  const whereText = where === -1 ? "" : textOf(where + 1, end);
  if (where !== -1 && whereText === "") return null;
  return {
    sql: `select ${columns.join(", ")} from ${textOf(from + 1, fromEnd)}${whereText ? ` where ${whereText}` : ""}`,
    tables: relations.map((r) => r.table),
  };
}

/** The relations of a FROM clause: the table each one reads and the name columns qualify it by. */
function relationsOf(tokens: Token[], keys: ReadonlyMap<string, string>): { table: string; reference: string }[] | null {
  const out: { table: string; reference: string }[] = [];
  let depth = 0;
  let expectRelation = true;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === "symbol" && token.text === "(") {
      // A derived table or a parenthesised join: not followed here.
      if (expectRelation) return null;
      depth++;
      continue;
    }
    if (token.kind === "symbol" && token.text === ")") {
      depth--;
      continue;
    }
    if (depth > 0) continue;
    if (expectRelation) {
      if (token.kind !== "word" || NOT_ALIAS.has(token.text.toLowerCase())) return null;
      let name = token.text.toLowerCase();
      // schema.table: the table is the last part, and columns are qualified by it.
      while (tokens[i + 1]?.text === "." && tokens[i + 2]?.kind === "word") {
        name = tokens[i + 2]!.text.toLowerCase();
        i += 2;
      }
      if (!keys.has(name)) return null;
      let reference = name;
      const next = tokens[i + 1];
      if (isWord(next, "as") && tokens[i + 2]?.kind === "word") {
        reference = tokens[i + 2]!.text;
        i += 2;
      } else if (next?.kind === "word" && !NOT_ALIAS.has(next.text.toLowerCase())) {
        reference = next.text;
        i += 1;
      }
      out.push({ table: name, reference });
      expectRelation = false;
      continue;
    }
    if (isWord(token, "join") || (token.kind === "symbol" && token.text === ",")) expectRelation = true;
    else if (token.kind === "quoted") return null;
  }
  return expectRelation ? null : out;
}

import { tokenize as lex } from "./lexer.ts";
import type { AstNode } from "./node.ts";

/**
 * A hand-written parser for the plain SELECTs that compilers emit (joins on conditions, a WHERE of
 * comparisons, IN lists and typed literals, aggregates, GROUP BY, ORDER BY, LIMIT). It builds the
 * tree node-sql-parser builds for the same text, as far as the analyses read it, in a few tens of
 * microseconds instead of about a millisecond (docs/benchmarks.md, session 10).
 *
 * It is a shortcut, not a second grammar: anything outside its subset (subqueries, CTEs, set
 * operations, window functions, quoted identifiers, unknown function names, odd spacing of
 * operators, ...) returns undefined and node-sql-parser reads the text as before. Within the subset
 * fast-select.test.ts checks that both readings give the same facts, on generated queries and on
 * every query of the built-in domains. AND binds tighter than OR here by construction, which is
 * what the precedence repair makes of node-sql-parser's tree.
 */

interface Token {
  kind: "word" | "number" | "string" | "symbol";
  /** Word: lower-cased; string: the quoted body as written; symbol: one or two characters. */
  text: string;
  /** A word as written. */
  raw: string;
}

class NotInSubset extends Error {}

function reject(): never {
  throw new NotInSubset();
}

/**
 * Keywords of the subset and every word node-sql-parser's postgresql grammar might read specially;
 * none of them is taken as a name here. Some are legal names in that grammar, and such a query
 * simply takes the slow path.
 */
const KEYWORDS = new Set(
  (
    "all and any array as asc at between both by case cast collate column constraint create cross current_date current_time " +
    "current_timestamp current_user default desc distinct do else end escape except exists extract false fetch filter for " +
    "foreign from full group having ilike in inner intersect interval into is join lateral leading left like limit " +
    "localtime localtimestamp natural not null nulls offset on only or order outer over partition position primary " +
    "references returning right row rows select session_user similar some substring symmetric table then to trailing " +
    "trim true union unique user using values when where window with within date time timestamp datetime"
  ).split(" "),
);

/** Aggregates the grammar builds as `aggr_func` (the others are plain functions). */
const AGGREGATES = new Set(["count", "sum", "avg", "min", "max"]);

/**
 * Plain functions taken on the fast path: the ones compilers and metric definitions use, each
 * checked against node-sql-parser's reading in fast-select.test.ts. Any other name takes the slow path.
 */
export const FAST_FUNCTIONS: ReadonlySet<string> = new Set(
  (
    "abs ceil coalesce concat countif date_part date_trunc floor greatest least length lower max_by min_by mod nullif " +
    "power round sign sqrt stddev sumif avgif minif maxif timezone to_char uniq uniqexact uniqexactif upper variance " +
    "median quantile any_value argmax argmin tostartofmonth tostartofweek tostartofday todate"
  ).split(" "),
);

/** Cast targets the grammar reads as one plain type name. */
const CAST_TYPES = new Set(["date", "timestamp", "integer", "bigint", "text", "varchar", "boolean"]);

const TWO_CHAR_SYMBOLS = new Set(["<=", ">=", "<>", "!="]);
const ONE_CHAR_SYMBOLS = new Set(["(", ")", ",", ".", "=", "<", ">", "+", "-", "*", "/", "%"]);
const PLAIN_WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PLAIN_NUMBER = /^[0-9]+(\.[0-9]+)?$/;
const PLAIN_SPACE = /^[ \t\n\r]+$/;

/**
 * The lexer's tokens, narrowed to the subset: comments, quoted names, parameters, prefixed or
 * dollar-quoted strings, exponents, and anything glued together that the grammar might read
 * another way (`1abc`, `date'x'`) reject. Two-character operators are joined only when written
 * without a space, as the grammar reads them.
 */
function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let previousEnd = -1;
  for (const t of lex(sql)) {
    if (t.kind === "space") {
      // Other white space (a no-break space, a form feed) is not white space to every grammar.
      if (!PLAIN_SPACE.test(t.text)) reject();
      continue;
    }
    const glued = t.start === previousEnd;
    previousEnd = t.start + t.text.length;
    const last = tokens[tokens.length - 1];
    if (t.kind === "word") {
      if (!PLAIN_WORD.test(t.text) || (glued && last?.kind === "number")) reject();
      tokens.push({ kind: "word", text: t.text.toLowerCase(), raw: t.text });
    } else if (t.kind === "number") {
      if (!PLAIN_NUMBER.test(t.text)) reject();
      tokens.push({ kind: "number", text: t.text, raw: t.text });
    } else if (t.kind === "string") {
      const body = t.text.slice(1, -1);
      // Backslashes and line breaks inside strings are read differently by different grammars.
      // The lexer runs an unterminated string to the end of the text: what is left of the body
      // after its doubled quotes must hold no quote.
      if (!t.text.startsWith("'") || !t.text.endsWith("'") || t.text.length < 2 || /[\\\n\r]/.test(body)) reject();
      if (body.replaceAll("''", "").includes("'")) reject();
      if (glued && last?.kind === "word") reject();
      tokens.push({ kind: "string", text: body, raw: body });
    } else if (t.kind === "symbol") {
      if (glued && last?.kind === "symbol" && TWO_CHAR_SYMBOLS.has(last.text + t.text)) {
        last.text += t.text;
        last.raw = last.text;
      } else {
        tokens.push({ kind: "symbol", text: t.text, raw: t.text });
      }
    } else {
      reject();
    }
  }
  if (tokens.some((t) => t.kind === "symbol" && !ONE_CHAR_SYMBOLS.has(t.text) && !TWO_CHAR_SYMBOLS.has(t.text))) reject();
  return tokens;
}

const COMPARISONS = new Set(["=", "<>", "!=", "<", ">", "<=", ">="]);

class Reader {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.at + offset];
  }

  isWord(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.kind === "word" && t.text === text;
  }

  isSymbol(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.kind === "symbol" && t.text === text;
  }

  take(): Token {
    const t = this.tokens[this.at++];
    if (!t) reject();
    return t;
  }

  word(text: string): void {
    if (!this.isWord(text)) reject();
    this.at++;
  }

  symbol(text: string): void {
    if (!this.isSymbol(text)) reject();
    this.at++;
  }

  acceptWord(text: string): boolean {
    if (!this.isWord(text)) return false;
    this.at++;
    return true;
  }

  acceptSymbol(text: string): boolean {
    if (!this.isSymbol(text)) return false;
    this.at++;
    return true;
  }

  done(): boolean {
    return this.at >= this.tokens.length;
  }

  /** A plain name: a word that is no keyword. */
  name(): string {
    const t = this.take();
    if (t.kind !== "word" || KEYWORDS.has(t.text)) reject();
    return t.raw;
  }
}

function column(table: string | null, name: string): AstNode {
  return { type: "column_ref", table, column: { expr: { type: "default", value: name } }, collate: null };
}

function binary(operator: string, left: unknown, right: unknown): AstNode {
  return { type: "binary_expr", operator, left, right };
}

function exprList(values: unknown[]): AstNode {
  return { type: "expr_list", value: values };
}

function parseOr(r: Reader): unknown {
  let left = parseAnd(r);
  while (r.acceptWord("or")) left = binary("OR", left, parseAnd(r));
  return left;
}

function parseAnd(r: Reader): unknown {
  let left = parseNot(r);
  while (r.acceptWord("and")) left = binary("AND", left, parseNot(r));
  return left;
}

function parseNot(r: Reader): unknown {
  if (!r.acceptWord("not")) return parsePredicate(r);
  if (r.isSymbol("(")) {
    // The grammar reads `not (x)` as a call, binding tighter than whatever follows it, where SQL
    // negates the whole predicate: `not (x) = 1`. Only a NOT whose group ends the operand is taken.
    const group = parsePrimary(r);
    const next = r.peek();
    if (next && !(next.kind === "symbol" && (next.text === ")" || next.text === ",")) && !ENDS_OPERAND.has(next.text)) reject();
    return { type: "unary_expr", operator: "NOT", expr: group };
  }
  return { type: "unary_expr", operator: "NOT", expr: parseNot(r) };
}

/** Words after which a NOT's parenthesised operand is complete. */
const ENDS_OPERAND = new Set(["and", "or", "then", "else", "end", "as", "group", "order", "limit", "left", "inner", "join", "where", "from"]);

function parsePredicate(r: Reader): unknown {
  const left = parseAdditive(r);
  const t = r.peek();
  if (t === undefined) return left;
  if (t.kind === "symbol" && COMPARISONS.has(t.text)) {
    r.take();
    const right = parseAdditive(r);
    // `a = b = c` and friends group differently across grammars.
    const next = r.peek();
    if (next && next.kind === "symbol" && COMPARISONS.has(next.text)) reject();
    return binary(t.text, left, right);
  }
  if (t.kind !== "word") return left;
  if (t.text === "is") {
    r.take();
    const negated = r.acceptWord("not");
    r.word("null");
    return binary(negated ? "IS NOT" : "IS", left, { type: "null", value: null });
  }
  const negated = t.text === "not" && (r.isWord("in", 1) || r.isWord("between", 1) || r.isWord("like", 1));
  if (negated) r.take();
  if (r.acceptWord("in")) {
    r.symbol("(");
    const values = [parseOr(r)];
    while (r.acceptSymbol(",")) values.push(parseOr(r));
    r.symbol(")");
    return binary(negated ? "NOT IN" : "IN", left, exprList(values));
  }
  if (r.acceptWord("between")) {
    const low = parseAdditive(r);
    r.word("and");
    const high = parseAdditive(r);
    return binary(negated ? "NOT BETWEEN" : "BETWEEN", left, exprList([low, high]));
  }
  if (r.acceptWord("like")) {
    const pattern = parseAdditive(r);
    if (r.isWord("escape")) reject();
    return binary(negated ? "NOT LIKE" : "LIKE", left, pattern);
  }
  if (negated) reject();
  return left;
}

function parseAdditive(r: Reader): unknown {
  let left = parseMultiplicative(r);
  for (;;) {
    if (r.isSymbol("+") || r.isSymbol("-")) left = binary(r.take().text, left, parseMultiplicative(r));
    else return left;
  }
}

function parseMultiplicative(r: Reader): unknown {
  let left = parsePrimary(r);
  for (;;) {
    if (r.isSymbol("*") || r.isSymbol("/") || r.isSymbol("%")) left = binary(r.take().text, left, parsePrimary(r));
    else return left;
  }
}

function numberLiteral(text: string): AstNode {
  // Leading zeros and integers past double precision are spelled differently by the grammar.
  if (/^0[0-9]/.test(text)) reject();
  if (text.includes(".")) return { type: "number", value: text };
  if (text.length > 15) reject();
  return { type: "number", value: Number(text) };
}

/**
 * COUNT's argument. The grammar takes any expression there, except one that opens with a
 * parenthesised group and goes on after it (`count((a) - 1)`), which it reads as a plain call.
 * SUM, AVG, MIN and MAX take arithmetic only; with a predicate inside they are plain calls too.
 */
function countArgument(r: Reader): unknown {
  if (!r.isSymbol("(")) return parseOr(r);
  const group = parsePrimary(r);
  if (!r.isSymbol(")")) reject();
  return group;
}

function parseCall(r: Reader, name: string): AstNode {
  const lower = name.toLowerCase();
  r.symbol("(");
  if (AGGREGATES.has(lower)) {
    if (lower === "count" && r.acceptSymbol(")")) return { type: "function", name: { name: [{ type: "default", value: name }] }, args: exprList([]) };
    let args: AstNode;
    if (lower === "count" && r.acceptSymbol("*")) {
      args = { expr: { type: "star", value: "*" } };
    } else {
      // The grammar accepts DISTINCT only inside COUNT; elsewhere the text takes the slow path.
      const distinct = r.isWord("distinct");
      if (distinct && lower !== "count") reject();
      if (distinct) r.take();
      args = lower === "count" ? { distinct: distinct ? "DISTINCT" : null, expr: countArgument(r) } : { expr: parseAdditive(r) };
    }
    r.symbol(")");
    const node: AstNode = { type: "aggr_func", name: name.toUpperCase(), args, over: null };
    if (r.acceptWord("filter")) {
      r.symbol("(");
      r.word("where");
      node.filter = { keyword: "filter", parentheses: true, where: parseOr(r) };
      r.symbol(")");
    }
    if (r.isWord("over") || r.isWord("within")) reject();
    return node;
  }
  if (!FAST_FUNCTIONS.has(lower)) reject();
  const values: unknown[] = [];
  if (!r.acceptSymbol(")")) {
    values.push(parseOr(r));
    while (r.acceptSymbol(",")) values.push(parseOr(r));
    r.symbol(")");
  }
  if (r.isWord("over") || r.isWord("filter") || r.isWord("within")) reject();
  return { type: "function", name: { name: [{ type: "default", value: name }] }, args: exprList(values) };
}

function parsePrimary(r: Reader): unknown {
  const t = r.take();
  if (t.kind === "number") return numberLiteral(t.text);
  if (t.kind === "string") return { type: "single_quote_string", value: t.text };
  if (t.kind === "symbol") {
    if (t.text !== "(") reject();
    const inner = parseOr(r);
    r.symbol(")");
    if (typeof inner === "object" && inner !== null) (inner as AstNode).parentheses = true;
    return inner;
  }
  switch (t.text) {
    case "true":
    case "false":
      return { type: "bool", value: t.text === "true" };
    case "null":
      return { type: "null", value: null };
    case "date":
    case "timestamp": {
      const literal = r.take();
      if (literal.kind !== "string") reject();
      return { type: t.text, value: literal.text };
    }
    case "cast": {
      r.symbol("(");
      const expr = parseOr(r);
      r.word("as");
      const target = r.take();
      if (target.kind !== "word" || !CAST_TYPES.has(target.text)) reject();
      r.symbol(")");
      return { type: "cast", keyword: "cast", expr, symbol: "as", target: [{ dataType: target.text.toUpperCase() }] };
    }
  }
  if (KEYWORDS.has(t.text)) reject();
  if (r.isSymbol("(")) return parseCall(r, t.raw);
  if (r.acceptSymbol(".")) {
    const name = r.name();
    if (r.isSymbol(".") || r.isSymbol("(")) reject();
    return column(t.raw, name);
  }
  return column(null, t.raw);
}

function parseTable(r: Reader): AstNode {
  const table = r.name();
  if (r.isSymbol(".") || r.isSymbol("(")) reject();
  let alias: string | null = null;
  if (r.acceptWord("as")) alias = r.name();
  else if (r.peek()?.kind === "word" && !KEYWORDS.has(r.peek()!.text)) alias = r.name();
  return { db: null, table, as: alias };
}

function parseFrom(r: Reader): AstNode[] {
  const items = [parseTable(r)];
  for (;;) {
    let join: string;
    if (r.acceptWord("left")) {
      join = r.acceptWord("outer") ? "LEFT OUTER JOIN" : "LEFT JOIN";
    } else if (r.acceptWord("inner")) {
      join = "INNER JOIN";
    } else if (r.isWord("join")) {
      join = "INNER JOIN";
    } else {
      return items;
    }
    r.word("join");
    const item = parseTable(r);
    r.word("on");
    item.join = join;
    item.on = parseOr(r);
    items.push(item);
  }
}

function parseList(r: Reader): unknown[] {
  const items = [parseOr(r)];
  while (r.acceptSymbol(",")) items.push(parseOr(r));
  return items;
}

function parseSelect(r: Reader): AstNode {
  r.word("select");
  if (r.isWord("distinct") || r.isWord("all")) reject();
  const columns: AstNode[] = [];
  do {
    if (r.isSymbol("*")) reject();
    const expr = parseOr(r);
    // A bare alias is legal SQL, but compilers write AS; the slow path reads the rest.
    const as = r.acceptWord("as") ? r.name() : null;
    columns.push({ type: "expr", expr, as });
  } while (r.acceptSymbol(","));
  r.word("from");
  const from = parseFrom(r);
  const where = r.acceptWord("where") ? parseOr(r) : null;
  let groupby: AstNode | null = null;
  if (r.acceptWord("group")) {
    r.word("by");
    groupby = { columns: parseList(r) };
  }
  if (r.isWord("having")) reject();
  let orderby: AstNode[] | null = null;
  if (r.acceptWord("order")) {
    r.word("by");
    orderby = [];
    do {
      const expr = parseOr(r);
      const direction = r.acceptWord("desc") ? "DESC" : r.acceptWord("asc") ? "ASC" : null;
      if (r.isWord("nulls")) reject();
      orderby.push({ expr, type: direction, nulls: null });
    } while (r.acceptSymbol(","));
  }
  const limit: AstNode = { seperator: "", value: [] };
  if (r.acceptWord("limit")) {
    const count = r.take();
    if (count.kind !== "number" || count.text.includes(".")) reject();
    limit.value = [numberLiteral(count.text)];
  }
  if (!r.done()) reject();
  return {
    with: null,
    type: "select",
    options: null,
    distinct: { type: null },
    columns,
    into: { position: null },
    from,
    where,
    groupby,
    having: null,
    orderby,
    limit,
    window: null,
  };
}

/** The statement's tree when `sql` is a SELECT of the subset; undefined sends it to node-sql-parser. */
export function parseFastSelect(sql: string): AstNode | undefined {
  try {
    return parseSelect(new Reader(tokenize(sql)));
  } catch (error) {
    if (error instanceof NotInSubset) return undefined;
    throw error;
  }
}

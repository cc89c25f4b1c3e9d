import type { Parser } from "node-sql-parser/build/postgresql";
import { REWRITTEN_DISTINCT } from "./distinct-rewrite.ts";
import { type AstNode, asList, asString, identifierText, isNode, nodeType, subqueryOf } from "./node.ts";
import { parseExpression, type SqlDialect } from "./parse.ts";
import { sqlParser } from "./sql-parser.ts";

/**
 * Prints a parsed expression in one fixed spelling, so that two expressions compare equal as text
 * exactly when their trees are equal: keywords, operators and function names in lower case, one
 * space between tokens, `!=` as `<>`, `x::t` as `cast(x as t)`, and parentheses only where the
 * tree needs them (the parser's record of redundant ones is ignored). AND and OR chains are
 * flattened because they are associative. Identifiers keep their case: only the listed differences
 * are erased, so anything else fails closed as "different".
 */
export function canonicalExpression(expression: string, dialect: SqlDialect): string {
  return printCanonical(parseExpression(expression, dialect));
}

const PARSER_OPTIONS = { database: "postgresql" };

/** Keys the printer may ignore on any node: they never change meaning. */
const NEUTRAL_KEYS = new Set(["type", "parentheses", "loc"]);

// Postgres operator precedence, loosest first; operators not listed sit at OTHER_OPERATOR.
const PRECEDENCE: Record<string, number> = {
  OR: 1,
  AND: 2,
  IS: 4,
  "IS NOT": 4,
  "=": 5,
  "<>": 5,
  "<": 5,
  ">": 5,
  "<=": 5,
  ">=": 5,
  IN: 6,
  "NOT IN": 6,
  BETWEEN: 6,
  "NOT BETWEEN": 6,
  LIKE: 6,
  "NOT LIKE": 6,
  ILIKE: 6,
  "NOT ILIKE": 6,
  "+": 8,
  "-": 8,
  "*": 9,
  "/": 9,
  "%": 9,
  "^": 10,
};
const NOT_PRECEDENCE = 3;
const OTHER_OPERATOR = 7;
const SIGN_PRECEDENCE = 11;
const ATOM = 100;

function operatorOf(node: AstNode): string {
  const operator = (asString(node.operator) ?? "").toUpperCase();
  return operator === "!=" ? "<>" : operator;
}

function precedenceOf(value: unknown): number {
  if (!isNode(value)) return ATOM;
  if (value.type === "binary_expr") return PRECEDENCE[operatorOf(value)] ?? OTHER_OPERATOR;
  if (value.type === "unary_expr") return operatorOf(value) === "NOT" ? NOT_PRECEDENCE : SIGN_PRECEDENCE;
  if (isNotCall(value)) return NOT_PRECEDENCE;
  return ATOM;
}

function operand(value: unknown, minimum: number): string {
  const text = printCanonical(value);
  return precedenceOf(value) < minimum ? `(${text})` : text;
}

/** True when `node` carries a non-empty key the printer was not written for. */
function hasUnknownKeys(node: AstNode, known: readonly string[]): boolean {
  return Object.entries(node).some(([key, value]) => {
    if (NEUTRAL_KEYS.has(key) || known.includes(key)) return false;
    return value !== null && value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0);
  });
}

/**
 * For shapes this printer does not model, the parser's own printer is used: it is deterministic, so
 * equal trees still print equal, and unmodelled differences stay visible.
 */
function fallback(node: unknown): string {
  let text: unknown;
  try {
    text = isNode(node) ? sqlParser().exprToSQL(node, PARSER_OPTIONS) : undefined;
  } catch {
    text = undefined;
  }
  if (typeof text !== "string" || text === "") throw new Error(`cannot print SQL construct of type ${nodeType(node) ?? typeof node}`);
  return text;
}

function printSubquery(ast: AstNode): string {
  return sqlParser().sqlify(ast as unknown as Parameters<Parser["sqlify"]>[0], PARSER_OPTIONS);
}

export function printIdentifier(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** Items of an expression list; subqueries print bare because the list supplies the parentheses. */
function printItems(value: unknown): string {
  const items = nodeType(value) === "expr_list" && isNode(value) ? asList(value.value) : [value];
  return items.map((item) => {
    const subquery = subqueryOf(item);
    return subquery ? printSubquery(subquery) : printCanonical(item);
  }).join(", ");
}

function printOrderBy(value: unknown): string {
  return asList(value)
    .map((entry) => {
      if (!isNode(entry)) return fallback(entry);
      const direction = (asString(entry.type) ?? "").toLowerCase();
      const nulls = (asString(entry.nulls) ?? "").toLowerCase();
      // ASC is the default, so an explicit ASC is not a difference.
      return [printCanonical(entry.expr), direction === "desc" ? "desc" : "", nulls].filter(Boolean).join(" ");
    })
    .join(", ");
}

function printOver(value: unknown): string {
  if (!isNode(value)) return "";
  const spec = value.as_window_specification;
  if (typeof spec === "string") return ` over ${printIdentifier(spec)}`;
  const window = isNode(spec) && isNode(spec.window_specification) ? spec.window_specification : undefined;
  if (!window) return ` over ${fallback(value)}`;
  const parts: string[] = [];
  const name = asString(window.name);
  if (name) parts.push(printIdentifier(name));
  const partitions = asList(window.partitionby);
  if (partitions.length > 0) {
    parts.push(`partition by ${partitions.map((p) => printCanonical(isNode(p) && "expr" in p ? p.expr : p)).join(", ")}`);
  }
  if (asList(window.orderby).length > 0) parts.push(`order by ${printOrderBy(window.orderby)}`);
  if (window.window_frame_clause) parts.push(printCanonical(window.window_frame_clause));
  return ` over (${parts.join(" ")})`;
}

function printDataType(target: unknown): string {
  if (!isNode(target) || typeof target.dataType !== "string") return fallback(target);
  let text = target.dataType.toLowerCase();
  if (target.length !== undefined && target.length !== null) {
    const scale = target.scale !== undefined && target.scale !== null ? `, ${String(target.scale)}` : "";
    text += `(${String(target.length)}${scale})`;
  }
  const suffix = asList(target.suffix).filter((word): word is string => typeof word === "string");
  return [text, ...suffix.map((word) => word.toLowerCase())].join(" ");
}

function functionName(node: AstNode): string | undefined {
  if (typeof node.name === "string") return node.name.toLowerCase();
  if (!isNode(node.name)) return undefined;
  const parts = [node.name.schema, ...asList(node.name.name)].map(identifierText);
  if (parts.slice(1).some((part) => part === undefined)) return undefined;
  return parts.filter((part): part is string => part !== undefined).map((part) => part.toLowerCase()).join(".");
}

function callArguments(node: AstNode): unknown[] {
  return nodeType(node.args) === "expr_list" && isNode(node.args) ? asList(node.args.value) : [node.args];
}

/** The grammar reads `not (x)` as a call to a function named NOT; it is the operator. */
function isNotCall(node: AstNode): boolean {
  return node.type === "function" && functionName(node) === "not" && "args" in node && callArguments(node).length === 1;
}

function printFunction(node: AstNode): string {
  const name = functionName(node);
  if (name === undefined || hasUnknownKeys(node, ["name", "args", "over", "separator", REWRITTEN_DISTINCT])) {
    return fallback(node);
  }
  if (isNotCall(node)) return `not ${operand(callArguments(node)[0], NOT_PRECEDENCE)}`;
  // Keyword-like calls such as CURRENT_DATE have no argument list at all.
  if (!("args" in node)) return name + printOver(node.over);
  const args = callArguments(node).map((arg) => {
    const subquery = subqueryOf(arg);
    return subquery ? printSubquery(subquery) : printCanonical(arg);
  });
  // SQL-standard forms such as position(a in b) or trim(both x from y) pass their keywords as bare arguments.
  const keywordForm = node.separator === " " || callArguments(node).some((arg) => nodeType(arg) === "origin");
  const separator = keywordForm ? " " : ", ";
  const distinct = node[REWRITTEN_DISTINCT] === true ? "distinct " : "";
  return `${name}(${distinct}${args.join(separator)})${printOver(node.over)}`;
}

function printAggregate(node: AstNode): string {
  const args = isNode(node.args) ? node.args : {};
  const known = ["name", "args", "over", "filter", "within_group_orderby"];
  const oddSeparator = args.separator !== null && args.separator !== undefined && !isNode(args.separator);
  if (typeof node.name !== "string" || oddSeparator || hasUnknownKeys(node, known) || hasUnknownKeys(args, ["distinct", "expr", "orderby", "separator"])) {
    return fallback(node);
  }
  let inner = printItems(args.expr);
  if (args.distinct) inner = `distinct ${inner}`;
  if (isNode(args.separator)) inner += `, ${printCanonical(args.separator.delimiter)}`;
  if (asList(args.orderby).length > 0) inner += ` order by ${printOrderBy(args.orderby)}`;
  let text = `${node.name.toLowerCase()}(${inner})`;
  if (asList(node.within_group_orderby).length > 0) text += ` within group (order by ${printOrderBy(node.within_group_orderby)})`;
  if (isNode(node.filter)) text += ` filter (where ${printCanonical(node.filter.where)})`;
  return text + printOver(node.over);
}

function printWindowFunction(node: AstNode): string {
  if (typeof node.name !== "string" || hasUnknownKeys(node, ["name", "args", "over"])) return fallback(node);
  const args = node.args === undefined || node.args === null ? "" : printItems(node.args);
  return `${node.name.toLowerCase()}(${args})${printOver(node.over)}`;
}

function flatten(node: unknown, operator: string): unknown[] {
  if (isNode(node) && node.type === "binary_expr" && operatorOf(node) === operator) {
    return [...flatten(node.left, operator), ...flatten(node.right, operator)];
  }
  return [node];
}

function printBinary(node: AstNode): string {
  if (hasUnknownKeys(node, ["operator", "left", "right"])) return fallback(node);
  const operator = operatorOf(node);
  const precedence = precedenceOf(node);
  if (operator === "AND" || operator === "OR") {
    return flatten(node, operator)
      .map((part) => operand(part, precedence + 1))
      .join(` ${operator.toLowerCase()} `);
  }
  const left = operand(node.left, precedence);
  if (operator === "BETWEEN" || operator === "NOT BETWEEN") {
    const [low, high] = isNode(node.right) ? asList(node.right.value) : [];
    return `${left} ${operator.toLowerCase()} ${operand(low, precedence + 1)} and ${operand(high, precedence + 1)}`;
  }
  if (nodeType(node.right) === "expr_list") return `${left} ${operator.toLowerCase()} (${printItems(node.right)})`;
  const escapeClause = isNode(node.right) && isNode(node.right.escape) ? ` escape ${printCanonical(node.right.escape.value)}` : "";
  return `${left} ${operator.toLowerCase()} ${operand(node.right, precedence + 1)}${escapeClause}`;
}

function printUnary(node: AstNode): string {
  if (hasUnknownKeys(node, ["operator", "expr"])) return fallback(node);
  const operator = operatorOf(node);
  if (operator === "NOT") return `not ${operand(node.expr, NOT_PRECEDENCE)}`;
  const inner = operand(node.expr, SIGN_PRECEDENCE);
  // Two minus signs in a row would read as a line comment.
  return operator + (inner.startsWith(operator) ? `(${inner})` : inner);
}

function printColumn(node: AstNode): string {
  if (hasUnknownKeys(node, ["db", "schema", "table", "column", "array_index", "options"])) return fallback(node);
  const qualifier = [node.db, node.schema, node.table].map(identifierText).filter((part): part is string => part !== undefined);
  const column = node.column === "*" ? "*" : identifierText(node.column);
  if (column === undefined) return fallback(node);
  let text = [...qualifier.map(printIdentifier), column === "*" ? "*" : printIdentifier(column)].join(".");
  for (const index of asList(node.array_index)) text += `[${printCanonical(isNode(index) ? index.index : index)}]`;
  if (isNode(node.options)) text += ` ${asList(node.options.value).map(printCanonical).join(" ")}`;
  return text;
}

function printCast(node: AstNode): string {
  if (hasUnknownKeys(node, ["keyword", "expr", "symbol", "target"])) return fallback(node);
  const keyword = (asString(node.keyword) ?? "cast").toLowerCase();
  // `x::a::b` arrives as one node with two targets; it is the nested cast.
  return asList(node.target).reduce<string>((inner, target) => `${keyword}(${inner} as ${printDataType(target)})`, printCanonical(node.expr));
}

function printCase(node: AstNode): string {
  if (hasUnknownKeys(node, ["expr", "args"])) return fallback(node);
  const parts = ["case"];
  if (node.expr !== null && node.expr !== undefined) parts.push(printCanonical(node.expr));
  for (const branch of asList(node.args)) {
    if (!isNode(branch)) return fallback(node);
    if (branch.type === "when") parts.push(`when ${printCanonical(branch.cond)} then ${printCanonical(branch.result)}`);
    else parts.push(`else ${printCanonical(branch.result)}`);
  }
  parts.push("end");
  return parts.join(" ");
}

const TYPED_LITERALS = new Set(["date", "time", "timestamp", "datetime"]);

function printLiteral(node: AstNode, type: string): string | undefined {
  const value = node.value;
  if (type === "number" || type === "bigint") return String(value);
  // The parser keeps the quoted body verbatim (a doubled quote stays doubled), so it can be re-quoted as is.
  if (type === "single_quote_string") return `'${String(value)}'`;
  if (type === "double_quote_string" || type === "backticks_quote_string") return printIdentifier(String(value));
  if (type === "bool" || type === "boolean") return value ? "true" : "false";
  if (type === "null") return "null";
  if (TYPED_LITERALS.has(type)) return `${type} '${String(value)}'`;
  if (type === "star") return "*";
  // Bare keywords the grammar passes through, such as CURRENT ROW or the IN of position(a in b).
  if (type === "origin") return String(value).toLowerCase();
  return undefined;
}

export function printCanonical(value: unknown): string {
  if (!isNode(value)) return fallback(value);
  const subquery = subqueryOf(value);
  if (subquery) return `(${printSubquery(subquery)})`;
  const type = nodeType(value) ?? "";
  const literal = printLiteral(value, type);
  // The ESCAPE of a LIKE pattern hangs off the pattern literal; printBinary prints it.
  if (literal !== undefined) return hasUnknownKeys(value, ["value", "escape"]) ? fallback(value) : literal;
  switch (type) {
    case "column_ref":
      return printColumn(value);
    case "binary_expr":
      return printBinary(value);
    case "unary_expr":
      return printUnary(value);
    case "function":
      return printFunction(value);
    case "aggr_func":
      return printAggregate(value);
    case "window_func":
      return printWindowFunction(value);
    case "cast":
      return printCast(value);
    case "case":
      return printCase(value);
    case "expr_list":
      return `(${printItems(value)})`;
    case "interval": {
      const unit = (asString(value.unit) ?? "").toLowerCase();
      return `interval ${printCanonical(value.expr)}${unit ? ` ${unit}` : ""}`;
    }
    case "extract":
      return isNode(value.args) && typeof value.args.field === "string" && !value.args.cast_type
        ? `extract(${value.args.field.toLowerCase()} from ${printCanonical(value.args.source)})`
        : fallback(value);
    case "array":
      return isNode(value.expr_list) && value.brackets ? `array[${printItems(value.expr_list)}]` : fallback(value);
    default:
      return fallback(value);
  }
}

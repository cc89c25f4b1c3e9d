import { type AstNode, asList, isNode } from "./node.ts";

export type LiteralValue = string | number | boolean;

export interface SqlInPredicate {
  /** `table.column`, with the query's alias replaced by the table name. */
  column: string;
  /** The reference as the query wrote it (`alias.column`): what a relation alias stands for is checked separately. */
  written: string;
  values: LiteralValue[];
}

export type ComparisonOperator = ">=" | ">" | "<=" | "<" | "=" | "<>";

export interface SqlComparison {
  column: string;
  written: string;
  op: ComparisonOperator;
  /** The literal's value as text: a string's contents, a number as written, a typed literal's string. */
  value: string;
}

/** Maps a column reference to `table.column`, or undefined when it cannot be pinned to a table. */
export type ColumnResolver = (columnRef: AstNode) => string | undefined;

interface Literal {
  value: LiteralValue;
  text: string;
}

const TYPED_LITERALS = new Set(["date", "time", "timestamp", "datetime"]);

/** Numbers beyond double precision stay as text rather than silently changing value. */
function numberValue(text: string): LiteralValue {
  const parsed = Number(text);
  if (!Number.isFinite(parsed)) return text;
  if (Number.isInteger(parsed) && !Number.isSafeInteger(parsed)) return text;
  return parsed;
}

function literalOf(value: unknown): Literal | undefined {
  if (!isNode(value)) return undefined;
  const raw = value.value;
  switch (value.type) {
    case "number":
    case "bigint":
      return typeof raw === "number" || typeof raw === "string" ? { value: numberValue(String(raw)), text: String(raw) } : undefined;
    case "single_quote_string": {
      // The parser keeps the quoted body as written, so a doubled quote is still doubled.
      const text = String(raw).replaceAll("''", "'");
      return { value: text, text };
    }
    case "bool":
      return typeof raw === "boolean" ? { value: raw, text: String(raw) } : undefined;
    case "cast": {
      // `'2026-05-01'::date` is the same typed literal as `date '2026-05-01'`.
      const inner = literalOf(value.expr);
      return inner && typeof inner.value === "string" ? inner : undefined;
    }
    default:
      return typeof value.type === "string" && TYPED_LITERALS.has(value.type) && typeof raw === "string"
        ? { value: raw, text: raw }
        : undefined;
  }
}

function writtenName(column: AstNode): string {
  const name = isNode(column.column) && isNode(column.column.expr) ? String(column.column.expr.value) : String(column.column);
  return column.table ? `${String(column.table)}.${name}` : name;
}

function plainColumn(value: unknown): AstNode | undefined {
  if (!isNode(value) || value.type !== "column_ref" || value.column === "*") return undefined;
  if (asList(value.array_index).length > 0 || value.options || value.collate) return undefined;
  return value;
}

/** `<column> in (<literal>, ...)`; NOT IN, subqueries and lists with NULL or expressions do not qualify. */
export function inPredicateOf(conjunct: unknown, resolve: ColumnResolver): SqlInPredicate | undefined {
  if (!isNode(conjunct) || conjunct.type !== "binary_expr" || String(conjunct.operator).toUpperCase() !== "IN") return undefined;
  const column = plainColumn(conjunct.left);
  const list = isNode(conjunct.right) && conjunct.right.type === "expr_list" ? asList(conjunct.right.value) : [];
  if (!column || list.length === 0) return undefined;
  const values = list.map(literalOf);
  if (values.some((literal) => literal === undefined)) return undefined;
  const resolved = resolve(column);
  if (resolved === undefined) return undefined;
  return { column: resolved, written: writtenName(column), values: values.map((literal) => literal!.value) };
}

const FLIPPED: Record<ComparisonOperator, ComparisonOperator> = { ">=": "<=", ">": "<", "<=": ">=", "<": ">", "=": "=", "<>": "<>" };

function comparisonOperator(operator: unknown): ComparisonOperator | undefined {
  const text = String(operator) === "!=" ? "<>" : String(operator);
  return Object.hasOwn(FLIPPED, text) ? (text as ComparisonOperator) : undefined;
}

/** `<column> <op> <literal>`, or the literal first with the operator turned around. */
export function comparisonOf(conjunct: unknown, resolve: ColumnResolver): SqlComparison | undefined {
  if (!isNode(conjunct) || conjunct.type !== "binary_expr") return undefined;
  const op = comparisonOperator(conjunct.operator);
  if (op === undefined) return undefined;
  const forward = { column: plainColumn(conjunct.left), literal: literalOf(conjunct.right), op };
  const backward = { column: plainColumn(conjunct.right), literal: literalOf(conjunct.left), op: FLIPPED[op] };
  const match = forward.column && forward.literal ? forward : backward.column && backward.literal ? backward : undefined;
  if (!match?.column || !match.literal) return undefined;
  const column = resolve(match.column);
  return column === undefined ? undefined : { column, written: writtenName(match.column), op: match.op, value: match.literal.text };
}

import { type AstNode, isNode } from "./node.ts";

/**
 * node-sql-parser 5.4.0's postgresql grammar gives AND and OR the same precedence: in WHERE it reads
 * `a or b and c` as `(a or b) and c`, in a select list `a and b or c` as `a and (b or c)`. SQL binds
 * AND tighter than OR, and a detector that trusted the parser's tree would see a tenant predicate as
 * a top-level conjunct when an OR actually bypasses it. The grammar does record explicit parentheses
 * (`parentheses: true`), and an in-order walk of any binary tree returns its operands in source order
 * however they were grouped, so each unparenthesised AND/OR run is flattened back to its source
 * sequence and regrouped with the right precedence. NOT is folded in the same way: SQL binds it
 * tighter than AND, so a NOT whose operand is an unparenthesised AND/OR run only negates the first
 * operand of that run. Misread argument lists (below) are put right first.
 */
export function repairBooleanPrecedence<T>(ast: T): T {
  return repair(ast) as T;
}

function booleanOperator(value: unknown): "AND" | "OR" | undefined {
  if (!isNode(value) || value.type !== "binary_expr" || typeof value.operator !== "string") return undefined;
  const operator = value.operator.toUpperCase();
  return operator === "AND" || operator === "OR" ? operator : undefined;
}

function isNot(value: unknown): boolean {
  return isNode(value) && value.type === "unary_expr" && typeof value.operator === "string" && value.operator.toUpperCase() === "NOT";
}

/** A NOT over an AND/OR run the source did not parenthesise. */
function isNotOverRun(value: AstNode): boolean {
  return isNot(value) && isNode(value.expr) && booleanOperator(value.expr) !== undefined && !value.expr.parentheses;
}

type Piece = { operand: unknown } | { operator: "AND" | "OR" };

/** Operands and operators of the run rooted at `node`, in source order. */
function sequence(node: unknown, isRoot: boolean): Piece[] {
  if (!isNode(node) || (node.parentheses && !isRoot)) return [{ operand: node }];
  const operator = booleanOperator(node);
  if (operator !== undefined) return [...sequence(node.left, false), { operator }, ...sequence(node.right, false)];
  if (isNotOverRun(node)) {
    const inner = sequence(node.expr, false);
    const first = inner[0];
    if (first && "operand" in first) inner[0] = { operand: { ...node, parentheses: false, expr: first.operand } };
    return inner;
  }
  return [{ operand: node }];
}

function join(operator: "AND" | "OR", operands: unknown[]): unknown {
  return operands.reduce((left, right) => ({ type: "binary_expr", operator, left, right }));
}

function rebuild(node: AstNode): unknown {
  const disjuncts: unknown[][] = [[]];
  for (const piece of sequence(node, true)) {
    if ("operand" in piece) disjuncts[disjuncts.length - 1]!.push(repair(piece.operand));
    else if (piece.operator === "OR") disjuncts.push([]);
  }
  const rebuilt = join("OR", disjuncts.map((conjuncts) => join("AND", conjuncts)));
  if (node.parentheses && isNode(rebuilt)) rebuilt.parentheses = true;
  return rebuilt;
}

/**
 * The same grammar reads `f(a, b or c)` as `f((a, b) or c)`: an AND/OR after a comma applies to
 * the whole list before it, so the call's argument list arrives as a binary expression whose left
 * operand is an array (and a lost argument prints as `f()`). Each such node is re-rooted on the
 * list's last item, which is where the operator belongs.
 */
function misreadArguments(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value.flatMap((item) => misreadArguments(item) ?? [item]);
  if (!isNode(value) || booleanOperator(value) === undefined) return undefined;
  const list = misreadArguments(value.left);
  if (list === undefined || list.length === 0) return undefined;
  return [...list.slice(0, -1), { ...value, left: list[list.length - 1] }];
}

function repair(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(repair);
  if (!isNode(value)) return value;
  if (value.type === "expr_list") value.value = misreadArguments(value.value) ?? value.value;
  if (booleanOperator(value) !== undefined || isNotOverRun(value)) return rebuild(value);
  for (const [key, child] of Object.entries(value)) value[key] = repair(child);
  return value;
}

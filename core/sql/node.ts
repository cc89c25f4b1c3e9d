/**
 * node-sql-parser's published types are loose and partly wrong for the postgresql grammar, so the
 * AST is read as `unknown` through these guards instead of trusting casts.
 */
export type AstNode = Record<string, unknown>;

export function isNode(value: unknown): value is AstNode {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function nodeType(value: unknown): string | undefined {
  return isNode(value) && typeof value.type === "string" ? value.type : undefined;
}

export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Identifiers arrive as plain strings or as `{ type, value }` / `{ expr: { type, value } }` wrappers. */
export function identifierText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (!isNode(value)) return undefined;
  if (typeof value.value === "string" || typeof value.value === "number") return String(value.value);
  if (isNode(value.expr)) return identifierText(value.expr);
  return undefined;
}

/** A parenthesised subquery: the parser wraps the statement as `{ ast }` (sometimes with table lists). */
export function subqueryOf(value: unknown): AstNode | undefined {
  if (!isNode(value) || !isNode(value.ast)) return undefined;
  return value.ast;
}

/** Every node below `root` (inclusive), depth first, in source-ish order of the parser's keys. */
export function* descendants(root: unknown): Generator<AstNode> {
  if (Array.isArray(root)) {
    for (const item of root) yield* descendants(item);
    return;
  }
  if (!isNode(root)) return;
  yield root;
  for (const child of Object.values(root)) yield* descendants(child);
}

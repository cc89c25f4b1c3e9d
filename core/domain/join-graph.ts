import type { DomainDatabase } from "../model/database.ts";

const QUALIFIED_REF = /\b([a-z_][a-z0-9_]*)\.[a-z_][a-z0-9_]*/g;

/** Table qualifiers used in a domain expression such as `sum(invoices.net_amount_cents)`. */
export function tablesIn(expression: string): string[] {
  const withoutStrings = expression.replace(/'(?:[^']|'')*'/g, "''");
  return [...new Set([...withoutStrings.matchAll(QUALIFIED_REF)].map((m) => m[1]!))];
}

export function rootOf(db: DomainDatabase, table: string): string | undefined {
  let current = table;
  for (let hops = 0; hops <= Object.keys(db.tables).length; hops++) {
    const spec = db.tables[current];
    if (!spec) return undefined;
    if (spec.parent === undefined) return current;
    current = spec.parent;
  }
  return undefined; // a cycle: rejected when the domain is loaded
}

/** The tables from the root down to `table`, root first. */
export function pathFromRoot(db: DomainDatabase, table: string): string[] {
  const path: string[] = [];
  let current: string | undefined = table;
  while (current !== undefined && !path.includes(current)) {
    path.unshift(current);
    current = db.tables[current]?.parent;
  }
  return path;
}

/** Every table whose root is `root`, in declaration order with parents before children. */
export function treeOf(db: DomainDatabase, root: string): string[] {
  return orderByDepth(
    db,
    Object.keys(db.tables).filter((t) => rootOf(db, t) === root),
  );
}

export function orderByDepth(db: DomainDatabase, tables: Iterable<string>): string[] {
  const order = Object.keys(db.tables);
  return [...new Set(tables)].sort((a, b) => {
    const depth = pathFromRoot(db, a).length - pathFromRoot(db, b).length;
    return depth !== 0 ? depth : order.indexOf(a) - order.indexOf(b);
  });
}

/** True when following parents from `table` comes back to a table already seen. */
function inCycle(db: DomainDatabase, table: string): boolean {
  const seen = new Set<string>();
  let current: string | undefined = table;
  while (current !== undefined && db.tables[current]) {
    if (seen.has(current)) return true;
    seen.add(current);
    current = db.tables[current]!.parent;
  }
  return false;
}

/** Problems with a join graph: unknown parents, cycles, children without a join condition. */
export function joinGraphProblems(db: DomainDatabase): string[] {
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(db.tables)) {
    if (spec.parent !== undefined && !db.tables[spec.parent]) problems.push(`table ${name}: parent ${spec.parent} is not declared`);
    if (spec.parent !== undefined && spec.on === undefined) problems.push(`table ${name}: a child table needs \`on\``);
    if (inCycle(db, name)) problems.push(`table ${name}: parent links form a cycle`);
  }
  return problems;
}

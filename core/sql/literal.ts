/** A SQL literal for a filter or scope value; strings are single-quoted with quotes doubled. */
export function sqlLiteral(value: string | number | boolean): string {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  return `'${value.replaceAll("'", "''")}'`;
}

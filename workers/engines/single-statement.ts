/**
 * Whether `sql` is one statement: no semicolon outside string literals, quoted identifiers and
 * comments, except at the end. Conservative: dollar quoting, which this scanner does not follow,
 * answers false. An engine may PREPARE only such text; `prepare s as select 1; select 2` would
 * prepare the first statement and run the second on its own.
 */
export function isSingleStatement(sql: string): boolean {
  let ended = false;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      if (ended) return false;
      // A doubled quote inside is an escaped quote, which this loop reads as close-then-open.
      const close = sql.indexOf(c, i + 1);
      if (close < 0) return false;
      i = close;
    } else if (c === "-" && sql[i + 1] === "-") {
      const newline = sql.indexOf("\n", i);
      if (newline < 0) return true;
      i = newline;
    } else if (c === "/" && sql[i + 1] === "*") {
      // Postgres nests block comments; refusing nested ones keeps this simple and safe.
      const close = sql.indexOf("*/", i + 2);
      if (close < 0 || sql.slice(i + 2, close).includes("/*")) return false;
      i = close + 1;
    } else if (c === "$") {
      return false;
    } else if (c === ";") {
      ended = true;
    } else if (ended && !/\s/.test(c)) {
      return false;
    }
  }
  return true;
}

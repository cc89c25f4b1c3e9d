/**
 * A small SQL tokenizer. It exists only so the few text-level steps around the parser (a fallback
 * rewrite and an error message) can tell code from string literals, quoted identifiers and comments;
 * it never decides what a query means.
 */
export type TokenKind = "word" | "quoted" | "string" | "number" | "param" | "symbol" | "space" | "comment";

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;
const SPACE = /\s/;

/** Index just past a quote-delimited run starting at `open`, where a doubled delimiter is an escape. */
function endOfQuoted(sql: string, open: number, delimiter: string, backslashEscapes: boolean): number {
  let i = open + 1;
  while (i < sql.length) {
    const ch = sql[i];
    if (backslashEscapes && ch === "\\") {
      i += 2;
      continue;
    }
    if (ch === delimiter) {
      if (sql[i + 1] === delimiter) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i += 1;
  }
  return sql.length;
}

/** Postgres block comments nest, so a plain search for the first close would end them early. */
function endOfBlockComment(sql: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < sql.length) {
    if (sql.startsWith("/*", i)) {
      depth += 1;
      i += 2;
    } else if (sql.startsWith("*/", i)) {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else {
      i += 1;
    }
  }
  return sql.length;
}

function endOfRun(sql: string, from: number, pattern: RegExp): number {
  let i = from;
  while (i < sql.length && pattern.test(sql[i]!)) i += 1;
  return i;
}

function endOfNumber(sql: string, from: number): number {
  let i = endOfRun(sql, from, /[0-9.]/);
  if (sql[i] === "e" || sql[i] === "E") {
    const sign = sql[i + 1] === "+" || sql[i + 1] === "-" ? 1 : 0;
    if (DIGIT.test(sql[i + 1 + sign] ?? "")) i = endOfRun(sql, i + 1 + sign, DIGIT);
  }
  return i;
}

/** `$$...$$` or `$tag$...$tag$`; returns undefined when the `$` does not open a dollar quote. */
function endOfDollarQuote(sql: string, open: number): number | undefined {
  const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(open))?.[0];
  if (tag === undefined) return undefined;
  const close = sql.indexOf(tag, open + tag.length);
  return close === -1 ? sql.length : close + tag.length;
}

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, end: number) => {
    tokens.push({ kind, text: sql.slice(i, end), start: i });
    i = end;
  };
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1] ?? "";
    if (SPACE.test(ch)) push("space", endOfRun(sql, i, SPACE));
    else if (ch === "-" && next === "-") {
      const eol = sql.indexOf("\n", i);
      push("comment", eol === -1 ? sql.length : eol);
    } else if (ch === "/" && next === "*") push("comment", endOfBlockComment(sql, i));
    else if (ch === "'") push("string", endOfQuoted(sql, i, "'", false));
    else if (/[eE]/.test(ch) && next === "'") push("string", endOfQuoted(sql, i + 1, "'", true));
    else if (/[bBxXnN]/.test(ch) && next === "'") push("string", endOfQuoted(sql, i + 1, "'", false));
    else if (ch === '"') push("quoted", endOfQuoted(sql, i, '"', false));
    else if (ch === "$" && DIGIT.test(next)) push("param", endOfRun(sql, i + 1, DIGIT));
    else if (ch === "$" && endOfDollarQuote(sql, i) !== undefined) push("string", endOfDollarQuote(sql, i)!);
    else if (DIGIT.test(ch) || (ch === "." && DIGIT.test(next))) push("number", endOfNumber(sql, i));
    else if (WORD_START.test(ch)) push("word", endOfRun(sql, i, WORD_PART));
    else push("symbol", i + 1);
  }
  return tokens;
}

/** Tokens that carry meaning: whitespace and comments removed. */
export function significantTokens(sql: string): Token[] {
  return tokenize(sql).filter((t) => t.kind !== "space" && t.kind !== "comment");
}

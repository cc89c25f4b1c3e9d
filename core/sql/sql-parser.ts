import type { Parser } from "node-sql-parser/build/postgresql";

/**
 * node-sql-parser's postgresql grammar, loaded on first use. The SELECTs that compilers emit go
 * through the hand-written reader (fast-select.ts), so a paper reproduction never reaches this
 * parser on any thread; loaded with the module graph, it cost each thread about 10 ms of its start.
 */
export function sqlParser(): Parser {
  const loaded = require("node-sql-parser/build/postgresql") as typeof import("node-sql-parser/build/postgresql");
  return new loaded.Parser();
}

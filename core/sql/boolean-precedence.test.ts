import { describe, expect, test } from "bun:test";
import { Parser } from "node-sql-parser/build/postgresql";
import { repairBooleanPrecedence } from "./boolean-precedence.ts";
import { type AstNode, identifierText, isNode } from "./node.ts";
import { parseSingleStatement } from "./parse.ts";

type Tree = { atom: number } | { not: Tree } | { op: "and" | "or"; left: Tree; right: Tree };

/** Deterministic PRNG (mulberry32) so a failure always reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(next: () => number, depth: number): Tree {
  const roll = next();
  if (depth === 0 || roll < 0.25) return { atom: Math.floor(next() * 4) };
  if (roll < 0.4) return { not: generate(next, depth - 1) };
  return { op: next() < 0.5 ? "and" : "or", left: generate(next, depth - 1), right: generate(next, depth - 1) };
}

const PRECEDENCE = { or: 1, and: 2, not: 3, atom: 4 };
const precedence = (tree: Tree) => ("atom" in tree ? PRECEDENCE.atom : "not" in tree ? PRECEDENCE.not : PRECEDENCE[tree.op]);

/** SQL text with only the parentheses SQL's precedence needs, plus some redundant ones at random. */
function print(tree: Tree, minimum: number, next: () => number): string {
  let text: string;
  if ("atom" in tree) text = `p${tree.atom} = 1`;
  else if ("not" in tree) text = `not ${print(tree.not, PRECEDENCE.not, next)}`;
  else text = `${print(tree.left, precedence(tree), next)} ${tree.op} ${print(tree.right, precedence(tree) + 1, next)}`;
  return precedence(tree) < minimum || next() < 0.1 ? `(${text})` : text;
}

function evaluate(tree: Tree, env: boolean[]): boolean {
  if ("atom" in tree) return env[tree.atom]!;
  if ("not" in tree) return !evaluate(tree.not, env);
  return tree.op === "and" ? evaluate(tree.left, env) && evaluate(tree.right, env) : evaluate(tree.left, env) || evaluate(tree.right, env);
}

/** Evaluates the parsed tree: `pN = 1` atoms, AND, OR, NOT (as operator or as the grammar's not(...) call). */
function evaluateAst(node: unknown, env: boolean[]): boolean {
  if (!isNode(node)) throw new Error("unexpected node");
  const operator = String(node.operator ?? "").toUpperCase();
  if (node.type === "binary_expr" && operator === "=") return env[Number(identifierText((node.left as AstNode).column)!.slice(1))]!;
  if (node.type === "binary_expr" && operator === "AND") return evaluateAst(node.left, env) && evaluateAst(node.right, env);
  if (node.type === "binary_expr" && operator === "OR") return evaluateAst(node.left, env) || evaluateAst(node.right, env);
  if (node.type === "unary_expr" && operator === "NOT") return !evaluateAst(node.expr, env);
  if (node.type === "function" && isNode(node.args) && Array.isArray(node.args.value)) return !evaluateAst(node.args.value[0], env);
  throw new Error(`unexpected node ${String(node.type)}`);
}

const ENVIRONMENTS = Array.from({ length: 16 }, (_, bits) => [0, 1, 2, 3].map((i) => ((bits >> i) & 1) === 1));

function sameTruthTable(tree: Tree, ast: unknown): boolean {
  return ENVIRONMENTS.every((env) => evaluate(tree, env) === evaluateAst(ast, env));
}

describe("repairBooleanPrecedence", () => {
  test("the raw grammar gets AND/OR precedence wrong, which is why the repair exists", () => {
    const raw = new Parser().astify("select 1 from t where p0 = 1 or p1 = 1 and p2 = 1", { database: "postgresql" }) as unknown as AstNode;
    const tree: Tree = { op: "or", left: { atom: 0 }, right: { op: "and", left: { atom: 1 }, right: { atom: 2 } } };
    expect(sameTruthTable(tree, raw.where)).toBe(false);
    expect(sameTruthTable(tree, repairBooleanPrecedence(raw).where)).toBe(true);
  });

  test("parsed WHERE clauses and select items have SQL's truth table for 500 random expressions", () => {
    const next = random(20260517);
    for (let i = 0; i < 500; i++) {
      const tree = generate(next, 4);
      const text = print(tree, 0, next);
      const where = parseSingleStatement(`select 1 from t where ${text}`, "postgres").where;
      const item = parseSingleStatement(`select ${text}`, "postgres").columns as AstNode[];
      if (!sameTruthTable(tree, where) || !sameTruthTable(tree, item[0]!.expr)) throw new Error(`wrong grouping for: ${text}`);
    }
  });

  test("an AND/OR inside a call's later argument stays in that argument (the raw grammar applies it to the list before it)", () => {
    const raw = new Parser().astify("select f(x, p0 = 1 or p1 = 1) as v from t", { database: "postgresql" }) as unknown as AstNode;
    const rawArgs = ((raw.columns as AstNode[])[0]!.expr as AstNode).args as AstNode;
    expect(Array.isArray(rawArgs.value)).toBe(false);

    const next = random(20261121);
    for (let i = 0; i < 300; i++) {
      const trees = [generate(next, 3), generate(next, 3)];
      const texts = trees.map((tree) => print(tree, 0, next));
      const call = (parseSingleStatement(`select f(x, ${texts[0]}, ${texts[1]}) as v from t`, "postgres").columns as AstNode[])[0]!.expr as AstNode;
      const args = (call.args as AstNode).value as unknown[];
      if (!Array.isArray(args) || args.length !== 3 || identifierText((args[0] as AstNode).column) !== "x") {
        throw new Error(`arguments lost for: f(x, ${texts.join(", ")})`);
      }
      if (!sameTruthTable(trees[0]!, args[1]) || !sameTruthTable(trees[1]!, args[2])) throw new Error(`wrong grouping for: f(x, ${texts.join(", ")})`);
    }
  });
});

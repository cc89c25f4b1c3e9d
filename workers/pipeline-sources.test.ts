import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { SOURCES } from "../freeze/sources.ts";
import { PIPELINE_SOURCES } from "./pipeline-sources.ts";

const REPO = join(import.meta.dir, "..");

/** Every module of ours that `entry` loads at run time (type-only imports load nothing). */
function runtimeClosure(entry: string): string[] {
  const transpiler = new Bun.Transpiler({ loader: "ts" });
  const seen = new Set<string>();
  const todo = [join(REPO, entry)];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const { path } of transpiler.scanImports(readFileSync(file, "utf8"))) {
      const target = join(dirname(file), path);
      if (path.startsWith(".") && target.endsWith(".ts") && existsSync(target)) todo.push(target);
    }
  }
  return [...seen].map((file) => relative(REPO, file)).sort();
}

describe("pipeline sources", () => {
  test("every module a case runner loads is hashed into the case cache's key, with its current text", () => {
    const hashed: Record<string, string> = { ...SOURCES.generator, ...SOURCES.detector, ...PIPELINE_SOURCES };
    const closure = runtimeClosure("workers/case-runner.ts");
    expect(closure).toContain("workers/minimize.ts");
    expect(closure).toContain("core/minimize/ddmin.ts");
    // A module missing here would let a cache serve results computed by its old text: add it to workers/pipeline-sources.ts.
    expect(closure.filter((path) => !(path in hashed))).toEqual([]);
    for (const path of Object.keys(PIPELINE_SOURCES)) expect(PIPELINE_SOURCES[path]).toBe(readFileSync(join(REPO, path), "utf8"));
  });
});

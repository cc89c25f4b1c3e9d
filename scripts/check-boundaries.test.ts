import { afterAll, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { checkBoundaries, formatViolation, parseDepsList } from "./check-boundaries.ts";

const repoRoot = path.join(import.meta.dir, "..");
const script = path.join(import.meta.dir, "check-boundaries.ts");
// Fixtures use the repo's real DEPS.list files, so these tests also pin down the rules themselves.
const DEPS_LISTS = ["core", "core/detect", "workers", "suites", "freeze", "cmd"].map((d) => `${d}/DEPS.list`);
const created: string[] = [];

async function fixture(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), "strata-boundaries-"));
  created.push(root);
  const all: Record<string, string> = {};
  for (const list of DEPS_LISTS) all[list] = await readFile(path.join(repoRoot, list), "utf8");
  Object.assign(all, files);
  for (const [rel, text] of Object.entries(all)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  }
  return root;
}

async function report(files: Record<string, string>): Promise<string[]> {
  const { violations } = await checkBoundaries(await fixture(files));
  return violations.map(formatViolation);
}

const lines = (...ls: string[]) => `${ls.join("\n")}\n`;

afterAll(async () => {
  await Promise.all(created.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("violations", () => {
  test("core importing workers", async () => {
    const out = await report({
      "core/plan.ts": lines('import { z } from "zod";', "", 'import { open } from "../workers/x.ts";'),
    });
    expect(out).toEqual(["core/plan.ts:3:22: core/plan.ts may not import workers/x.ts (rule from core/DEPS.list)"]);
  });

  test("core importing node:fs", async () => {
    const out = await report({
      "core/model/load.ts": lines("// reads nothing, supposedly", 'import { readFileSync } from "node:fs";'),
    });
    expect(out).toEqual(["core/model/load.ts:2:30: core/model/load.ts may not import node:fs (rule from core/DEPS.list)"]);
  });

  test("core/detect importing the mutation registry", async () => {
    const out = await report({
      "core/detect/score.ts": lines(
        'import type { Policy } from "../model/policy.ts";',
        'import { MUTATION_OPERATORS } from "../mutants/registry";',
      ),
    });
    expect(out).toEqual([
      "core/detect/score.ts:2:36: core/detect/score.ts may not import core/mutants/registry (rule from core/detect/DEPS.list)",
    ]);
  });

  test("core using Date.now()", async () => {
    const out = await report({
      "core/clock.ts": lines("export function stamp(): number {", "  return Date.now();", "}"),
    });
    expect(out).toEqual(["core/clock.ts:2:10: core/clock.ts may not use Date.now() (rule from core/DEPS.list)"]);
  });

  test("workers importing cmd", async () => {
    const out = await report({
      "workers/pool.ts": lines('import os from "node:os";', 'import { main } from "../cmd/main.ts";'),
    });
    expect(out).toEqual(["workers/pool.ts:2:22: workers/pool.ts may not import cmd/main.ts (rule from workers/DEPS.list)"]);
  });

  test("every import form and impure global is seen, at the specifier's own line", async () => {
    const out = await report({
      "core/forms.ts": lines(
        "import {",
        "  a,",
        '} from "fs/promises";',
        'export * from "path";',
        'export type { T } from "bun";',
        'const cp = require("child_process");',
        "const lazy = () => import(`bun:sqlite`);",
        'type Stats = import("node:fs").Stats;',
        "const t = new Date(); const r = Math.random(); const e = process.env.HOME; Bun.file(e);",
      ),
    });
    expect(out).toEqual([
      "core/forms.ts:3:8: core/forms.ts may not import fs/promises (rule from core/DEPS.list)",
      "core/forms.ts:4:15: core/forms.ts may not import path (rule from core/DEPS.list)",
      "core/forms.ts:5:24: core/forms.ts may not import bun (rule from core/DEPS.list)",
      "core/forms.ts:6:20: core/forms.ts may not import child_process (rule from core/DEPS.list)",
      "core/forms.ts:7:27: core/forms.ts may not import bun:sqlite (rule from core/DEPS.list)",
      "core/forms.ts:8:21: core/forms.ts may not import node:fs (rule from core/DEPS.list)",
      "core/forms.ts:9:11: core/forms.ts may not use new Date() (rule from core/DEPS.list)",
      "core/forms.ts:9:33: core/forms.ts may not use Math.random() (rule from core/DEPS.list)",
      "core/forms.ts:9:58: core/forms.ts may not use process.env (rule from core/DEPS.list)",
      "core/forms.ts:9:76: core/forms.ts may not use Bun.file (rule from core/DEPS.list)",
    ]);
  });
});

describe("clean tree", () => {
  const clean = {
    "core/model/plan.ts": lines('import { z } from "zod";', "export const Plan = z.object({});"),
    "core/mutants/registry.ts": lines('import { Plan } from "../model/plan.ts";', "export const OPS = [Plan];"),
    "core/detect/detect.ts": lines(
      'import { Plan } from "../model/plan.ts";',
      "// Date.now() and process.env in a comment are fine",
      'export const note = "Math.random() in a string is fine";',
      "export const d = Plan;",
    ),
    "core/detect/detect.test.ts": lines(
      'import { expect, test } from "bun:test";',
      'test("fast", () => expect(performance.now() - Date.now()).toBeDefined());',
    ),
    "workers/db.ts": lines('import { readFile } from "node:fs/promises";', 'import { Plan } from "../core/model/plan.ts";'),
    "suites/load.ts": lines('import { readFile } from "../workers/db.ts";', 'import { parse } from "yaml";'),
    "freeze/manifest.ts": lines('import "../suites/load.ts";'),
    "cmd/main.ts": lines('import "../workers/db.ts";', 'import "../core/detect/detect.ts";', 'import { cac } from "cac";'),
    "scripts/tool.ts": lines('import "../cmd/main.ts";'),
  };

  test("passes, counting only governed files", async () => {
    const result = await checkBoundaries(await fixture(clean));
    expect(result.violations.map(formatViolation)).toEqual([]);
    expect(result.filesChecked).toBe(8);
  });

  test("CLI exits 0 with a summary, or 1 with one line per violation", async () => {
    const ok = Bun.spawnSync([process.execPath, script, await fixture(clean)]);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout.toString()).toBe("boundaries ok: 8 files checked\n");

    const bad = Bun.spawnSync([process.execPath, script, await fixture({ ...clean, "core/x.ts": 'import "../cmd/main.ts";\n' })]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout.toString()).toBe("core/x.ts:1:8: core/x.ts may not import cmd/main.ts (rule from core/DEPS.list)\n");
  });
});

test("DEPS.list typos are errors, not silently ignored rules", () => {
  expect(() => parseDepsList("core/DEPS.list", '"npms"\n')).toThrow('core/DEPS.list:1: unknown marker (expected "npm" or "pure"): "npms"');
});

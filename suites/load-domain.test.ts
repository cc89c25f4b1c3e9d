import { expect, test } from "bun:test";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocatedYaml } from "../core/input/located-yaml.ts";
import { BUILTIN_DOMAINS_DIR, loadDomain } from "./load-domain.ts";

function copyOfSupport(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "strata-domain-")), "support_saas");
  cpSync(join(BUILTIN_DOMAINS_DIR, "support_saas"), dir, { recursive: true });
  return dir;
}

test("a domain loaded again is an equal copy, never the same object", () => {
  const dir = copyOfSupport();
  const a = loadDomain("support_saas", dir);
  const b = loadDomain("support_saas", dir);
  expect(b).toEqual(a);
  expect(b).not.toBe(a);
  // A caller changing its copy changes nobody else's.
  a.policy.roles = {};
  expect(loadDomain("support_saas", dir).policy.roles).toEqual(b.policy.roles);
});

test("a changed file is read again: YAML and SQL alike", () => {
  const dir = copyOfSupport();
  const before = loadDomain("support_saas", dir);
  const policy = join(dir, "policy.yaml");
  writeFileSync(policy, readFileSync(policy, "utf8").replace("max_rows: 1000", "max_rows: 999"));
  const after = loadDomain("support_saas", dir);
  expect(JSON.stringify(after.policy)).not.toBe(JSON.stringify(before.policy));
  const seed = join(dir, after.database.seed_file);
  writeFileSync(seed, `${readFileSync(seed, "utf8")}\n-- changed\n`);
  expect(loadDomain("support_saas", dir).sql.seed).toEndWith("-- changed\n");
  // A file that no longer parses is reported, not served from memory.
  writeFileSync(policy, "roles: [");
  expect(() => loadDomain("support_saas", dir)).toThrow();
});

test("built-in domain files: Bun's YAML parser gives the located parser's values, and each parses (no duplicate key) under the located parser", () => {
  const files = [...new Bun.Glob("**/*.yaml").scanSync(BUILTIN_DOMAINS_DIR)].sort();
  expect(files.length).toBeGreaterThan(10);
  for (const file of files) {
    const text = readFileSync(join(BUILTIN_DOMAINS_DIR, file), "utf8");
    const located = LocatedYaml.parse(file, text).value();
    expect(Bun.deepEquals(Bun.YAML.parse(text), located, true), file).toBe(true);
  }
});

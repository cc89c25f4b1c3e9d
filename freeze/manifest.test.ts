import { expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gitCommit } from "./manifest.ts";

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();

test("the commit of our checkout, null elsewhere, and each checkout asked once per process", () => {
  const repo = resolve(import.meta.dir, "..");
  expect(gitCommit(repo)).toBe(git(repo, "rev-parse", "HEAD"));
  const elsewhere = mkdtempSync(join(tmpdir(), "strata-git-"));
  expect(gitCommit(elsewhere)).toBeNull();
  // Made a checkout afterwards: the answer stays the one this process got first.
  git(elsewhere, "init", "-q");
  writeFileSync(join(elsewhere, "f"), "x");
  git(elsewhere, "add", "f");
  git(elsewhere, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "c");
  expect(git(elsewhere, "rev-parse", "HEAD")).toMatch(/^[0-9a-f]{40}$/);
  expect(gitCommit(elsewhere)).toBeNull();
});

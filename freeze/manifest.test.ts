import { expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadDomain } from "../suites/load-domain.ts";
import { loadSuite } from "../suites/load-suite.ts";
import { freezeLoaded, frozenRunOf, gitCommit, prepareFrozenRun, writeManifest } from "./manifest.ts";

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

test("a run frozen in this process from loaded cases is the run that verifying its manifest from disk gives", () => {
  const dir = mkdtempSync(join(tmpdir(), "strata-frozen-"));
  for (const [suiteName, count, seed] of [["seeded", undefined, undefined], ["generated", 60, 7]] as const) {
    const domain = loadDomain("finance_saas");
    const suite = loadSuite(domain, suiteName, count, seed);
    const file = join(dir, `${suiteName}.json`);
    const manifest = freezeLoaded(domain, suite);
    writeManifest(file, manifest);
    const shortcut = frozenRunOf(manifest, file, { domain, suite });
    const verified = prepareFrozenRun(file);
    expect(shortcut.target).toEqual(verified.target);
    expect(shortcut.freeze).toEqual(verified.freeze);
    expect(shortcut.manifestText).toBe(verified.manifestText);
    expect(shortcut.content).toEqual(verified.content);
    expect([...shortcut.suite.tasks.fingerprint()]).toEqual([...verified.suite.tasks.fingerprint()]);
    expect(shortcut.domain.dir).toBe(verified.domain.dir);
    expect(shortcut.domain.policy).toEqual(verified.domain.policy);
  }
});

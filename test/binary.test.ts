/**
 * The compiled binary (scripts/build-binary.ts): built once, copied to an empty folder outside the
 * repository and run from there with a clean environment, so nothing may come from node_modules,
 * domains/ or a snapshot cache of ours. Where the kernel allows it (`unshare -m`), the repository
 * is also hidden under an empty tmpfs while the binary runs, so a baked-in build-time path fails.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { domainFiles, renderEmbeddedDomains } from "../scripts/build-binary.ts";
import type { Summary } from "../core/model/summary.ts";
import { EMBEDDED_DOMAIN_FILES } from "../suites/embedded-domains.ts";
import { BUN, REPO, tempDir } from "./helpers.ts";

const DOMAINS = join(REPO, "domains");
const VERSION = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;

describe("embedded domains", () => {
  test("every file under domains/ is embedded, with its text", () => {
    const onDisk = domainFiles(DOMAINS);
    expect(onDisk.length).toBeGreaterThan(0);
    expect(Object.keys(EMBEDDED_DOMAIN_FILES).sort()).toEqual(onDisk);
    for (const file of onDisk) expect(EMBEDDED_DOMAIN_FILES[file]).toBe(readFileSync(join(DOMAINS, file), "utf8"));
  });

  test("suites/embedded-domains.ts is what the build script generates", () => {
    expect(readFileSync(join(REPO, "suites", "embedded-domains.ts"), "utf8")).toBe(renderEmbeddedDomains(domainFiles(DOMAINS)));
  });
});

/** Whether the repository can be hidden from a child process (a private mount namespace). */
function canHideRepo(): boolean {
  if (process.platform !== "linux" || !Bun.which("unshare")) return false;
  const probe = Bun.spawnSync(["unshare", "-m", "--propagation", "private", "sh", "-c", 'mount -t tmpfs strata-hidden "$1" && test ! -e "$1/package.json"', "sh", REPO], {
    stdout: "ignore",
    stderr: "ignore",
  });
  return probe.exitCode === 0;
}

describe("compiled binary", () => {
  const root = tempDir("strata-binary-");
  const runDir = join(root, "run");
  const home = join(root, "home");
  const binary = join(runDir, process.platform === "win32" ? "strata.exe" : "strata");
  const hide = canHideRepo();

  /** Runs the binary; a hung run is killed (spawnSync blocks, so the test's own timeout cannot fire). */
  function strata(args: string[], timeout = 150_000) {
    const env = { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: home, NO_COLOR: "1", LANG: "C.UTF-8" };
    const command = hide
      ? ["unshare", "-m", "--propagation", "private", "sh", "-c", 'mount -t tmpfs strata-hidden "$1" && shift && exec "$@"', "sh", REPO, binary, ...args]
      : [binary, ...args];
    const result = Bun.spawnSync(command, { cwd: runDir, env, stdout: "pipe", stderr: "pipe", timeout, killSignal: "SIGKILL" });
    return { code: result.exitCode, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
  }

  const summaryOf = (out: string) => JSON.parse(readFileSync(join(runDir, out, "summary.json"), "utf8")) as Summary;

  beforeAll(() => {
    const outfile = join(root, "build", "strata");
    const build = Bun.spawnSync([BUN, join(REPO, "scripts", "build-binary.ts"), "--outfile", outfile], { cwd: REPO, stdout: "pipe", stderr: "pipe", timeout: 170_000 });
    if (build.exitCode !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
    mkdirSync(runDir, { recursive: true });
    mkdirSync(home, { recursive: true });
    copyFileSync(outfile, binary);
    chmodSync(binary, 0o755);
    rmSync(join(root, "build"), { recursive: true, force: true });
  }, 180_000);

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  test("runs outside the repository, with no node_modules on any parent path", () => {
    expect(readdirSync(runDir)).toEqual([process.platform === "win32" ? "strata.exe" : "strata"]);
    expect(resolve(runDir).startsWith(`${resolve(REPO)}/`)).toBe(false);
    for (let dir = resolve(runDir); ; dir = dirname(dir)) {
      expect(existsSync(join(dir, "node_modules"))).toBe(false);
      if (dirname(dir) === dir) break;
    }
  });

  test("--version prints the package version", () => {
    const r = strata(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`strata/${VERSION}`);
  });

  test("demo runs on embedded PGlite", () => {
    const r = strata(["demo", "--out", "x"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Drift classes found");
    expect(r.stdout).toContain("First violated layer: compiler (lowering_violation), obligation tenant_scope");
    expect(summaryOf("x").killed).toBeGreaterThan(0);
    // The snapshot was made here, from the embedded WASM, not found in a cache of ours.
    expect(readdirSync(join(home, ".cache", "strata")).some((f) => f.startsWith("pglite-") && f.endsWith(".tar"))).toBe(true);
  }, 160_000);

  test("run finance_saas seeded kills all 20 cases", () => {
    const r = strata(["run", "--domain", "finance_saas", "--suite", "seeded", "--out", "y", "--quiet"]);
    expect(r.code).toBe(0);
    expect(summaryOf("y").killed).toBe(20);
  }, 160_000);

  test("an unknown suite of a built-in domain is named as domains/..., with a fix that works from the binary", () => {
    const r = strata(["run", "--suite", "nope", "--out", "n"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("domains/support_saas/tasks/nope.yaml:1:1: unknown suite: nope");
    expect(r.stderr).not.toContain("$bunfs");
    expect(r.stderr).toContain("strata init-domain support_saas --out DIR");
  });

  test("reproduce runs its embedded plan", () => {
    const r = strata(["reproduce", "--only", "finance-seeded", "--out", "p", "--quiet"]);
    expect(r.code).toBe(0);
    expect(summaryOf(join("p", "finance-seeded")).killed).toBe(20);
    for (const file of ["baselines.json", "ablations.json", "evidence.md", "artifact-report.md", "report.html", "exports/junit.xml"]) {
      expect(existsSync(join(runDir, "p", file))).toBe(true);
    }
  }, 160_000);

  test("init-domain writes the embedded copy of a built-in domain", () => {
    const r = strata(["init-domain", "support_saas", "--out", "z"]);
    expect(r.code).toBe(0);
    const copied = join(runDir, "z", "support_saas");
    expect(readFileSync(join(copied, "policy.yaml"), "utf8")).toBe(readFileSync(join(DOMAINS, "support_saas", "policy.yaml"), "utf8"));
    expect(domainFiles(copied)).toEqual(domainFiles(join(DOMAINS, "support_saas")));
    for (const file of domainFiles(copied)) expect(readFileSync(join(copied, file), "utf8")).toBe(readFileSync(join(DOMAINS, "support_saas", file), "utf8"));
  });

  test("run analytics_clickhouse seeded on embedded DuckDB", () => {
    const r = strata(["run", "--domain", "analytics_clickhouse", "--suite", "seeded", "--out", "a", "--quiet"]);
    expect(r.code).toBe(0);
    const summary = summaryOf("a");
    expect(summary.total).toBeGreaterThan(0);
    expect(summary.invalid).toBe(0);
    expect(summary.killed).toBeGreaterThan(0);
    expect(summary.killed + summary.survived + summary.equivalent).toBe(summary.total);
    const metadata = JSON.parse(readFileSync(join(runDir, "a", "metadata.json"), "utf8")) as { backend: { name: string } };
    expect(metadata.backend.name).toBe("duckdb");
    // The addon and its library were unpacked side by side into the cache.
    const unpacked = readdirSync(join(home, ".cache", "strata")).filter((f) => f.startsWith("duckdb-") && !f.includes(".partial"));
    expect(unpacked.length).toBe(1);
    expect(readdirSync(join(home, ".cache", "strata", unpacked[0]!)).some((f) => f.endsWith(".node"))).toBe(true);
  }, 160_000);
});

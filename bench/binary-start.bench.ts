/**
 * Start-up and demo time of the compiled binary (scripts/build-binary.ts).
 * Usage: bun bench/binary-start.bench.ts [--version-runs 20] [--demo-runs 3] [--rebuild]
 *
 * Prints the median wall time of `dist/strata --version` against the 100 ms target, and of
 * `dist/strata demo` next to `bun cmd/main.ts demo` from source. Runs start from an empty
 * temporary folder; the demo runs once first (not counted) so the PGlite snapshot cache is warm.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REPO = join(import.meta.dir, "..");
const BINARY = join(REPO, "dist", process.platform === "win32" ? "strata.exe" : "strata");
const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) || fallback : fallback;
};
const VERSION_RUNS = flag("--version-runs", 20);
const DEMO_RUNS = flag("--demo-runs", 3);
const VERSION_TARGET_MS = 100;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function timed(command: string[], cwd: string): number {
  const started = performance.now();
  const result = Bun.spawnSync(command, { cwd, stdout: "pipe", stderr: "pipe" });
  const ms = performance.now() - started;
  if (result.exitCode !== 0) throw new Error(`${command.join(" ")} exited ${result.exitCode}:\n${result.stderr.toString()}`);
  return ms;
}

if (args.includes("--rebuild") || !existsSync(BINARY)) {
  const build = Bun.spawnSync([process.execPath, join(REPO, "scripts", "build-binary.ts")], { cwd: REPO, stdout: "inherit", stderr: "inherit" });
  if (build.exitCode !== 0) process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), "strata-bench-"));
try {
  console.log(`strata binary bench: ${BINARY} (${(statSync(BINARY).size / 1024 / 1024).toFixed(1)} MB), Bun ${Bun.version}, ${process.platform}-${process.arch}\n`);
  console.log("command | runs | median ms | target ms | median / target");
  console.log("--- | --- | --- | --- | ---");

  timed([BINARY, "--version"], work);
  const version = median(Array.from({ length: VERSION_RUNS }, () => timed([BINARY, "--version"], work)));
  console.log(`strata --version | ${VERSION_RUNS} | ${version.toFixed(1)} | ${VERSION_TARGET_MS} | ${(version / VERSION_TARGET_MS).toFixed(2)}`);
  const fromSource = median(Array.from({ length: VERSION_RUNS }, () => timed([process.execPath, join(REPO, "cmd", "main.ts"), "--version"], work)));
  console.log(`bun cmd/main.ts --version (reference) | ${VERSION_RUNS} | ${fromSource.toFixed(1)} | ${VERSION_TARGET_MS} | ${(fromSource / VERSION_TARGET_MS).toFixed(2)}`);

  let n = 0;
  const demo = (command: string[]) => timed([...command, "demo", "--out", join(work, `demo-${n++}`)], work);
  demo([BINARY]);
  const binaryDemo = median(Array.from({ length: DEMO_RUNS }, () => demo([BINARY])));
  const sourceDemo = median(Array.from({ length: DEMO_RUNS }, () => demo([process.execPath, join(REPO, "cmd", "main.ts")])));
  console.log(`strata demo | ${DEMO_RUNS} | ${binaryDemo.toFixed(0)} | ${sourceDemo.toFixed(0)} (from source) | ${(binaryDemo / sourceDemo).toFixed(2)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

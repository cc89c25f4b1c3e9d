import { taskArray } from "../core/suites/task-list.ts";
import { backendMetadata } from "../workers/open-engine.ts";
import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { BenchmarkManifest, FREEZE_COMPONENTS } from "../core/model/benchmark-manifest.ts";
import { registryDescriptor } from "../core/mutants/registry.ts";
import { canonicalJson, prettyJson } from "../core/util/canonical-json.ts";
import { compareContent, freezeBenchmark, freezeLoaded, MANIFEST_COPY, readManifest, verifyManifest } from "../freeze/manifest.ts";
import { SOURCE_FOLDERS, SOURCES } from "../freeze/sources.ts";
import { loadDomain } from "../suites/load-domain.ts";
import { loadSuite } from "../suites/load-suite.ts";
import { runMetadata } from "../workers/run-suite.ts";
import { REPO, runCli, tempDir } from "./helpers.ts";

/** The id recomputed here from first principles, not through freeze/manifest.ts. */
const idOf = (content: unknown) => `psf-${createHash("sha256").update(canonicalJson(content)).digest("hex").slice(0, 20)}`;
const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8"));

function copyDomain(): string {
  const out = tempDir();
  expect(runCli(["init-domain", "support_saas", "--out", out]).code).toBe(0);
  return join(out, "support_saas");
}

function freeze(args: string[]): { id: string; file: string } {
  const file = join(tempDir(), "manifest.json");
  const r = runCli(["freeze-benchmark", ...args, "--out", file]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  // One line of JSON.
  expect(r.stdout.trimEnd().split("\n")).toHaveLength(1);
  const printed = JSON.parse(r.stdout);
  expect(printed.out).toBe(file);
  return { id: printed.benchmark_manifest_id, file };
}

/** `run --freeze-manifest` must refuse with exit 2, naming exactly these components, and write nothing. */
function expectRefusal(manifest: string, extra: string[], components: string[]) {
  const out = join(tempDir(), "never");
  const r = runCli(["run", "--freeze-manifest", manifest, ...extra, "--out", out, "--quiet"]);
  expect(r.code).toBe(2);
  const named = r.stderr.match(/freeze manifest (psf-[0-9a-f]{20}) does not match: (.*)\n/);
  expect(named?.[2]?.split(", ")).toEqual(components);
  expect(existsSync(out)).toBe(false);
}

function verify(manifest: string, extra: string[] = []) {
  const r = runCli(["verify-freeze", manifest, ...extra]);
  return { ...r, json: r.code === 2 ? null : JSON.parse(r.stdout) };
}

function listSources(folder: string): string[] {
  return readdirSync(join(REPO, folder), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts"))
    .map((e) => relative(REPO, join(e.parentPath, e.name)).split("\\").join("/"));
}

describe("freeze/sources.ts", () => {
  test.each(["generator", "detector"] as const)("lists every non-test .ts file of the %s folders, with its current text", (component) => {
    const onDisk = SOURCE_FOLDERS[component].flatMap(listSources).sort();
    expect(onDisk.length).toBeGreaterThan(0);
    // A file missing here would silently escape the hash: add its text import to freeze/sources.ts.
    expect(Object.keys(SOURCES[component]).sort()).toEqual(onDisk);
    for (const path of onDisk) expect(SOURCES[component][path]).toBe(readFileSync(join(REPO, path), "utf8"));
  });

  test("a compiled binary carries the same source texts as the checkout", async () => {
    const dir = tempDir();
    const entry = join(dir, "probe.ts");
    // The probe also imports the hashed modules as code (through the manifest builder), as the CLI does.
    const from = (path: string) => JSON.stringify(join(REPO, path));
    writeFileSync(
      entry,
      `import { SOURCES } from ${from("freeze/sources.ts")};\nimport { manifestId } from ${from("freeze/manifest.ts")};\n` +
        `import { generateDriftTasks } from ${from("core/suites/generate.ts")};\n` +
        "if (typeof manifestId !== 'function' || typeof generateDriftTasks !== 'function') process.exit(3);\n" +
        "process.stdout.write(JSON.stringify(SOURCES));\n",
    );
    const outfile = join(dir, "probe");
    const built = await Bun.build({ entrypoints: [entry], compile: { outfile } });
    expect(built.logs.map(String)).toEqual([]);
    expect(built.success).toBe(true);
    const r = Bun.spawnSync([outfile], { cwd: dir, stdout: "pipe", stderr: "pipe" });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout.toString())).toEqual(SOURCES);
  }, 60_000);

  test("the folders are the detector and its stack, and no file is in both components", () => {
    expect([...SOURCE_FOLDERS.generator]).toEqual(["core/suites", "core/random"]);
    expect([...SOURCE_FOLDERS.detector]).toEqual(["core/detect", "core/stack", "core/oracle", "core/sql", "core/domain", "core/mutants", "core/observe"]);
    const generator = new Set(Object.keys(SOURCES.generator));
    expect(Object.keys(SOURCES.detector).filter((p) => generator.has(p))).toEqual([]);
  });
});

describe("strata freeze-benchmark / verify-freeze / run --freeze-manifest", () => {
  test("freeze, verify, then a frozen run records the freeze and copies the manifest", () => {
    const { id, file } = freeze(["--domain", "support_saas", "--suite", "seeded"]);
    const text = readFileSync(file, "utf8");
    const manifest = BenchmarkManifest.parse(JSON.parse(text));
    expect(text).toBe(prettyJson(manifest));
    expect(manifest.benchmark_manifest_id).toBe(id);
    expect(id).toBe(idOf(manifest.content));
    expect(Object.keys(manifest.content.components).sort()).toEqual([...FREEZE_COMPONENTS].sort());
    expect(manifest.provenance.tool.name).toBe("strata");

    // The components are hashes of exactly what the run will use.
    const domain = loadDomain("support_saas");
    const suite = loadSuite(domain, "seeded");
    const sha = (v: unknown) => createHash("sha256").update(canonicalJson(v)).digest("hex");
    expect(manifest.content.components.cases).toBe(sha(taskArray(suite.tasks)));
    expect(manifest.content.components.policy).toBe(sha(domain.policy));
    expect(manifest.content.components.operators).toBe(sha(registryDescriptor()));
    expect(manifest.content.case_count).toBe(suite.tasks.length);

    const verified = verify(file);
    expect(verified.code).toBe(0);
    expect(verified.json).toEqual({ benchmark_manifest_id: id, verified: true, mismatches: [] });

    const out = join(tempDir(), "run");
    const r = runCli(["run", "--freeze-manifest", file, "--out", out, "--no-minimize", "--quiet"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).benchmark_manifest_id).toBe(id);
    const metadata = readJson(join(out, "metadata.json"));
    expect(metadata.freeze).toEqual({ benchmark_manifest_id: id, verified: true, components: manifest.content.components });
    expect(metadata.suite_metadata.detector_frozen).toBe(true);
    expect(metadata.suite_metadata.detector_freeze_id).toBe(id);
    expect(metadata.domain).toBe("support_saas");
    expect(metadata.suite).toBe("seeded");
    expect(metadata.trace_count).toBe(manifest.content.case_count);
    expect(readFileSync(join(out, MANIFEST_COPY), "utf8")).toBe(text);
  }, 120_000);

  test("a run without a manifest has no freeze block and an unfrozen suite", () => {
    const domain = loadDomain("support_saas");
    const metadata = runMetadata({ ...domain, builtin: true }, loadSuite(domain, "seeded"), backendMetadata("pglite", "postgres"));
    expect("freeze" in metadata).toBe(false);
    expect(metadata.suite_metadata.detector_frozen).toBe(false);
    expect(metadata.suite_metadata.detector_freeze_id).toBeNull();
  });

  test("the id depends on the content only: two freezes with other provenance get the same id", () => {
    const target = { domain: "finance_saas", suite: "generated", count: 8, seed: 3 };
    const a = freezeBenchmark(target, {}, new Date("2020-01-01T00:00:00Z")).manifest;
    const b = freezeBenchmark(target, {}, new Date("2030-06-30T12:00:00Z")).manifest;
    expect(a.provenance).not.toEqual(b.provenance);
    expect(a.benchmark_manifest_id).toBe(b.benchmark_manifest_id);
    expect(a.content).toEqual(b.content);
    // And through the CLI, in two processes.
    const one = freeze(["--domain", "finance_saas", "--suite", "generated", "--count", "8", "--seed", "3"]);
    const two = freeze(["--domain", "finance_saas", "--suite", "generated", "--count", "8", "--seed", "3"]);
    expect(one.id).toBe(a.benchmark_manifest_id);
    expect(two.id).toBe(one.id);
    // Another seed is another benchmark.
    expect(freezeBenchmark({ ...target, seed: 4 }).manifest.benchmark_manifest_id).not.toBe(a.benchmark_manifest_id);
  });

  test("freezing a domain and suite already loaded gives the manifest freezing from disk gives", () => {
    const target = { domain: "analytics_clickhouse", suite: "generated", count: 9, seed: 5 };
    const now = new Date("2024-03-01T00:00:00Z");
    const domain = loadDomain(target.domain);
    const suite = loadSuite(domain, target.suite, target.count, target.seed);
    expect(freezeLoaded(domain, suite, {}, now)).toEqual(freezeBenchmark(target, {}, now).manifest);
    // What was loaded is what is hashed: another suite loaded is another benchmark.
    const other = loadSuite(domain, target.suite, target.count, target.seed + 1);
    expect(freezeLoaded(domain, other, {}, now).benchmark_manifest_id).not.toBe(freezeBenchmark(target, {}, now).manifest.benchmark_manifest_id);
  });

  test("a frozen generated suite runs the manifest's count and seed, and refuses another count", () => {
    const { id, file } = freeze(["--domain", "support_saas", "--suite", "generated", "--count", "6", "--seed", "11"]);
    expect(readManifest(file).manifest.content).toMatchObject({ generated_count: 6, generated_seed: 11, case_count: 6 });
    const out = join(tempDir(), "run");
    const r = runCli(["run", "--freeze-manifest", file, "--out", out, "--no-minimize", "--quiet"]);
    expect(r.code).toBe(0);
    const metadata = readJson(join(out, "metadata.json"));
    expect(metadata).toMatchObject({ suite: "generated", generated_count: 6, generated_seed: 11, trace_count: 6 });
    expect(metadata.freeze.benchmark_manifest_id).toBe(id);
    expect(readFileSync(join(out, "traces.jsonl"), "utf8").trim().split("\n")).toHaveLength(6);
    expectRefusal(file, ["--count", "7"], ["generated_count", "case_count", "cases"]);
    expectRefusal(file, ["--seed", "12"], ["generated_seed", "cases"]);
  }, 120_000);

  test("a policy change is named as exactly `policy`; a case change as exactly `cases`; both as both", () => {
    const dir = copyDomain();
    const { file } = freeze(["--domain", "support_saas", "--domain-path", dir, "--suite", "seeded"]);
    expect(verify(file, ["--domain-path", dir]).code).toBe(0);

    const policy = join(dir, "policy.yaml");
    const original = readFileSync(policy, "utf8");
    expect(original).toContain("    max_rows: 1000\n");
    writeFileSync(policy, original.replace("    max_rows: 1000\n", "    max_rows: 999\n"));
    expectRefusal(file, ["--domain-path", dir], ["policy"]);
    const v = verify(file, ["--domain-path", dir]);
    expect(v.code).toBe(1);
    expect(v.json.verified).toBe(false);
    expect(v.json.mismatches).toEqual([
      { component: "policy", expected: readManifest(file).manifest.content.components.policy, actual: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);

    writeFileSync(policy, original);
    const suite = join(dir, "tasks", "seeded.yaml");
    const tasks = readFileSync(suite, "utf8");
    expect(tasks).toContain("Show bookings for last month");
    writeFileSync(suite, tasks.replace("Show bookings for last month", "Show bookings for the last month"));
    expectRefusal(file, ["--domain-path", dir], ["cases"]);

    writeFileSync(policy, original.replace("    max_rows: 1000\n", "    max_rows: 999\n"));
    expectRefusal(file, ["--domain-path", dir], ["policy", "cases"]);

    // Restored, it verifies again.
    writeFileSync(policy, original);
    writeFileSync(suite, tasks);
    expect(verify(file, ["--domain-path", dir]).code).toBe(0);
  });

  test("a change to the seeded state is named as `database`", () => {
    const dir = copyDomain();
    const { file } = freeze(["--domain", "support_saas", "--domain-path", dir, "--suite", "seeded"]);
    const seed = join(dir, "seed.sql");
    writeFileSync(seed, `${readFileSync(seed, "utf8")}\n-- one more comment\n`);
    expectRefusal(file, ["--domain-path", dir], ["database"]);
  });

  test("an operator registry change is named as exactly `operators`", () => {
    const target = { domain: "support_saas", suite: "seeded" };
    const { manifest } = freezeBenchmark(target);
    // Injected: the registry gains an operator.
    const extra = { ...registryDescriptor()[0]!, id: "validator_forgets_everything" };
    const injected = verifyManifest(manifest, {}, { operators: [...registryDescriptor(), extra] }).verification;
    expect(injected.verified).toBe(false);
    expect(injected.mismatches.map((m) => m.component)).toEqual(["operators"]);
    expect(verifyManifest(manifest).verification.verified).toBe(true);

    // On disk: a manifest frozen by a build with another registry (its id consistent with its content).
    const content = { ...manifest.content, components: { ...manifest.content.components, operators: "0".repeat(64) } };
    const file = join(tempDir(), "other-registry.json");
    writeFileSync(file, prettyJson({ ...manifest, content, benchmark_manifest_id: idOf(content) }));
    expectRefusal(file, [], ["operators"]);
  });

  test("a generator or detector source change is named, with the changed file", () => {
    const { manifest } = freezeBenchmark({ domain: "support_saas", suite: "seeded" });
    const detector = { ...SOURCES.detector, "core/detect/detect.ts": `${SOURCES.detector["core/detect/detect.ts"]}\n// drift\n` };
    const changed = verifyManifest(manifest, {}, { sources: { generator: SOURCES.generator, detector } }).verification;
    expect(changed.mismatches.map((m) => m.component)).toEqual(["detector"]);
    expect(changed.mismatches[0]!.files).toEqual(["core/detect/detect.ts"]);
    const { "core/random/prng.ts": _removed, ...generator } = SOURCES.generator;
    const removed = verifyManifest(manifest, {}, { sources: { generator, detector: SOURCES.detector } }).verification;
    expect(removed.mismatches).toEqual([
      { component: "generator", expected: manifest.content.components.generator, actual: expect.any(String), files: ["core/random/prng.ts"] },
    ]);
    // Line endings alone are not a change.
    const crlf = Object.fromEntries(Object.entries(SOURCES.detector).map(([p, t]) => [p, t.replace(/\n/g, "\r\n")]));
    expect(verifyManifest(manifest, {}, { sources: { generator: SOURCES.generator, detector: crlf } }).verification.verified).toBe(true);
  });

  test("a tampered id fails verification and refuses the run", () => {
    const { id, file } = freeze(["--domain", "support_saas", "--suite", "seeded"]);
    const forged = id.endsWith("0") ? `${id.slice(0, -1)}1` : `${id.slice(0, -1)}0`;
    writeFileSync(file, readFileSync(file, "utf8").replace(id, forged));
    const v = verify(file);
    expect(v.code).toBe(1);
    expect(v.json).toEqual({ benchmark_manifest_id: forged, verified: false, mismatches: [{ component: "benchmark_manifest_id", expected: forged, actual: id }] });
    expectRefusal(file, [], ["benchmark_manifest_id"]);
    // Editing the content without the id is caught the same way, plus the edited field.
    const { manifest } = freezeBenchmark({ domain: "support_saas", suite: "seeded" });
    const edited = { ...manifest, content: { ...manifest.content, case_count: 49 } };
    expect(compareContent(edited, manifest.content).map((m) => m.component)).toEqual(["benchmark_manifest_id", "case_count"]);
  });

  test("a malformed or missing manifest exits 2 at its file, line and column", () => {
    const dir = tempDir();
    const broken = join(dir, "broken.json");
    writeFileSync(broken, '{\n  "benchmark_manifest_id": "psf-00000000000000000000",\n  "content": {\n');
    for (const args of [["verify-freeze", broken], ["run", "--freeze-manifest", broken, "--out", join(dir, "never")]]) {
      const r = runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`${broken.replace(/[.\\/]/g, "\\$&")}:\\d+:\\d+: invalid YAML`));
    }
    expect(existsSync(join(dir, "never"))).toBe(false);

    const { file } = freeze(["--domain", "support_saas", "--suite", "seeded"]);
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.replace('"strata.benchmark-manifest.v1"', '"policystrata.benchmark-manifest.v1"'));
    const line = text.split("\n").findIndex((l) => l.includes('"manifest_version"')) + 1;
    const col = text.split("\n")[line - 1]!.indexOf('"strata.') + 1;
    const wrongVersion = runCli(["verify-freeze", file]);
    expect(wrongVersion.code).toBe(2);
    expect(wrongVersion.stderr).toContain(`${file}:${line}:${col}: content.manifest_version:`);
    expect(wrongVersion.stderr).toContain("fix:");

    writeFileSync(file, text.replace('"hash_algorithm": "sha256",', '"hash_algorithm": "sha256",\n    "extra": 1,'));
    expect(runCli(["verify-freeze", file]).stderr).toMatch(/manifest\.json:\d+:\d+: content: unknown key "extra"/);

    const missing = runCli(["verify-freeze", join(dir, "nope.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${join(dir, "nope.json")}:1:1: benchmark manifest not found`);
  });

  test("freeze-benchmark requires its flags", () => {
    const out = join(tempDir(), "m.json");
    expect(runCli(["freeze-benchmark", "--suite", "seeded", "--out", out]).code).toBe(2);
    expect(runCli(["freeze-benchmark", "--domain", "support_saas", "--out", out]).code).toBe(2);
    expect(runCli(["freeze-benchmark", "--domain", "support_saas", "--suite", "seeded"]).code).toBe(2);
    expect(runCli(["freeze-benchmark", "--domain", "support_saas", "--suite", "nightly", "--out", out]).code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  test("bench --freeze freezes into the run directory and runs that manifest", () => {
    const out = join(tempDir(), "bench");
    const r = runCli(["bench", "--freeze", "--domain", "finance_saas", "--suite", "generated", "--count", "5", "--seed", "2", "--out", out, "--no-minimize", "--quiet"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout);
    const manifest = readManifest(join(out, MANIFEST_COPY)).manifest;
    expect(printed.benchmark_manifest_id).toBe(manifest.benchmark_manifest_id);
    expect(printed.traces).toBe(5);
    expect(manifest.content).toMatchObject({ domain: "finance_saas", suite: "generated", generated_count: 5, generated_seed: 2 });
    const metadata = readJson(join(out, "metadata.json"));
    expect(metadata.freeze.benchmark_manifest_id).toBe(manifest.benchmark_manifest_id);
    expect(metadata.suite_metadata.detector_freeze_id).toBe(manifest.benchmark_manifest_id);
    expect(runCli(["verify-freeze", join(out, MANIFEST_COPY)]).code).toBe(0);
    expect(runCli(["bench", "--domain", "finance_saas", "--out", join(tempDir(), "x")]).code).toBe(2);
  }, 120_000);
});

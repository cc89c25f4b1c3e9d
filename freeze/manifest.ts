import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Domain } from "../core/domain/domain.ts";
import { InputError } from "../core/input/input-error.ts";
import { LocatedYaml } from "../core/input/located-yaml.ts";
import { UsageError } from "../core/input/usage-error.ts";
import {
  BENCHMARK_MANIFEST_VERSION,
  type BenchmarkContent,
  BenchmarkManifest,
  type ComponentHashes,
  FREEZE_COMPONENTS,
  FREEZE_PARAMETERS,
  type FreezeMismatch,
  type FreezeVerification,
  type RunFreeze,
} from "../core/model/benchmark-manifest.ts";
import { registryDescriptor } from "../core/mutants/registry.ts";
import { canonicalJsonChunks } from "../core/suites/task-list.ts";
import { canonicalJson, prettyJson } from "../core/util/canonical-json.ts";
import { loadDomain } from "../suites/load-domain.ts";
import { type LoadedSuite, loadSuite } from "../suites/load-suite.ts";
import { TOOL_VERSION } from "../workers/version.ts";
import { SOURCES } from "./sources.ts";

/** Which benchmark to build: a domain (built in, or a folder) and a suite, with count and seed for a generated one. */
export interface FreezeTarget {
  domain: string;
  domainPath?: string;
  suite: string;
  count?: number;
  seed?: number;
}

/** What verification may take from the caller instead of the manifest. */
export type FreezeOverrides = Partial<FreezeTarget>;

/**
 * The code-side inputs of a freeze. Defaults are the running build's; tests inject others to
 * show that a change to the registry or to a source file is caught.
 */
export interface FreezeInputs {
  operators?: unknown;
  sources?: { generator: Readonly<Record<string, string>>; detector: Readonly<Record<string, string>> };
}

export interface Rebuilt {
  content: BenchmarkContent;
  domain: Domain & { dir: string };
  suite: LoadedSuite;
}

/** Line endings are normalized so a checkout with CRLF hashes like one with LF. */
const text = (s: string) => s.replace(/\r\n?/g, "\n");

export const sha256Hex = (s: string): string => createHash("sha256").update(s, "utf8").digest("hex");
const hashJson = (value: unknown): string => sha256Hex(canonicalJson(value));
function hashChunks(chunks: Iterable<string>): string {
  const hash = createHash("sha256");
  for (const chunk of chunks) hash.update(chunk, "utf8");
  return hash.digest("hex");
}

/** "psf-" + the first 20 hex digits of sha256(canonical JSON of the content). */
export function manifestId(content: BenchmarkContent): string {
  return `psf-${hashJson(content).slice(0, 20)}`;
}

function fileHashes(files: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(files)
      .sort()
      .map((path) => [path, sha256Hex(text(files[path]!))]),
  );
}

/** Hashes every component of a loaded domain and suite with the given (default: current) code. */
export function buildContent(domain: Domain, suite: LoadedSuite, inputs: FreezeInputs = {}): BenchmarkContent {
  const sources = inputs.sources ?? SOURCES;
  const generator = fileHashes(sources.generator);
  const detector = fileHashes(sources.detector);
  const components: ComponentHashes = {
    policy: hashJson(domain.policy),
    surfaces: hashJson(domain.surfaces),
    database: hashJson({ database: domain.database, schema_sql: text(domain.sql.schema), seed_sql: text(domain.sql.seed) }),
    cases: hashChunks(canonicalJsonChunks(suite.tasks)),
    suite_metadata: hashJson(suite.metadata),
    operators: hashJson(inputs.operators ?? registryDescriptor()),
    generator: hashJson(generator),
    detector: hashJson(detector),
  };
  return {
    manifest_version: BENCHMARK_MANIFEST_VERSION,
    hash_algorithm: "sha256",
    domain: domain.name,
    suite: suite.name,
    generated_count: suite.generated_count,
    generated_seed: suite.generated_seed,
    case_count: suite.tasks.length,
    components,
    source_files: { generator, detector },
  };
}

/** Loads the domain and suite from disk and hashes them; bad input throws a located InputError. */
export function rebuild(target: FreezeTarget, inputs: FreezeInputs = {}): Rebuilt {
  const domain = loadDomain(target.domain, target.domainPath);
  const suite = loadSuite(domain, target.suite, target.count, target.seed);
  return { content: buildContent(domain, suite, inputs), domain, suite };
}

const REPO_ROOT = resolve(import.meta.dir, "..");

/**
 * Commits already asked of git, by checkout: `strata reproduce` freezes seven suites, and each
 * `git rev-parse` is a process start (about 4 ms) on the thread that prepares the runs.
 */
const commits = new Map<string, string | null>();

/** The commit of the checkout this tool runs from, or null (no git, not a checkout, a compiled binary). */
export function gitCommit(root = REPO_ROOT): string | null {
  let commit = commits.get(root);
  if (commit === undefined) {
    commit = askGit(root);
    commits.set(root, commit);
  }
  return commit;
}

function askGit(root: string): string | null {
  try {
    const out = execFileSync("git", ["rev-parse", "--show-toplevel", "HEAD"], { cwd: root, stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 })
      .toString()
      .trim()
      .split("\n");
    // Only our own checkout counts, not a repository the tool happens to be installed inside.
    if (out.length !== 2 || realpathSync(out[0]!) !== realpathSync(root)) return null;
    return /^[0-9a-f]{40,64}$/.test(out[1]!) ? out[1]! : null;
  } catch {
    return null;
  }
}

export interface Frozen extends Rebuilt {
  manifest: BenchmarkManifest;
}

export function freezeBenchmark(target: FreezeTarget, inputs: FreezeInputs = {}, now: Date = new Date()): Frozen {
  const rebuilt = rebuild(target, inputs);
  return { ...rebuilt, manifest: manifestOf(rebuilt.content, now) };
}

/**
 * The manifest of a domain and suite the caller has already loaded and checked (`strata reproduce`
 * loads each before it deletes anything): the same manifest as freezeBenchmark's, without loading
 * and generating them again.
 */
export function freezeLoaded(domain: Domain & { dir: string }, suite: LoadedSuite, inputs: FreezeInputs = {}, now: Date = new Date()): BenchmarkManifest {
  return manifestOf(buildContent(domain, suite, inputs), now);
}

function manifestOf(content: BenchmarkContent, now: Date): BenchmarkManifest {
  return {
    benchmark_manifest_id: manifestId(content),
    content,
    provenance: { tool: { name: "strata", version: TOOL_VERSION }, git_commit: gitCommit(), created_at: now.toISOString() },
  };
}

export function writeManifest(file: string, manifest: BenchmarkManifest): string {
  const out = resolve(file);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, prettyJson(manifest));
  return out;
}

export const MANIFEST_COPY = "benchmark_manifest.json";

/** Puts the manifest's exact text into a run directory, beside the metadata that names its id. */
export function writeManifestCopy(runDir: string, manifestText: string): void {
  writeFileSync(join(resolve(runDir), MANIFEST_COPY), manifestText);
}

/**
 * A manifest as freeze-benchmark writes it is JSON, which JSON.parse reads as the located YAML
 * parser would, many times faster; the located parser then parses it only to place an error.
 * Anything else (a manifest edited into YAML, a syntax error) goes to the located parser, which
 * reports where. JSON.parse keeps the last of duplicated keys where the located parser refuses
 * them, but every field is then verified against the content rebuilt from the sources.
 */
function manifestSource(path: string, raw: string): LocatedYaml {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return LocatedYaml.parse(path, raw);
  }
  return LocatedYaml.withValue(path, raw, value);
}

/** Reads and validates a manifest; any problem is an InputError at its file, line and column. */
export function readManifest(file: string): { manifest: BenchmarkManifest; text: string; file: string } {
  const path = resolve(file);
  if (!existsSync(path)) {
    throw new InputError(path, 1, 1, "benchmark manifest not found", "write one with `strata freeze-benchmark --domain D --suite S --out FILE`");
  }
  const raw = readFileSync(path, "utf8");
  const manifest = manifestSource(path, raw).validate(BenchmarkManifest);
  return { manifest, text: raw, file: path };
}

function sourceFileDiff(expected: Record<string, string>, actual: Record<string, string>): string[] {
  const paths = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  return [...paths].filter((p) => expected[p] !== actual[p]).sort();
}

/** Every field of the stored manifest the rebuilt content disagrees with, plus a stored id that is not the content's. */
export function compareContent(stored: BenchmarkManifest, actual: BenchmarkContent): FreezeMismatch[] {
  const mismatches: FreezeMismatch[] = [];
  const recomputed = manifestId(stored.content);
  if (recomputed !== stored.benchmark_manifest_id) {
    mismatches.push({ component: "benchmark_manifest_id", expected: stored.benchmark_manifest_id, actual: recomputed });
  }
  const expected = stored.content;
  for (const field of FREEZE_PARAMETERS) {
    if (expected[field] !== actual[field]) mismatches.push({ component: field, expected: expected[field], actual: actual[field] });
  }
  for (const component of FREEZE_COMPONENTS) {
    const e = expected.components[component];
    const a = actual.components[component];
    if (e === a) continue;
    if (component === "generator" || component === "detector") {
      mismatches.push({ component, expected: e, actual: a, files: sourceFileDiff(expected.source_files[component], actual.source_files[component]) });
    } else {
      mismatches.push({ component, expected: e, actual: a });
    }
  }
  return mismatches;
}

/** The target a manifest describes, with whatever the caller gave taking precedence. */
export function targetOf(manifest: BenchmarkManifest, overrides: FreezeOverrides = {}): FreezeTarget {
  const c = manifest.content;
  return {
    domain: overrides.domain ?? c.domain,
    domainPath: overrides.domainPath,
    suite: overrides.suite ?? c.suite,
    count: overrides.count ?? c.generated_count ?? undefined,
    seed: overrides.seed ?? c.generated_seed ?? undefined,
  };
}

export interface Verified extends Rebuilt {
  verification: FreezeVerification;
}

/** Rebuilds every component from the current code and data and compares it with the manifest. */
export function verifyManifest(manifest: BenchmarkManifest, overrides: FreezeOverrides = {}, inputs: FreezeInputs = {}): Verified {
  const rebuilt = rebuild(targetOf(manifest, overrides), inputs);
  const mismatches = compareContent(manifest, rebuilt.content);
  return { ...rebuilt, verification: { benchmark_manifest_id: manifest.benchmark_manifest_id, verified: mismatches.length === 0, mismatches } };
}

export interface FrozenRun extends Rebuilt {
  /** Domain, suite, count and seed to run: the manifest's, unless the caller gave (matching) ones. */
  target: FreezeTarget;
  freeze: RunFreeze;
  /** The manifest file's exact text, copied into the run directory. */
  manifestText: string;
}

/**
 * Verifies a manifest before a run and refuses, naming every mismatching component, unless the
 * current code and data rebuild it exactly. The run then uses the domain and cases just verified.
 */
export function prepareFrozenRun(file: string, overrides: FreezeOverrides = {}, inputs: FreezeInputs = {}): FrozenRun {
  const { manifest, text: manifestText, file: path } = readManifest(file);
  const target = targetOf(manifest, overrides);
  const { verification, ...rebuilt } = verifyManifest(manifest, overrides, inputs);
  if (!verification.verified) {
    const names = verification.mismatches.map((m) => m.component).join(", ");
    throw new UsageError(
      `freeze manifest ${manifest.benchmark_manifest_id} does not match: ${names}`,
      `\`strata verify-freeze ${path}\` shows expected and actual hashes; restore the frozen inputs, or freeze again with \`strata freeze-benchmark\``,
    );
  }
  return {
    ...rebuilt,
    target,
    freeze: { benchmark_manifest_id: manifest.benchmark_manifest_id, verified: true, components: manifest.content.components },
    manifestText,
  };
}

/**
 * The frozen run of a manifest this process has just frozen from `loaded` and written to `file`
 * (`strata reproduce`): the run takes `loaded` itself, from which the manifest's hashes were
 * computed, where prepareFrozenRun would generate the suite again from disk and compare the hashes
 * of two generations in one process (about 5 ms a suite of the thread that prepares the runs).
 * The manifest's text is read back, so the run copies exactly what the file holds. A manifest
 * written by another process (a resumed reproduction) goes through prepareFrozenRun.
 */
export function frozenRunOf(manifest: BenchmarkManifest, file: string, loaded: { domain: Domain & { dir: string }; suite: LoadedSuite }, overrides: FreezeOverrides = {}): FrozenRun {
  return {
    content: manifest.content,
    domain: loaded.domain,
    suite: loaded.suite,
    target: targetOf(manifest, overrides),
    freeze: { benchmark_manifest_id: manifest.benchmark_manifest_id, verified: true, components: manifest.content.components },
    manifestText: readFileSync(resolve(file), "utf8"),
  };
}

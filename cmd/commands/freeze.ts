import { join } from "node:path";
import type { CAC } from "cac";
import type { FreezeVerification } from "../../core/model/benchmark-manifest.ts";
import { canonicalJson, prettyJson } from "../../core/util/canonical-json.ts";
import { freezeBenchmark, MANIFEST_COPY, readManifest, verifyManifest, writeManifest } from "../../freeze/manifest.ts";
import { EXIT, parseInteger, UsageError } from "../errors.ts";
import { executeRun, type RunFlags } from "./run.ts";

export interface FreezeFlags {
  domain?: string;
  domainPath?: string;
  suite?: string;
  count?: unknown;
  seed?: unknown;
  out?: string;
}

/** `strata freeze-benchmark`: hashes the benchmark's components and writes its manifest. */
export function freezeBenchmarkCommand(flags: FreezeFlags): { benchmark_manifest_id: string; out: string } {
  if (!flags.domain) throw new UsageError("--domain is required", "e.g. --domain support_saas");
  if (!flags.suite) throw new UsageError("--suite is required", "e.g. --suite heldout_v1");
  if (!flags.out) throw new UsageError("--out is required", "e.g. --out benchmarks/support-heldout.json");
  const { manifest } = freezeBenchmark({
    domain: flags.domain,
    domainPath: flags.domainPath,
    suite: flags.suite,
    count: parseInteger("count", flags.count),
    seed: parseInteger("seed", flags.seed),
  });
  return { benchmark_manifest_id: manifest.benchmark_manifest_id, out: writeManifest(flags.out, manifest) };
}

/** `strata verify-freeze FILE`: rebuilds every component and lists those that differ. */
export function verifyFreezeCommand(file: string, flags: FreezeFlags): FreezeVerification {
  const { manifest } = readManifest(file);
  return verifyManifest(manifest, {
    domain: flags.domain,
    domainPath: flags.domainPath,
    suite: flags.suite,
    count: parseInteger("count", flags.count),
    seed: parseInteger("seed", flags.seed),
  }).verification;
}

/** `strata bench --freeze`: freezes into DIR/benchmark_manifest.json, then runs that manifest into DIR. */
export async function benchCommand(flags: RunFlags & { freeze?: boolean }) {
  if (!flags.freeze) throw new UsageError("bench needs --freeze", "add --freeze, or use `strata run` to run without freezing");
  if (!flags.out) throw new UsageError("--out is required", "e.g. --out runs/bench");
  if (flags.freezeManifest !== undefined) throw new UsageError("bench --freeze writes its own manifest", "drop --freeze-manifest, or use `strata run --freeze-manifest`");
  const frozen = freezeBenchmarkCommand({ ...flags, domain: flags.domain ?? "support_saas", suite: flags.suite ?? "seeded", out: join(flags.out, MANIFEST_COPY) });
  const run = await executeRun({ ...flags, freezeManifest: frozen.out });
  return { ...run, benchmark_manifest_id: frozen.benchmark_manifest_id };
}

/** freeze-benchmark, verify-freeze and bench. */
export function registerFreezeCommands(cli: CAC, say: (line: string) => void, setExit: (code: number) => void): void {
  cli
    .command("freeze-benchmark", "Freeze a benchmark: write a manifest of content hashes of its policy, data, cases, operators, generator and detector")
    .option("--domain <name>", "Domain label (required)")
    .option("--domain-path <dir>", "Your own domain folder")
    .option("--suite <name>", "Suite to freeze (required)")
    .option("--count <n>", "Cases for a generated suite (default: the suite's)")
    .option("--seed <n>", "Seed for a generated suite (default: the suite's)")
    .option("--out <file>", "Manifest file to write (required)")
    .action((flags: FreezeFlags) => say(canonicalJson(freezeBenchmarkCommand(flags))));

  cli
    .command("verify-freeze <manifest>", "Rebuild every frozen component from the current code and data; exit 0 verified, 1 not, 2 bad manifest")
    .option("--domain <name>", "Instead of the manifest's domain")
    .option("--domain-path <dir>", "The domain folder, when the manifest was frozen from one")
    .option("--suite <name>", "Instead of the manifest's suite")
    .option("--count <n>", "Instead of the manifest's count")
    .option("--seed <n>", "Instead of the manifest's seed")
    .action((file: string, flags: FreezeFlags) => {
      const verification = verifyFreezeCommand(file, flags);
      say(prettyJson(verification).trimEnd());
      if (!verification.verified) setExit(EXIT.gate);
    });

  cli
    .command("bench", "Freeze a benchmark into DIR/benchmark_manifest.json and run it into DIR, in one step")
    .option("--freeze", "Freeze first (required)")
    .option("--domain <name>", "Domain label (default: support_saas)")
    .option("--domain-path <dir>", "Your own domain folder")
    .option("--suite <name>", "Suite (default: seeded)")
    .option("--count <n>", "Cases for a generated suite")
    .option("--seed <n>", "Seed for a generated suite")
    .option("--out <dir>", "Run directory to write (required)")
    .option("--backend <name>", "pglite (Postgres-dialect default) or duckdb (analytics default)")
    .option("--no-minimize", "Skip witness minimization")
    .option("--workers <n>", "Worker threads, each with its own engine (default: the machine's cores)")
    .option("--no-reuse", "Execute every case from scratch")
    .option("--gate", "Exit 1 when any mutant survived, any clean control was flagged, or any case was invalid")
    .option("--quiet", "No progress output")
    .action(async (flags: RunFlags & { freeze?: boolean; gate?: boolean }) => {
      const { summary, out, benchmark_manifest_id } = await benchCommand({ ...flags, minimize: flags.minimize !== false, reuse: flags.reuse !== false });
      say(
        prettyJson({
          out,
          benchmark_manifest_id,
          traces: summary.total,
          killed: summary.killed,
          survived: summary.survived,
          equivalent: summary.equivalent,
          invalid: summary.invalid,
          false_positives: summary.false_positives,
        }).trimEnd(),
      );
      if (flags.gate && (summary.survived > 0 || summary.false_positives > 0 || summary.invalid > 0)) setExit(EXIT.gate);
    });
}

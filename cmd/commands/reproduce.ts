import type { CAC } from "cac";
import { prettyJson } from "../../core/util/canonical-json.ts";
import { DEFAULT_PLAN, loadPlan } from "../../suites/load-plan.ts";
import { defaultWorkers } from "../../workers/executors.ts";
import { reproduce } from "../../workers/reproduce.ts";
import { parseInteger, UsageError } from "../errors.ts";
import { cacheFile } from "./run.ts";

export interface ReproduceFlags {
  plan?: string;
  out?: string;
  only?: string;
  workers?: unknown;
  resume?: boolean;
  evidenceOnly?: boolean;
  quiet?: boolean;
  cache?: string | boolean;
}

/** `strata reproduce`: a plan's runs and every evidence file over them, in one process. */
export async function reproduceCommand(flags: ReproduceFlags) {
  if (!flags.out) throw new UsageError("--out is required", "e.g. --out runs/final");
  const workers = parseInteger("workers", flags.workers) ?? defaultWorkers();
  if (workers < 1) throw new UsageError("--workers must be at least 1", "e.g. --workers 2");
  const only = flags.only === undefined || flags.only === "" ? undefined : String(flags.only).split(",").map((name) => name.trim()).filter(Boolean);
  const { plan } = loadPlan(flags.plan ?? DEFAULT_PLAN);
  const result = await reproduce({
    plan,
    root: flags.out,
    only,
    workers,
    resume: flags.resume ?? false,
    evidenceOnly: flags.evidenceOnly ?? false,
    say: flags.quiet ? () => {} : (line) => process.stderr.write(`${line}\n`),
    quiet: flags.quiet ?? false,
    cache: cacheFile(flags.cache),
  });
  return {
    root: result.root,
    runs: result.runs.map(({ name, out, summary, cache }) => ({ name, out, ...(cache ? { cache } : {}), ...(summary ? { traces: summary.total, killed: summary.killed, survived: summary.survived, equivalent: summary.equivalent, invalid: summary.invalid, false_positives: summary.false_positives } : {}) })),
    files: result.files,
  };
}

export function registerReproduceCommand(cli: CAC, say: (line: string) => void): void {
  cli
    .command("reproduce", "Run a plan's suites (freezing those it says) and write baselines, ablations, evidence, artifact report, exports and HTML report over them")
    .option("--plan <name|file>", `A built-in plan (${DEFAULT_PLAN}, the paper's final evidence: the default) or a plan YAML file`)
    .option("--out <dir>", "Root directory: ROOT/<run>/ for each run, evidence files beside them (required)")
    .option("--only <names>", "Only these runs, comma-separated (the evidence covers just them)")
    .option("--workers <n>", "Worker threads shared by all runs (default: the machine's cores)")
    .option("--resume", "Finish interrupted runs under --out instead of running them again")
    .option("--evidence-only", "Run nothing: regenerate the evidence files from the runs under --out")
    .option("--cache [file]", "Skip cases whose result an earlier run cached (default file ~/.cache/strata/cases.sqlite); prints hits and misses per run")
    .option("--quiet", "No stage lines on stderr")
    .action(async (flags: ReproduceFlags) => say(prettyJson(await reproduceCommand(flags)).trimEnd()));
}

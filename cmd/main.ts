#!/usr/bin/env bun
import { cac } from "cac";
import { MUTATION_OPERATORS } from "../core/mutants/registry.ts";
import { summarize } from "../core/report/summarize.ts";
import { prettyJson } from "../core/util/canonical-json.ts";
import { BUILTIN_DOMAINS } from "../suites/load-domain.ts";
import { readTraces } from "../workers/run-directory.ts";
import { TOOL_VERSION } from "../workers/version.ts";
import { demo } from "./commands/demo.ts";
import { ablations, baselines } from "./commands/baselines.ts";
import { registerEvidenceCommands } from "./commands/evidence.ts";
import { registerExportCommands } from "./commands/export.ts";
import { registerFreezeCommands } from "./commands/freeze.ts";
import { initDomain, initDomainHint } from "./commands/init-domain.ts";
import { merge } from "./commands/merge.ts";
import { registerReportCommands } from "./commands/report.ts";
import { registerReproduceCommand } from "./commands/reproduce.ts";
import { executeRun } from "./commands/run.ts";
import { EXIT, reportFailure, UsageError } from "./errors.ts";

const cli = cac("strata");
let exitCode: number = EXIT.ok;
const say = (line: string) => process.stdout.write(`${line}\n`);

cli
  .command("demo", "Run the built-in support_saas seeded suite and explain one drift it found")
  .option("--out <dir>", "Where to write the run", { default: "runs/demo" })
  .action(async (flags: { out: string }) => demo(flags.out, say));

cli
  .command("run", "Run a suite through the six executed layers and write traces, witnesses and a summary")
  .option("--domain <name>", `Domain label (built in: ${BUILTIN_DOMAINS.join(", ")}; default: support_saas)`)
  .option("--domain-path <dir>", "Your own domain folder (policy.yaml, surfaces.yaml, database.yaml, SQL, tasks/)")
  .option("--suite <name>", "seeded (default, or any tasks/<name>.yaml), generated, generated_alt_seed (held_out), heldout_v1, clean_controls")
  .option("--freeze-manifest <file>", "Verify this benchmark manifest first (exit 2 on any mismatch), then run its domain, suite, count and seed")
  .option("--out <dir>", "Run directory to write (required)")
  .option("--count <n>", "Cases for a generated suite")
  .option("--seed <n>", "Seed for a generated suite")
  .option("--backend <name>", "pglite (Postgres-dialect default), duckdb (analytics default), or a PostgreSQL server URL postgres://user@host:port/db")
  .option("--no-minimize", "Skip witness minimization")
  .option("--workers <n>", "Worker threads, each with its own engine (default: the machine's cores)")
  .option("--shard <i/N>", "Run only shard i of N and write its blob for `strata merge`")
  .option("--timings <file>", "timings.jsonl of an earlier run: balance shards by recorded case cost")
  .option("--cache [file]", "Skip cases whose result an earlier run cached (default file ~/.cache/strata/cases.sqlite); prints hits and misses")
  .option("--resume", "Finish an interrupted run in --out without re-running finished cases")
  .option("--no-reuse", "Execute every case from scratch, even when another case had the same principal, plan and stack")
  .option("--gate", "Exit 1 when any mutant survived, any clean control was flagged, or any case was invalid")
  .option("--quiet", "No progress output")
  .action(async (flags) => {
    const { summary, out, benchmark_manifest_id, cache } = await executeRun({ ...flags, minimize: flags.minimize !== false, reuse: flags.reuse !== false });
    say(prettyJson({ out, benchmark_manifest_id, cache, traces: summary.total, killed: summary.killed, survived: summary.survived, equivalent: summary.equivalent, unchecked: summary.unchecked, invalid: summary.invalid, false_positives: summary.false_positives }).trimEnd());
    if (flags.gate && (summary.survived > 0 || summary.false_positives > 0 || summary.invalid > 0)) exitCode = EXIT.gate;
  });

cli
  .command("merge [...blobs]", "Merge shard blobs into the artifacts of one whole run")
  .option("--out <dir>", "Run directory to write (required)")
  .action(async (blobs: string[], flags: { out?: string }) => say(prettyJson({ out: await merge(blobs, flags.out) }).trimEnd()));

cli
  .command("summarize <run>", "Recompute and print the summary of a run directory from its traces")
  .action((run: string) => say(prettyJson(summarize(readTraces(run))).trimEnd()));

cli
  .command("init-domain <name>", "Copy a built-in domain as a starting point for your own")
  .option("--out <dir>", "Parent folder of the copy", { default: "." })
  .action((name: string, flags: { out: string }) => {
    const target = initDomain(name, flags.out);
    say(target);
    process.stderr.write(`next: ${initDomainHint(target, name)}\n`);
  });

cli
  .command("baselines [...runs]", "Catch rates of the 17 restricted baselines on the runs' failing traces")
  .option("--format <f>", "json (default) or markdown")
  .option("--out <file>", "Write the table here instead of stdout")
  .option("--domain-path <dir>", "Folder of the runs' domain when it is not built in")
  .action((runs: string[], flags: { format?: string; out?: string; domainPath?: string }) => baselines(runs, flags, say));

cli
  .command("ablations [...runs]", "The detector with one component removed at a time, and the kills each loses")
  .option("--out <file>", "Write the table here instead of stdout")
  .option("--domain-path <dir>", "Folder of the runs' domain when it is not built in")
  .action((runs: string[], flags: { out?: string; domainPath?: string }) => ablations(runs, flags, say));

cli.command("operators", "List the mutation operators").action(() => {
  for (const op of MUTATION_OPERATORS) say(`${op.id.padEnd(52)} ${op.surface.padEnd(9)} ${op.expectedClass.padEnd(18)} ${op.description}`);
});

registerFreezeCommands(cli, say, (code) => {
  exitCode = code;
});

registerEvidenceCommands(cli, say);
registerExportCommands(cli, say);
registerReportCommands(cli, say);
registerReproduceCommand(cli, say);

cli.help();
cli.version(TOOL_VERSION);

async function main(): Promise<number> {
  try {
    cli.parse(process.argv, { run: false });
    if (!cli.matchedCommand && cli.args.length > 0) throw new UsageError(`unknown command: ${cli.args[0]}`, "see `strata --help`");
    if (!cli.matchedCommand && !cli.options.help && !cli.options.version) {
      cli.outputHelp();
      return EXIT.usage;
    }
    await cli.runMatchedCommand();
    return exitCode;
  } catch (error) {
    return reportFailure(error, process.stderr);
  }
}

process.exit(await main());

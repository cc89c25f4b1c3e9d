import { basename } from "node:path";
import type { CAC } from "cac";
import { evaluateBaselines } from "../../core/evidence/baselines.ts";
import { buildArtifactReport, isReportFormat, REPORT_FORMATS, renderArtifactReport } from "../../core/evidence/artifact-report.ts";
import { isTableFormat, renderTables, TABLE_FORMATS } from "../../core/evidence/render.ts";
import { evidenceTables } from "../../core/evidence/tables.ts";
import { readArtifactInputs, readRunEvidence, writeReport } from "../../workers/evidence-inputs.ts";
import { readEvidenceRuns } from "../../workers/evidence-runs.ts";
import { UsageError } from "../errors.ts";

/** NAME=RUN, or a bare RUN named by its basename. */
export function parseRunArgument(arg: string): { name: string; run: string } {
  const eq = arg.indexOf("=");
  if (eq < 0) return { name: basename(arg), run: arg };
  const name = arg.slice(0, eq);
  const run = arg.slice(eq + 1);
  if (name === "" || run === "") throw new UsageError(`bad run argument: ${arg}`, "write NAME=RUN_DIR, or just RUN_DIR");
  return { name, run };
}

/** `strata evidence`: renders the evidence tables of the given runs, in argument order, with the baselines over all of them. */
export function evidenceCommand(args: string[], flags: { format?: string; out?: string; domainPath?: string }): string {
  const format = flags.format ?? "markdown";
  if (!isTableFormat(format)) throw new UsageError(`unknown --format ${format}`, `use one of ${TABLE_FORMATS.join(", ")}`);
  if (!flags.out) throw new UsageError("--out is required", "e.g. --out evidence.md");
  if (args.length === 0) throw new UsageError("no runs given", "e.g. strata evidence seeded=runs/demo --out evidence.md");
  const runs = args.map(parseRunArgument);
  const names = new Set<string>();
  for (const { name } of runs) {
    if (names.has(name)) throw new UsageError(`two runs are named ${name}`, "name them apart: NAME=RUN_DIR");
    names.add(name);
  }
  const evidence = runs.map(({ name, run }) => readRunEvidence(name, run));
  const baselines = evaluateBaselines(readEvidenceRuns(runs.map(({ run }) => run), flags.domainPath));
  writeReport(flags.out, renderTables(evidenceTables(evidence, baselines), format));
  return flags.out;
}

/** `strata artifact-report`: the run's report as text, and written to --out when given. */
export function artifactReportCommand(run: string, flags: { format?: string; out?: string }): string {
  const format = flags.format ?? "markdown";
  if (!isReportFormat(format)) throw new UsageError(`unknown --format ${format}`, `use one of ${REPORT_FORMATS.join(", ")}`);
  const text = renderArtifactReport(buildArtifactReport(readArtifactInputs(run)), format);
  if (flags.out) writeReport(flags.out, text);
  return text;
}

/** evidence and artifact-report. */
export function registerEvidenceCommands(cli: CAC, say: (line: string) => void): void {
  cli
    .command("evidence [...runs]", "Evidence tables over runs: suite results, evidence provenance, baselines, survivors and equivalents by operator")
    .option("--format <format>", `${TABLE_FORMATS.join(", ")} (default markdown)`)
    .option("--out <file>", "File to write (required)")
    .option("--domain-path <dir>", "Folder of a run's own (not built-in) domain, for the baselines")
    .action((runs: string[], flags: { format?: string; out?: string; domainPath?: string }) => say(evidenceCommand(runs, flags)));

  cli
    .command("artifact-report <run>", "Report what one run directory holds: provenance, verdict counts, witness sizes, latencies, artifact sizes")
    .option("--format <format>", `${REPORT_FORMATS.join(", ")} (default markdown)`)
    .option("--out <file>", "File to write; printed to stdout otherwise")
    .action((run: string, flags: { format?: string; out?: string }) => {
      const text = artifactReportCommand(run, flags);
      if (flags.out) say(flags.out);
      else process.stdout.write(text);
    });
}

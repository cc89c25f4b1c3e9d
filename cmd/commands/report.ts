import type { CAC } from "cac";
import { buildHtmlReport, renderHtmlReport } from "../../core/evidence/html-report.ts";
import { readReportInputs, writeHtmlReport } from "../../workers/report-inputs.ts";
import { UsageError } from "../errors.ts";
import { parseRunArgument } from "./evidence.ts";

/** `strata report RUN... --out report.html`: one self-contained, offline HTML page over the runs. */
export function reportCommand(args: string[], flags: { out?: string; domainPath?: string }): string {
  if (!flags.out) throw new UsageError("--out is required", "e.g. --out report.html");
  if (args.length === 0) throw new UsageError("no runs given", "e.g. strata report runs/demo --out report.html");
  const runs = args.map(parseRunArgument);
  const names = new Set<string>();
  for (const { name } of runs) {
    if (names.has(name)) throw new UsageError(`two runs are named ${name}`, "name them apart: NAME=RUN_DIR");
    names.add(name);
  }
  writeHtmlReport(flags.out, renderHtmlReport(buildHtmlReport(readReportInputs(runs, flags.domainPath))));
  return flags.out;
}

export function registerReportCommands(cli: CAC, say: (line: string) => void): void {
  cli
    .command("report [...runs]", "One self-contained HTML report over runs: kill rates, layers, baselines, survivors, equivalents, witnesses")
    .option("--out <file>", "HTML file to write (required)")
    .option("--domain-path <dir>", "Folder of the runs' domain when it is not built in")
    .action((runs: string[], flags: { out?: string; domainPath?: string }) => say(reportCommand(runs, flags)));
}

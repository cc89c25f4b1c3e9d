import type { CAC } from "cac";
import { EXPORT_FORMATS, isExportFormat } from "../../core/evidence/export-common.ts";
import { prettyJson } from "../../core/util/canonical-json.ts";
import { exportRun } from "../../workers/evidence-export.ts";
import { UsageError } from "../errors.ts";

/** `strata export RUN --format F --out FILE`: prints {format, out, records}. */
export async function exportCommand(run: string, flags: { format?: string; out?: string }): Promise<{ format: string; out: string; records: number }> {
  const format = flags.format;
  if (!format) throw new UsageError("--format is required", `use one of ${EXPORT_FORMATS.join(", ")}`);
  if (!isExportFormat(format)) throw new UsageError(`unknown --format ${format}`, `use one of ${EXPORT_FORMATS.join(", ")}`);
  if (!flags.out) throw new UsageError("--out is required", "e.g. --out run.junit.xml");
  const { out, records } = await exportRun(run, format, flags.out);
  return { format, out, records };
}

export function registerExportCommands(cli: CAC, say: (line: string) => void): void {
  cli
    .command("export <run>", "Export a run's traces for other tools: Inspect eval log, BenchFlow, JUnit XML or Parquet")
    .option("--format <format>", `${EXPORT_FORMATS.join(", ")} (required)`)
    .option("--out <file>", "File to write (required)")
    .action(async (run: string, flags: { format?: string; out?: string }) => say(prettyJson(await exportCommand(run, flags)).trimEnd()));
}

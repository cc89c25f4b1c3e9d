import { evaluateAblations } from "../../core/evidence/ablations.ts";
import { catchTableMarkdown, evaluateBaselines } from "../../core/evidence/baselines.ts";
import { prettyJson } from "../../core/util/canonical-json.ts";
import { readEvidenceRuns, writeOutput } from "../../workers/evidence-runs.ts";
import { UsageError } from "../errors.ts";

export interface EvidenceFlags {
  format?: string;
  out?: string;
  domainPath?: string;
}

function emit(text: string, out: string | undefined, say: (line: string) => void): void {
  if (out) writeOutput(out, text);
  else say(text.trimEnd());
}

/** `strata baselines RUN...`: each restricted baseline's catch rate on the runs' failing traces. */
export function baselines(runs: string[], flags: EvidenceFlags, say: (line: string) => void): void {
  if (runs.length === 0) throw new UsageError("no run directories given", "e.g. strata baselines runs/demo");
  const format = flags.format ?? "json";
  if (format !== "json" && format !== "markdown") throw new UsageError(`unknown --format ${format}`, "use json or markdown");
  const table = evaluateBaselines(readEvidenceRuns(runs, flags.domainPath));
  emit(format === "json" ? prettyJson(table) : catchTableMarkdown(table), flags.out, say);
}

/** `strata ablations RUN...`: the detector with one component off at a time, and the kills each loses. */
export function ablations(runs: string[], flags: EvidenceFlags, say: (line: string) => void): void {
  if (runs.length === 0) throw new UsageError("no run directories given", "e.g. strata ablations runs/demo");
  emit(prettyJson(evaluateAblations(readEvidenceRuns(runs, flags.domainPath))), flags.out, say);
}

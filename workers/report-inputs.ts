import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { evaluateFullDetector } from "../core/evidence/ablations.ts";
import { evaluateBaselines } from "../core/evidence/baselines.ts";
import type { HtmlReportInputs, HtmlReportRun } from "../core/evidence/html-report.ts";
import { InputError } from "../core/input/input-error.ts";
import { Summary } from "../core/model/summary.ts";
import { Witness } from "../core/model/witness.ts";
import { summarize } from "../core/report/summarize.ts";
import { readEvidenceRuns } from "./evidence-runs.ts";
import { readTraces, witnessFileNames, writtenWitness } from "./run-directory.ts";

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new InputError(file, 1, 1, `not JSON: ${(error as Error).message}`, "restore the file from the run, or re-run it");
  }
}

/** witnesses/*.json of a run, validated (or as this process wrote them), sorted by file name. */
function readWitnesses(runDir: string): HtmlReportRun["witnesses"] {
  const dir = join(runDir, "witnesses");
  return witnessFileNames(runDir).map((file) => {
      const written = writtenWitness(join(dir, file));
      if (written) return { file, witness: written };
      const parsed = Witness.safeParse(readJson(join(dir, file)));
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new InputError(join(dir, file), 1, 1, `${issue.path.join(".")}: ${issue.message}`, "this is not a witness written by this version of strata; re-run the suite");
      }
      return { file, witness: parsed.data };
    });
}

/** One run directory as the HTML report sees it; summary.json when present, else recomputed. */
export function readReportRun(runDir: string, name = basename(runDir)): HtmlReportRun {
  const traces = readTraces(runDir);
  const summaryFile = join(runDir, "summary.json");
  let summary: Summary;
  if (existsSync(summaryFile)) {
    const parsed = Summary.safeParse(readJson(summaryFile));
    if (!parsed.success) throw new InputError(summaryFile, 1, 1, parsed.error.issues[0]!.message, "recompute it with `strata summarize`, or re-run the suite");
    summary = parsed.data;
  } else summary = summarize(traces);
  return { name, summary, localized: traces.map((t) => t.localized_surface), witnesses: readWitnesses(runDir) };
}

/** Everything `strata report` needs from the given runs, in argument order. */
export function readReportInputs(runs: ReadonlyArray<{ name: string; run: string }>, domainPath?: string): HtmlReportInputs {
  const cases = readEvidenceRuns(
    runs.map((r) => r.run),
    domainPath,
  );
  return { runs: runs.map((r) => readReportRun(r.run, r.name)), baselines: evaluateBaselines(cases), fullDetector: evaluateFullDetector(cases) };
}

export function writeHtmlReport(file: string, html: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, html);
}

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { evaluateAblationsAndFullDetector } from "../core/evidence/ablations.ts";
import { buildArtifactReport, renderArtifactReport } from "../core/evidence/artifact-report.ts";
import { evaluateBaselines } from "../core/evidence/baselines.ts";
import { EXPORT_EXTENSIONS } from "../core/evidence/export-common.ts";
import { buildHtmlReport, renderHtmlReport } from "../core/evidence/html-report.ts";
import { renderTables } from "../core/evidence/render.ts";
import { evidenceTables } from "../core/evidence/tables.ts";
import type { PlannedRun, ReproducePlan } from "../core/model/reproduce-plan.ts";
import { prettyJson } from "../core/util/canonical-json.ts";
import { exportRun } from "./evidence-export.ts";
import { readArtifactInputs, readRunEvidence, writeReport } from "./evidence-inputs.ts";
import { readEvidenceCases } from "./evidence-runs.ts";
import { readReportRun, writeHtmlReport } from "./report-inputs.ts";

/**
 * Stages 2 and 3 of `strata reproduce`: the evidence over the runs under `root` (in the plan's
 * order), each file byte-identical to what its own command writes (`strata baselines`,
 * `ablations`, `evidence`, `artifact-report`, `export`, `report`). The runs' traces are read and
 * their SQL analysed once for all of them. Returns the files written, relative to `root`.
 */
export async function writeEvidence(root: string, runs: readonly PlannedRun[], plan: ReproducePlan, say: (line: string) => void): Promise<string[]> {
  say("[2/3] evidence: baselines.json, ablations.json, evidence.md, artifact-report.md");
  const dirOf = (run: PlannedRun) => join(root, run.name);
  const cases = runs.flatMap((run) => readEvidenceCases(dirOf(run), run.domain_path));
  const baselines = evaluateBaselines(cases);
  const files: string[] = [];
  const write = (name: string, text: string) => {
    writeReport(join(root, name), text);
    files.push(name);
  };
  write("baselines.json", prettyJson(baselines));
  const detector = evaluateAblationsAndFullDetector(cases);
  write("ablations.json", prettyJson(detector.ablations));
  write("evidence.md", renderTables(evidenceTables(runs.map((run) => readRunEvidence(run.label, dirOf(run))), baselines), "markdown"));
  const artifactRun = runs.find((run) => run.name === plan.artifact_run) ?? runs[0]!;
  write("artifact-report.md", renderArtifactReport(buildArtifactReport(readArtifactInputs(dirOf(artifactRun))), "markdown"));

  say(`[3/3] exports (${plan.exports.join(", ") || "none"}) of ${artifactRun.name}${plan.html_report ? ", report.html" : ""}`);
  if (plan.exports.length > 0) mkdirSync(join(root, "exports"), { recursive: true });
  for (const format of plan.exports) {
    const name = `exports/${format}.${EXPORT_EXTENSIONS[format]}`;
    await exportRun(dirOf(artifactRun), format, join(root, name));
    files.push(name);
  }
  if (plan.html_report) {
    const report = buildHtmlReport({ runs: runs.map((run) => readReportRun(dirOf(run), run.label)), baselines, fullDetector: detector.fullDetector });
    writeHtmlReport(join(root, "report.html"), renderHtmlReport(report));
    files.push("report.html");
  }
  return files;
}

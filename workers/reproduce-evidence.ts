import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { addDetectorTallies, type DetectorTally, type DetectorVerdicts, detectorRows, tallyDetector } from "../core/evidence/ablations.ts";
import type { DetectorInput } from "../core/detect/types.ts";
import { buildArtifactReport, renderArtifactReport } from "../core/evidence/artifact-report.ts";
import { addBaselineTallies, type BaselineTally, baselineRows, tallyBaselines } from "../core/evidence/baselines.ts";
import { EXPORT_EXTENSIONS } from "../core/evidence/export-common.ts";
import { buildHtmlReport, type HtmlReportRun, renderHtmlReport } from "../core/evidence/html-report.ts";
import { renderTables } from "../core/evidence/render.ts";
import { evidenceTables, type RunEvidence } from "../core/evidence/tables.ts";
import type { PlannedRun, ReproducePlan } from "../core/model/reproduce-plan.ts";
import { prettyJson } from "../core/util/canonical-json.ts";
import { exportRun, preloadParquetWriter } from "./evidence-export.ts";
import { readArtifactInputs, readRunEvidence, writeReport } from "./evidence-inputs.ts";
import { readEvidenceCases, SharedEvidenceInputs } from "./evidence-runs.ts";
import { readReportRun, writeHtmlReport } from "./report-inputs.ts";

/** What the evidence needs from one finished run, read once: its cases are counted, not kept. */
interface RunInputs {
  baselines: BaselineTally;
  detector: DetectorTally;
  evidence: RunEvidence;
  report: HtmlReportRun | null;
}

/**
 * Stages 2 and 3 of `strata reproduce`: the evidence over the runs under `root` (in the plan's
 * order), each file byte-identical to what its own command writes (`strata baselines`,
 * `ablations`, `evidence`, `artifact-report`, `export`, `report`). Each run's traces are read and
 * their SQL analysed once, and its cases counted for the baselines and ablations (the counts of
 * several runs add up to the counts over all their cases).
 *
 * What depends on one run only (its traces read and analysed, its rows of the tables and the
 * report, and, for the artifact run, the artifact report and the exports) may be done as soon as
 * that run is done (`runDone`), while other runs still execute: a thread whose own lane has ended
 * then works on the evidence instead of waiting for the last lane. Every file's bytes are the same
 * whenever its inputs were read, since a finished run's directory no longer changes.
 */
export class EvidenceWriter {
  private readonly inputs = new Map<string, RunInputs>();
  private readonly artifactRun: PlannedRun;
  /** Work started early, one step at a time; finish() waits for it and reports its failure. */
  private early: Promise<void> = Promise.resolve();
  private artifactReportDone = false;
  private exportsDone = false;
  /** Cases of every run with the same content share one input, judged once (see SharedEvidenceInputs). */
  private readonly sharedInputs = new SharedEvidenceInputs();
  private readonly baselineVerdicts = new Map<DetectorInput, boolean[]>();
  private readonly detectorVerdicts = new Map<DetectorInput, DetectorVerdicts>();

  constructor(
    private readonly root: string,
    private readonly runs: readonly PlannedRun[],
    private readonly plan: ReproducePlan,
    private readonly say: (line: string) => void,
  ) {
    this.artifactRun = runs.find((run) => run.name === plan.artifact_run) ?? runs[0]!;
    if (plan.exports.includes("parquet")) preloadParquetWriter();
  }

  private dirOf(run: PlannedRun): string {
    return join(this.root, run.name);
  }

  private read(run: PlannedRun): RunInputs {
    let found = this.inputs.get(run.name);
    if (!found) {
      const dir = this.dirOf(run);
      const cases = readEvidenceCases(dir, run.domain_path, this.sharedInputs);
      found = {
        baselines: tallyBaselines(cases, undefined, this.baselineVerdicts),
        detector: tallyDetector(cases, undefined, this.detectorVerdicts),
        evidence: readRunEvidence(run.label, dir),
        report: this.plan.html_report ? readReportRun(dir, run.label) : null,
      };
      this.inputs.set(run.name, found);
    }
    return found;
  }

  /** `run` is done and its directory final: read what the evidence needs of it now (see the class). */
  runDone(run: PlannedRun): void {
    this.early = this.early.then(async () => {
      // Each step lets the event loop turn first, so results of lanes still running are taken in.
      await new Promise((resolve) => setImmediate(resolve));
      if (run.name === this.artifactRun.name) {
        this.say(`  ${run.name} is done: its artifact report and exports are written now`);
        this.writeArtifactReport();
        await this.writeExports();
      }
      this.read(run);
    });
    // Awaited by finish(); until then a failure must not count as unhandled.
    this.early.catch(() => {});
  }

  /** Settles when the work started early is done (tests). */
  whenIdle(): Promise<void> {
    return this.early;
  }

  private writeArtifactReport(): void {
    if (this.artifactReportDone) return;
    this.artifactReportDone = true;
    writeReport(join(this.root, "artifact-report.md"), renderArtifactReport(buildArtifactReport(readArtifactInputs(this.dirOf(this.artifactRun))), "markdown"));
  }

  private async writeExports(): Promise<void> {
    if (this.exportsDone) return;
    this.exportsDone = true;
    if (this.plan.exports.length > 0) mkdirSync(join(this.root, "exports"), { recursive: true });
    for (const format of this.plan.exports) {
      await exportRun(this.dirOf(this.artifactRun), format, join(this.root, this.exportName(format)));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private exportName(format: ReproducePlan["exports"][number]): string {
    return `exports/${format}.${EXPORT_EXTENSIONS[format]}`;
  }

  /** Every evidence file, after every run is done. Returns the files written, relative to the root. */
  async finish(): Promise<string[]> {
    await this.early;
    const { root, runs, plan, say } = this;
    say("[2/3] evidence: baselines.json, ablations.json, evidence.md, artifact-report.md");
    const inputs = runs.map((run) => this.read(run));
    const baselines = baselineRows(addBaselineTallies(inputs.map((input) => input.baselines)));
    const write = (name: string, text: string) => writeReport(join(root, name), text);
    write("baselines.json", prettyJson(baselines));
    const detector = detectorRows(addDetectorTallies(inputs.map((input) => input.detector)));
    write("ablations.json", prettyJson(detector.ablations));
    write("evidence.md", renderTables(evidenceTables(inputs.map((input) => input.evidence), baselines), "markdown"));
    this.writeArtifactReport();
    const early = this.exportsDone;
    say(`[3/3] exports (${plan.exports.join(", ") || "none"}) of ${this.artifactRun.name}${early ? " (written when it was done)" : ""}${plan.html_report ? ", report.html" : ""}`);
    await this.writeExports();
    if (plan.html_report) {
      const report = buildHtmlReport({ runs: inputs.map((input) => input.report!), baselines, fullDetector: detector.fullDetector });
      writeHtmlReport(join(root, "report.html"), renderHtmlReport(report));
    }
    return [
      "baselines.json",
      "ablations.json",
      "evidence.md",
      "artifact-report.md",
      ...plan.exports.map((format) => this.exportName(format)),
      ...(plan.html_report ? ["report.html"] : []),
    ];
  }
}

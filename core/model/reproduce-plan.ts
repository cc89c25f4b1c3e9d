import { z } from "zod";
import { EXPORT_FORMATS } from "../evidence/export-common.ts";

const RunName = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "must be lowercase letters, digits, - and _ (it names a directory)");

/** One run of a reproduction: a suite of a domain, written to ROOT/<name>. */
export const PlannedRun = z.strictObject({
  name: RunName,
  /** The run's name in evidence.md, the baselines and the HTML report. */
  label: z.string().regex(/^[A-Za-z0-9_.-]+$/, "must be letters, digits, _, . and -"),
  domain: z.string().min(1),
  /** A domain folder of your own, relative to the plan file; omitted for a built-in domain. */
  domain_path: z.string().min(1).optional(),
  suite: z.string().min(1),
  count: z.number().int().positive().optional(),
  seed: z.number().int().nonnegative().optional(),
  /** Freeze first (ROOT/<name>/benchmark_manifest.json) and run exactly that manifest, as `strata bench --freeze`. */
  freeze: z.boolean().default(false),
  backend: z.string().min(1).optional(),
});
export type PlannedRun = z.infer<typeof PlannedRun>;

/**
 * What `strata reproduce` regenerates: the runs, then the evidence over all of them (baselines.json,
 * ablations.json, evidence.md), one run's artifact report and exports, and the HTML report.
 */
export const ReproducePlan = z
  .strictObject({
    runs: z.array(PlannedRun).min(1),
    /** The run whose artifact-report.md and exports are written; default the first run. */
    artifact_run: RunName.optional(),
    exports: z.array(z.enum(EXPORT_FORMATS)).default([]),
    html_report: z.boolean().default(true),
  })
  .superRefine((plan, ctx) => {
    const seen = { name: new Set<string>(), label: new Set<string>() };
    plan.runs.forEach((run, i) => {
      for (const key of ["name", "label"] as const) {
        if (seen[key].has(run[key])) ctx.addIssue({ code: "custom", path: ["runs", i, key], message: `two runs have the ${key} ${run[key]}` });
        seen[key].add(run[key]);
      }
    });
    if (plan.artifact_run !== undefined && !seen.name.has(plan.artifact_run)) {
      ctx.addIssue({ code: "custom", path: ["artifact_run"], message: `no run is named ${plan.artifact_run}` });
    }
  });
export type ReproducePlan = z.infer<typeof ReproducePlan>;

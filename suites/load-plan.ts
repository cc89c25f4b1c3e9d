import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { LocatedYaml } from "../core/input/located-yaml.ts";
import { UsageError } from "../core/input/usage-error.ts";
import { ReproducePlan } from "../core/model/reproduce-plan.ts";
import paperFinal from "./plans/paper-final.yaml" with { type: "text" };

/** The built-in plans, by name; their text is embedded, so a compiled binary carries them. */
export const BUILTIN_PLANS: Readonly<Record<string, string>> = { "paper-final": paperFinal };
export const DEFAULT_PLAN = "paper-final";

export interface LoadedPlan {
  plan: ReproducePlan;
  /** Where the plan came from, for messages; domain_path entries are relative to its folder. */
  source: string;
}

/** A built-in plan by name, or a plan file; errors name the file, line and column. */
export function loadPlan(nameOrFile: string = DEFAULT_PLAN): LoadedPlan {
  const builtin = BUILTIN_PLANS[nameOrFile];
  if (builtin !== undefined) {
    // Bun's native parser, as for the built-in domains (same value, pinned by a test).
    const located = LocatedYaml.withValue(`built-in plan ${nameOrFile}`, builtin, Bun.YAML.parse(builtin));
    return { plan: located.validate(ReproducePlan), source: nameOrFile };
  }
  const file = resolve(nameOrFile);
  if (!existsSync(file)) {
    throw new UsageError(`no plan named ${nameOrFile}, and no such file`, `use ${Object.keys(BUILTIN_PLANS).join(", ")}, or the path of a plan YAML file`);
  }
  const plan = parsePlan(file, readFileSync(file, "utf8"));
  const base = dirname(file);
  return {
    plan: { ...plan, runs: plan.runs.map((run) => (run.domain_path ? { ...run, domain_path: resolve(base, run.domain_path) } : run)) },
    source: file,
  };
}

export function parsePlan(file: string, text: string): ReproducePlan {
  return LocatedYaml.parse(file, text).validate(ReproducePlan);
}

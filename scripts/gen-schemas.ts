/**
 * Writes docs/schemas/*.schema.json from the zod schemas, the single source of truth for every
 * file format. `--check` exits 1 when the committed files are stale (run in the tests).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { BenchmarkManifest } from "../core/model/benchmark-manifest.ts";
import { DomainDatabase } from "../core/model/database.ts";
import { InspectEvalLog } from "../core/model/inspect-eval-log.ts";
import { RunEvent } from "../core/model/events.ts";
import { RunMetadata } from "../core/model/metadata.ts";
import { Policy } from "../core/model/policy.ts";
import { ReproducePlan } from "../core/model/reproduce-plan.ts";
import { SuiteFile } from "../core/model/suite.ts";
import { Summary } from "../core/model/summary.ts";
import { SurfaceConfig } from "../core/model/surfaces.ts";
import { Trace } from "../core/model/trace.ts";
import { Witness } from "../core/model/witness.ts";
import { prettyJson } from "../core/util/canonical-json.ts";

export const SCHEMAS: Record<string, { schema: z.ZodType; io: "input" | "output"; title: string }> = {
  policy: { schema: Policy, io: "input", title: "strata policy.yaml" },
  surfaces: { schema: SurfaceConfig, io: "input", title: "strata surfaces.yaml" },
  database: { schema: DomainDatabase, io: "input", title: "strata database.yaml" },
  suite: { schema: SuiteFile, io: "input", title: "strata tasks/<suite>.yaml" },
  "reproduce-plan": { schema: ReproducePlan, io: "input", title: "strata reproduce plan (suites/plans/*.yaml)" },
  trace: { schema: Trace, io: "output", title: "one line of strata traces.jsonl" },
  witness: { schema: Witness, io: "output", title: "strata witnesses/<task>.json" },
  summary: { schema: Summary, io: "output", title: "strata summary.json" },
  metadata: { schema: RunMetadata, io: "output", title: "strata metadata.json" },
  "run-event": { schema: RunEvent, io: "output", title: "strata run event" },
  "benchmark-manifest": { schema: BenchmarkManifest, io: "output", title: "strata benchmark_manifest.json" },
  "inspect-eval-log": { schema: InspectEvalLog, io: "output", title: "the Inspect eval log `strata export --format inspect` writes (the part of Inspect's format it uses)" },
};

export function renderSchema(name: string): string {
  const { schema, io, title } = SCHEMAS[name]!;
  return prettyJson({ ...z.toJSONSchema(schema, { io, unrepresentable: "any" }), title });
}

if (import.meta.main) {
  const dir = join(import.meta.dir, "..", "docs", "schemas");
  const check = process.argv.includes("--check");
  mkdirSync(dir, { recursive: true });
  let stale = 0;
  for (const name of Object.keys(SCHEMAS)) {
    const file = join(dir, `${name}.schema.json`);
    const text = renderSchema(name);
    if (check) {
      let current = "";
      try {
        current = readFileSync(file, "utf8");
      } catch {}
      if (current !== text) {
        console.error(`stale: ${file} (run: bun scripts/gen-schemas.ts)`);
        stale++;
      }
    } else {
      writeFileSync(file, text);
    }
  }
  if (stale > 0) process.exit(1);
  console.log(check ? "schemas up to date" : `wrote ${Object.keys(SCHEMAS).length} schemas to ${dir}`);
}

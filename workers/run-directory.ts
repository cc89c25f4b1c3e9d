import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../core/input/input-error.ts";
import { RunMetadata } from "../core/model/metadata.ts";
import { Trace } from "../core/model/trace.ts";

/** Reads traces.jsonl back, validating every line; a bad line is reported by file and line. */
export function readTraces(runDir: string): Trace[] {
  const file = join(runDir, "traces.jsonl");
  if (!existsSync(file)) throw new InputError(file, 1, 1, "no traces.jsonl here", "pass the --out directory of a `strata run`");
  const traces: Trace[] = [];
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (line.trim() === "") return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new InputError(file, i + 1, 1, `not JSON: ${(error as Error).message}`, "restore the file from the run, or re-run it");
      }
      const parsed = Trace.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new InputError(file, i + 1, 1, `${issue.path.join(".")}: ${issue.message}`, "this is not a trace written by this version of strata; re-run the suite");
      }
      traces.push(parsed.data);
    });
  return traces;
}

export function readMetadata(runDir: string): RunMetadata | null {
  const file = join(runDir, "metadata.json");
  return existsSync(file) ? RunMetadata.parse(JSON.parse(readFileSync(file, "utf8"))) : null;
}

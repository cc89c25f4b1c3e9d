import { sourceText } from "../freeze/source-text.ts" with { type: "macro" };

/**
 * The execution pipeline outside core (engines, observation, minimization): what a cached case
 * result also depends on. Inlined at transpile time, like freeze/sources.ts.
 */
export const PIPELINE_SOURCES: Readonly<Record<string, string>> = {
  "workers/case-runner.ts": sourceText("workers/case-runner.ts"),
  "workers/evaluate.ts": sourceText("workers/evaluate.ts"),
  "workers/minimize.ts": sourceText("workers/minimize.ts"),
  "workers/observe.ts": sourceText("workers/observe.ts"),
  "workers/engines/cached-engine.ts": sourceText("workers/engines/cached-engine.ts"),
  "workers/engines/duckdb.ts": sourceText("workers/engines/duckdb.ts"),
  "workers/engines/normalize.ts": sourceText("workers/engines/normalize.ts"),
  "workers/engines/pglite.ts": sourceText("workers/engines/pglite.ts"),
  "workers/engines/postgres.ts": sourceText("workers/engines/postgres.ts"),
};

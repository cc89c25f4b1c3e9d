import { z } from "zod";
import { RunMetadata } from "./metadata.ts";
import { Summary } from "./summary.ts";
import { Trace } from "./trace.ts";
import { Witness } from "./witness.ts";

/**
 * The one stream every reporter consumes, so a live run, a shard and a merge print and write
 * the same thing. Timings ride on the events but never enter hashed artifacts.
 */
export const RunEvent = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("run_started"), metadata: RunMetadata }),
  z.strictObject({
    type: z.literal("case_finished"),
    index: z.number(),
    trace: Trace,
    witness: Witness.nullable(),
    elapsed_ms: z.number(),
    /** Taken from the case-result cache: nothing executed in this run, so elapsed_ms says nothing. */
    cached: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal("run_finished"), summary: Summary }),
]);
export type RunEvent = z.infer<typeof RunEvent>;

import { z } from "zod";
import { RunFreeze } from "./benchmark-manifest.ts";
import { Surface, WitnessClass } from "./identifiers.ts";
import { EvidenceLevel, Provenance, SuiteMetadata } from "./suite.ts";
import { SurfaceContract, SurfaceVersions } from "./surfaces.ts";

export const OperatorDescriptor = z.strictObject({
  id: z.string(),
  surface: Surface,
  expected_class: WitnessClass,
  expected_containment: Surface.nullable(),
  description: z.string(),
});

/** metadata.json: provenance of a run. Deterministic: no clock, no host, no absolute path. */
export const RunMetadata = z.strictObject({
  tool: z.strictObject({ name: z.literal("strata"), version: z.string() }),
  domain: z.string(),
  builtin_domain: z.boolean(),
  suite: z.string(),
  generated_count: z.number().nullable(),
  generated_seed: z.number().nullable(),
  suite_metadata: SuiteMetadata,
  suite_provenance: Provenance,
  evidence_level: EvidenceLevel,
  policy_version: z.string(),
  default_surface_versions: SurfaceVersions,
  surface_contracts: z.record(z.string(), SurfaceContract),
  transition_obligations: z.array(z.string()),
  operators: z.array(OperatorDescriptor),
  operators_not_applicable: z.array(z.string()),
  backend: z.strictObject({ name: z.string(), dialect: z.string(), containment: z.string() }),
  detector: z.strictObject({ label_blind: z.literal(true), sql_analysis: z.string() }),
  /** This run's shard, or null for a whole run (and for the merge of all shards). */
  shard: z.strictObject({ index: z.number(), total: z.number() }).nullable(),
  trace_count: z.number(),
  /** Present when the run was made from a verified benchmark manifest (`run --freeze-manifest`). */
  freeze: RunFreeze.optional(),
});
export type RunMetadata = z.infer<typeof RunMetadata>;

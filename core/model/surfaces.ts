import { z } from "zod";

export const ContractMode = z.enum([
  "capability_exposure",
  "intent_space",
  "semantic_validation",
  "sql_lowering",
  "database_containment",
  "output_release",
]);

export const SurfaceVersions = z.strictObject({
  manifest: z.string(),
  grammar: z.string(),
  validator: z.string(),
  compiler: z.string(),
  database: z.string(),
  release: z.string(),
});
export type SurfaceVersions = z.infer<typeof SurfaceVersions>;

export const SurfaceContract = z.strictObject({
  mode: ContractMode,
  responsibilities: z.array(z.string()).default([]),
  accepts_obligations: z.array(z.string()).default([]),
  emits_obligations: z.array(z.string()).default([]),
});
export type SurfaceContract = z.infer<typeof SurfaceContract>;

/** surfaces.yaml: the declared job of each layer. Same format as the Python tool's. */
export const SurfaceConfig = z.strictObject({
  versions: SurfaceVersions,
  contracts: z.strictObject({
    manifest: SurfaceContract,
    grammar: SurfaceContract,
    validator: SurfaceContract,
    compiler: SurfaceContract,
    database: SurfaceContract,
    release: SurfaceContract,
  }),
  transition_obligations: z.array(z.string()).default([]),
});
export type SurfaceConfig = z.infer<typeof SurfaceConfig>;

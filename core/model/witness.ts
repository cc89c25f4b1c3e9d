import { z } from "zod";
import { SafeIdentifier, Surface, WitnessClass } from "./identifiers.ts";
import { Obligations, QueryResult, ReleaseOutput, Violation } from "./observation.ts";
import { SemanticPlan } from "./plan.ts";
import { Principal } from "./policy.ts";
import { SurfaceContract, SurfaceVersions } from "./surfaces.ts";

export const RowRef = z.strictObject({ table: z.string(), key: z.string() });

/** A minimized, self-contained account of one drift: small enough to read, complete enough to replay. */
export const Witness = z.strictObject({
  task_id: SafeIdentifier,
  domain: z.string(),
  mutation_under_test: z.string(),
  witness_class: WitnessClass.exclude(["clean"]),
  localized_surface: Surface,
  containment_layer: Surface.nullable(),
  failed_obligation: z.string(),
  principal: Principal,
  request: z.string(),
  semantic_ir: SemanticPlan,
  original_semantic_ir: SemanticPlan,
  surface_versions: SurfaceVersions,
  contracts: z.record(z.string(), SurfaceContract),
  decisions: z.record(z.string(), z.strictObject({ allowed: z.boolean(), reasons: z.array(z.string()) })),
  obligations: Obligations.nullable(),
  compiled_sql: z.string().nullable(),
  canonical_sql: z.string().nullable(),
  state: z.strictObject({ rows: z.array(RowRef), original_row_count: z.number() }),
  distinguishing: z.strictObject({
    canonical: QueryResult.nullable(),
    before_containment: QueryResult.nullable(),
    under_session: QueryResult.nullable(),
  }),
  release: ReleaseOutput.nullable(),
  violations: z.array(Violation),
  minimization: z.strictObject({ plan_tests: z.number(), row_tests: z.number(), one_minimal: z.boolean() }),
});
export type Witness = z.infer<typeof Witness>;

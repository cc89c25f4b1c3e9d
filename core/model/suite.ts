import { z } from "zod";
import { SafeIdentifier, Surface, WitnessClass } from "./identifiers.ts";
import { SemanticPlan, SemanticPlanPatch } from "./plan.ts";
import { SurfaceVersions } from "./surfaces.ts";

export const Provenance = z.enum([
  "hand_authored",
  "generated",
  "secondary_generated",
  "externally_authored",
  "incident_reconstruction",
]);
export const EvidenceLevel = z.enum([
  "deterministic_fixture",
  "property_generated",
  "detector_frozen_generated",
  "imported_trace",
  "real_db",
  "blinded_suite",
]);

export const SuiteMetadata = z.strictObject({
  provenance: Provenance.default("hand_authored"),
  evidence_level: EvidenceLevel.default("deterministic_fixture"),
  detector_frozen: z.boolean().default(false),
  detector_freeze_id: z.string().nullable().default(null),
  authored_after_detector_freeze: z.boolean().default(false),
  notes: z.array(z.string()).default([]),
});
export type SuiteMetadata = z.infer<typeof SuiteMetadata>;

/** `none` is a clean control; compound mutants join operator ids with `+`. */
export const MutationRef = z.string().regex(/^[a-z0-9_]+(\+[a-z0-9_]+)*$/, "must be an operator id, `none`, or ids joined by `+`");

export const Task = z.strictObject({
  id: SafeIdentifier,
  domain: z.string().min(1),
  principal: z.string().min(1),
  request: z.string(),
  policy_version: z.string(),
  surface_versions: SurfaceVersions,
  mutation: MutationRef,
  semantic_query: SemanticPlan,
  /** Expected labels only score accuracy; the detector never sees them. */
  expected_witness_class: WitnessClass,
  expected_localized_surface: Surface,
  expected_containment_layer: Surface.nullable().default(null),
});
export type Task = z.infer<typeof Task>;

/** A task as written in a suite file: labels and versions may be left to defaults. */
export const TaskInput = z.strictObject({
  id: SafeIdentifier,
  domain: z.string().optional(),
  principal: z.string().min(1),
  request: z.string(),
  policy_version: z.string().optional(),
  surface_versions: SurfaceVersions.partial().optional(),
  mutation: MutationRef.default("none"),
  semantic_query: SemanticPlan,
  expected_witness_class: WitnessClass.optional(),
  expected_localized_surface: Surface.optional(),
  expected_containment_layer: Surface.nullable().optional(),
});
export type TaskInput = z.infer<typeof TaskInput>;

export const MatrixItem = z.strictObject({
  mutation: MutationRef,
  count: z.int().min(1).max(10000).default(1),
  principal: z.string().min(1),
  /** `{index}` is replaced by the 1-based case number. */
  request: z.string(),
  semantic_query: SemanticPlan,
  /** Per-index overrides of the semantic query. */
  variants: z.record(z.string().regex(/^\d+$/), SemanticPlanPatch).default({}),
  surface_versions: SurfaceVersions.partial().default({}),
  expected_witness_class: WitnessClass.optional(),
  expected_localized_surface: Surface.optional(),
  expected_containment_layer: Surface.nullable().optional(),
});
export type MatrixItem = z.infer<typeof MatrixItem>;

/** tasks/<suite>.yaml */
export const SuiteFile = z.strictObject({
  suite: z.string().optional(),
  policy_version: z.string().optional(),
  surface_versions: SurfaceVersions.partial().default({}),
  suite_metadata: SuiteMetadata.optional(),
  tasks: z.array(TaskInput).default([]),
  matrix: z.array(MatrixItem).default([]),
});
export type SuiteFile = z.infer<typeof SuiteFile>;

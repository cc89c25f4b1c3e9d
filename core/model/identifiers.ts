import { z } from "zod";

/** Ids end up in file names (witnesses/<id>.json), so they must never carry path syntax. */
export const SafeIdentifier = z
  .string()
  .max(128, "must be at most 128 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "must start with a letter or digit and use only letters, digits, '_', '.', '-'");

export const SURFACES = ["manifest", "grammar", "validator", "compiler", "database", "release"] as const;
export const Surface = z.enum(SURFACES);
export type Surface = z.infer<typeof Surface>;

export const WITNESS_CLASSES = [
  "clean",
  "over_permissive",
  "over_restrictive",
  "lowering_violation",
  "semantic_drift",
  "unsafe_release",
] as const;
export const WitnessClass = z.enum(WITNESS_CLASSES);
export type WitnessClass = z.infer<typeof WitnessClass>;

export function surfaceIndex(surface: Surface): number {
  return SURFACES.indexOf(surface);
}

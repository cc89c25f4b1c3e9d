import type { Surface, WitnessClass } from "../model/identifiers.ts";
import { parseMutationRef } from "../mutants/registry.ts";

/** Expected labels of a mutation reference: the earliest operator's, as a compound is first seen there. */
export function expectedLabels(mutation: string): { witness_class: WitnessClass; surface: Surface; containment: Surface | null } {
  const operators = parseMutationRef(mutation);
  if (operators.length === 0) return { witness_class: "clean", surface: "release", containment: null };
  const order = ["manifest", "grammar", "validator", "compiler", "database", "release"];
  const first = [...operators].sort((a, b) => order.indexOf(a.surface) - order.indexOf(b.surface))[0]!;
  return { witness_class: first.expectedClass, surface: first.surface, containment: first.expectedContainment };
}

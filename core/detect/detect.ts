import { surfaceIndex } from "../model/identifiers.ts";
import { sameResult } from "../observe/rows.ts";
import { compilerViolations } from "./compiler.ts";
import { databaseViolations } from "./database.ts";
import { releaseViolations } from "./release.ts";
import { type Detection, type DetectorInput, isEnabled } from "./types.ts";
import { upstreamViolations } from "./upstream.ts";

/**
 * The label-blind detector. It reads layer outputs and the canonical view only: no mutation
 * id, no expected label, no stack configuration can reach it (a test pins this).
 */
export function detect(input: DetectorInput): Detection {
  const violations = [...upstreamViolations(input), ...compilerViolations(input), ...databaseViolations(input), ...releaseViolations(input)].filter((v) =>
    isEnabled(input, v),
  );
  // Stable sort: surface order first, then the order each check reports (the more severe first).
  violations.sort((a, b) => surfaceIndex(a.surface) - surfaceIndex(b.surface));
  const first = violations[0];
  if (!first) {
    return { witness_class: "clean", localized_surface: null, containment_layer: null, failed_obligation: null, violations };
  }
  return {
    witness_class: first.witness_class,
    localized_surface: first.surface,
    containment_layer: containmentLayer(input),
    failed_obligation: first.obligation,
    violations,
  };
}

/** The layer that kept the drift from reaching the user, read off the end-to-end path. */
function containmentLayer({ observation, canonical }: DetectorInput) {
  const e2e = observation.end_to_end;
  if (e2e.stopped_at !== null) return e2e.stopped_at;
  const before = observation.database.before_containment;
  const under = observation.database.under_session;
  if (before && under && canonical.result && !sameResult(before, under) && sameResult(under, canonical.result)) {
    return "database" as const;
  }
  return null;
}

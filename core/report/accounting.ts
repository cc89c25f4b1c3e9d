import type { Detection, Observation } from "../model/observation.ts";
import type { AccountingStatus } from "../model/trace.ts";

const LAYER_OUTPUTS = ["manifest", "grammar", "validator", "compiler", "database.probe", "database.before_containment", "database.under_session", "release", "end_to_end"] as const;

function pick(observation: Observation, path: string): unknown {
  return path.split(".").reduce<unknown>((value, key) => (value as Record<string, unknown> | null)?.[key], observation);
}

/** Which layer outputs of a stack differ from the reference stack's on the same case and state. */
export function differingOutputs(observed: Observation, reference: Observation): string[] {
  return LAYER_OUTPUTS.filter((path) => {
    const a = pick(observed, path);
    const b = pick(reference, path);
    // Layers the two stacks share often hand over the very same object (engines memoize results).
    return a !== b && JSON.stringify(a) !== JSON.stringify(b);
  });
}

/**
 * How a case counts. A drifted case whose every layer output, on every state, equals the
 * reference stack's is equivalent: no observer could tell it apart. One that differs somewhere
 * yet breaks no obligation survived, and is listed with what differed.
 */
export function account(
  expectsDrift: boolean,
  detection: Detection,
  differences: string[],
  error: string | null,
  /** Set for a drift of the database layer on a backend that cannot show containment: why it cannot. */
  containmentUnchecked?: string,
): { status: AccountingStatus; reason: string } {
  if (error !== null) return { status: "invalid", reason: `the case could not be executed: ${error}` };
  if (!expectsDrift) {
    return detection.witness_class === "clean"
      ? { status: "clean_control", reason: "clean control produced no witness" }
      : { status: "false_positive", reason: `clean control produced a ${detection.witness_class} witness at ${detection.localized_surface}` };
  }
  if (detection.witness_class !== "clean") {
    return { status: "killed", reason: `drift produced a ${detection.witness_class} witness at ${detection.localized_surface}` };
  }
  // The drifted layer was not observable here: neither survived nor equivalent can be claimed.
  if (containmentUnchecked !== undefined) {
    return { status: "unchecked", reason: `not detected; the drifted database layer could not be observed: ${containmentUnchecked}` };
  }
  if (differences.length === 0) {
    return { status: "equivalent", reason: "equivalent: every layer output and every result on the generated state equals the reference stack's" };
  }
  return { status: "survived", reason: `outputs differ from the reference (${differences.join(", ")}) but no obligation was violated` };
}

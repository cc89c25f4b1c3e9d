import type { SuiteMetadata } from "../model/suite.ts";

export type GeneratedSuite = {
  kind: "drift" | "clean";
  count: number;
  seed: number;
  metadata: SuiteMetadata;
};

const meta = (m: Partial<SuiteMetadata> & Pick<SuiteMetadata, "provenance" | "evidence_level">): SuiteMetadata => ({
  detector_frozen: false,
  detector_freeze_id: null,
  authored_after_detector_freeze: false,
  notes: [],
  ...m,
});

/** Suites generated from a seed. Any other name is a static file: tasks/<name>.yaml. */
export const GENERATED_SUITES: Record<string, GeneratedSuite> = {
  generated: {
    kind: "drift",
    count: 500,
    seed: 1729,
    metadata: meta({ provenance: "generated", evidence_level: "property_generated", notes: ["deterministic generated suite from the operator registry"] }),
  },
  generated_alt_seed: {
    kind: "drift",
    count: 50,
    seed: 8675309,
    metadata: meta({ provenance: "secondary_generated", evidence_level: "property_generated", notes: ["secondary generated suite with another seed; not blinded"] }),
  },
  heldout_v1: {
    kind: "drift",
    count: 500,
    seed: 260626,
    metadata: meta({
      provenance: "secondary_generated",
      evidence_level: "detector_frozen_generated",
      authored_after_detector_freeze: true,
      notes: ["held-out v1 suite generated after the detector freeze; not independently authored"],
    }),
  },
  clean_controls: {
    kind: "clean",
    count: 80,
    seed: 260627,
    metadata: meta({
      provenance: "secondary_generated",
      evidence_level: "detector_frozen_generated",
      authored_after_detector_freeze: true,
      notes: ["clean-control suite for false-positive accounting"],
    }),
  },
};

export const SUITE_ALIASES: Record<string, string> = { held_out: "generated_alt_seed" };

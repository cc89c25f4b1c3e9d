import { z } from "zod";
import { SafeIdentifier } from "./identifiers.ts";

/**
 * benchmark_manifest.json: a frozen benchmark. `content` is everything that decides which cases
 * run and how they are judged, as content hashes; the id is derived from it alone, so two freezes
 * of the same code and data get the same id. `provenance` (when, by which build) is not hashed.
 */
export const BENCHMARK_MANIFEST_VERSION = "strata.benchmark-manifest.v1";

/** The hashed components, in the order they are reported. */
export const FREEZE_COMPONENTS = ["policy", "surfaces", "database", "cases", "suite_metadata", "operators", "generator", "detector"] as const;
export const FreezeComponent = z.enum(FREEZE_COMPONENTS);
export type FreezeComponent = z.infer<typeof FreezeComponent>;

/** Content fields compared as values, not hashes: the parameters the cases were built from. */
export const FREEZE_PARAMETERS = ["domain", "suite", "generated_count", "generated_seed", "case_count"] as const;

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "must be a sha256 digest: 64 lowercase hex digits");
export const BenchmarkManifestId = z.string().regex(/^psf-[0-9a-f]{20}$/, 'must be "psf-" followed by 20 lowercase hex digits');

export const ComponentHashes = z.strictObject({
  /** policy.yaml as parsed (defaults filled in). */
  policy: Sha256Hex,
  /** surfaces.yaml as parsed. */
  surfaces: Sha256Hex,
  /** database.yaml as parsed, plus the text of schema.sql and seed.sql. */
  database: Sha256Hex,
  /** Every materialized case, in suite order. */
  cases: Sha256Hex,
  suite_metadata: Sha256Hex,
  /** The mutation operator registry's descriptor. */
  operators: Sha256Hex,
  /** Source text of the case generators (see source_files.generator). */
  generator: Sha256Hex,
  /** Source text of the detector, the stack layers, the oracle and the SQL analysis (see source_files.detector). */
  detector: Sha256Hex,
});
export type ComponentHashes = z.infer<typeof ComponentHashes>;

/** Repo-relative source path to the sha256 of its text. */
export const SourceFileHashes = z.record(z.string(), Sha256Hex);

export const BenchmarkContent = z.strictObject({
  manifest_version: z.literal(BENCHMARK_MANIFEST_VERSION),
  hash_algorithm: z.literal("sha256"),
  domain: z.string().min(1),
  suite: SafeIdentifier,
  /** The count and seed a generated suite was built with (defaults resolved); null for a static suite. */
  generated_count: z.int().min(0).nullable(),
  generated_seed: z.int().nullable(),
  case_count: z.int().min(0),
  components: ComponentHashes,
  /** Per-file hashes behind `generator` and `detector`, so a mismatch can name the changed files. */
  source_files: z.strictObject({ generator: SourceFileHashes, detector: SourceFileHashes }),
});
export type BenchmarkContent = z.infer<typeof BenchmarkContent>;

/** Not hashed: a later freeze of the same content gets the same id with other provenance. */
export const BenchmarkProvenance = z.strictObject({
  tool: z.strictObject({ name: z.literal("strata"), version: z.string() }),
  /** `git rev-parse HEAD` of the tool's checkout, or null outside one. */
  git_commit: z.string().nullable(),
  created_at: z.iso.datetime(),
});
export type BenchmarkProvenance = z.infer<typeof BenchmarkProvenance>;

export const BenchmarkManifest = z.strictObject({
  /** "psf-" + the first 20 hex digits of sha256(canonical JSON of `content`). */
  benchmark_manifest_id: BenchmarkManifestId,
  content: BenchmarkContent,
  provenance: BenchmarkProvenance,
});
export type BenchmarkManifest = z.infer<typeof BenchmarkManifest>;

const MismatchValue = z.union([z.string(), z.number(), z.null()]);

/** One difference between a manifest and what the current code and data rebuild. */
export const FreezeMismatch = z.strictObject({
  /** A component, a parameter, or benchmark_manifest_id (the stored id is not the id of the stored content). */
  component: z.string(),
  expected: MismatchValue,
  actual: MismatchValue,
  /** For generator and detector: the source files added, removed or changed. */
  files: z.array(z.string()).optional(),
});
export type FreezeMismatch = z.infer<typeof FreezeMismatch>;

/** What `strata verify-freeze` prints. */
export const FreezeVerification = z.strictObject({
  benchmark_manifest_id: z.string(),
  verified: z.boolean(),
  mismatches: z.array(FreezeMismatch),
});
export type FreezeVerification = z.infer<typeof FreezeVerification>;

/** The freeze block of a run's metadata.json. */
export const RunFreeze = z.strictObject({
  benchmark_manifest_id: BenchmarkManifestId,
  verified: z.literal(true),
  components: ComponentHashes,
});
export type RunFreeze = z.infer<typeof RunFreeze>;

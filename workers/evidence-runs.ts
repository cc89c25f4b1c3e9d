import { writeFileSync } from "node:fs";
import { InputError } from "../core/input/input-error.ts";
import type { EvidenceCase } from "../core/evidence/baselines.ts";
import { loadDomain } from "../suites/load-domain.ts";
import { retargetDomain } from "../core/domain/retarget.ts";
import { canonicalLowering } from "../core/detect/compiler.ts";
import { memoizedAnalyzer } from "./sql-analyses.ts";
import { readMetadata, readTraces } from "./run-directory.ts";

/**
 * The cases of one run directory as the evidence tables see them: each trace's observation and
 * canonical view, with the domain's policy and database, and whether the run's verdict was not
 * clean. Nothing else of the trace (mutation, expected labels, accounting) is carried over.
 */
export function readEvidenceCases(runDir: string, domainPath?: string): EvidenceCase[] {
  const metadata = readMetadata(runDir);
  if (!metadata) throw new InputError(`${runDir}/metadata.json`, 1, 1, "no metadata.json here", "pass the --out directory of a `strata run`");
  if (!metadata.builtin_domain && !domainPath) {
    throw new InputError(`${runDir}/metadata.json`, 1, 1, `domain ${metadata.domain} is not built in`, "pass its folder with --domain-path");
  }
  const loaded = loadDomain(metadata.domain, metadata.builtin_domain ? undefined : domainPath);
  // The traces' SQL is in the dialect the run executed (metadata.backend), not always the domain's.
  const dialect = metadata.backend.dialect;
  const domain = (dialect === "clickhouse" || dialect === "sqlite" ? retargetDomain(loaded, dialect) : null) ?? loaded;
  const analyze = memoizedAnalyzer(domain.database.dialect);
  return readTraces(runDir).map((trace) => {
    const { observation, canonical } = trace;
    if (!observation || !canonical) return { failure: trace.witness_class !== "clean", input: null };
    const obligations = canonical.decision.obligations;
    // Lowered once here rather than in each of the many detector runs (ablations, baselines).
    const referenceLowering = obligations ? canonicalLowering(domain.policy, domain.database, observation.proposed_plan, obligations) : undefined;
    return {
      failure: trace.witness_class !== "clean",
      input: { policy: domain.policy, db: domain.database, observation, canonical, analyze, referenceLowering },
    };
  });
}

/** All cases of several run directories, in the order given. */
export function readEvidenceRuns(runDirs: readonly string[], domainPath?: string): EvidenceCase[] {
  return runDirs.flatMap((dir) => readEvidenceCases(dir, domainPath));
}

export function writeOutput(file: string, text: string): void {
  writeFileSync(file, text);
}

import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../core/input/input-error.ts";
import type { EvidenceCase } from "../core/evidence/baselines.ts";
import type { DetectorInput } from "../core/detect/types.ts";
import { loadDomain } from "../suites/load-domain.ts";
import { retargetDomain } from "../core/domain/retarget.ts";
import { canonicalLowering } from "../core/detect/compiler.ts";
import { memoizedAnalyzer } from "./sql-analyses.ts";
import { readMetadata, readTraces } from "./run-directory.ts";

/**
 * One input object per distinct case content, across the runs read with it: the paper plan's 1,800
 * cases have 630 distinct (stack, principal, plan) triples, and the baselines and ablations judge
 * an input once however many cases share it (tallyBaselines, tallyDetector). The content is the
 * observation and canonical view (all the detector reads of a trace) in the domain and dialect
 * they were read with.
 */
export class SharedEvidenceInputs {
  private readonly byContent = new Map<string, DetectorInput>();

  get(scope: string, observation: unknown, canonical: unknown, make: () => DetectorInput): DetectorInput {
    const key = `${scope}\u0000${JSON.stringify(observation)}\u0000${JSON.stringify(canonical)}`;
    let input = this.byContent.get(key);
    if (!input) {
      input = make();
      this.byContent.set(key, input);
    }
    return input;
  }
}

/**
 * The cases of one run directory as the evidence tables see them: each trace's observation and
 * canonical view, with the domain's policy and database, and whether the run's verdict was not
 * clean. Nothing else of the trace (mutation, expected labels, accounting) is carried over.
 * Cases with the same content share one input (see SharedEvidenceInputs).
 */
export function readEvidenceCases(runDir: string, domainPath?: string, shared = new SharedEvidenceInputs()): EvidenceCase[] {
  const metadata = readMetadata(runDir);
  if (!metadata) throw new InputError(`${runDir}/metadata.json`, 1, 1, "no metadata.json here", "pass the --out directory of a `strata run`");
  if (!metadata.builtin_domain && !domainPath) {
    throw new InputError(`${runDir}/metadata.json`, 1, 1, `domain ${metadata.domain} is not built in`, "pass its folder with --domain-path");
  }
  const domainFolder = metadata.builtin_domain ? undefined : domainPath;
  const loaded = loadDomain(metadata.domain, domainFolder);
  // The traces' SQL is in the dialect the run executed (metadata.backend), not always the domain's.
  const dialect = metadata.backend.dialect;
  const domain = (dialect === "clickhouse" || dialect === "sqlite" ? retargetDomain(loaded, dialect) : null) ?? loaded;
  const analyze = memoizedAnalyzer(domain.database.dialect);
  const scope = JSON.stringify([metadata.domain, domainFolder ? resolve(domainFolder) : null, dialect]);
  return readTraces(runDir).map((trace) => {
    const { observation, canonical } = trace;
    if (!observation || !canonical) return { failure: trace.witness_class !== "clean", input: null };
    const input = shared.get(scope, observation, canonical, () => {
      const obligations = canonical.decision.obligations;
      // Lowered once here rather than in each of the many detector runs (ablations, baselines).
      const referenceLowering = obligations ? canonicalLowering(domain.policy, domain.database, observation.proposed_plan, obligations) : undefined;
      return { policy: domain.policy, db: domain.database, observation, canonical, analyze, referenceLowering };
    });
    return { failure: trace.witness_class !== "clean", input };
  });
}

/** All cases of several run directories, in the order given. */
export function readEvidenceRuns(runDirs: readonly string[], domainPath?: string): EvidenceCase[] {
  const shared = new SharedEvidenceInputs();
  return runDirs.flatMap((dir) => readEvidenceCases(dir, domainPath, shared));
}

export function writeOutput(file: string, text: string): void {
  writeFileSync(file, text);
}

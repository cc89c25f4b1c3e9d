import type { Domain } from "../core/domain/domain.ts";
import type { RunFreeze } from "../core/model/benchmark-manifest.ts";
import { type LoadedSuite, loadSuite } from "../suites/load-suite.ts";
import { loadDomain } from "../suites/load-domain.ts";
import type { Backend } from "./open-engine.ts";

/** Everything needed to rebuild a run's cases anywhere (a worker, a shard machine): plain data. */
export interface RunSpec {
  domain: string;
  domainPath?: string;
  suite: string;
  count?: number;
  seed?: number;
  backend?: Backend;
  minimize: boolean;
  reuse: boolean;
  /** Set when the cases were verified against a benchmark manifest; recorded in metadata.json. */
  freeze?: RunFreeze;
}

export interface PreparedRun {
  spec: RunSpec;
  domain: Domain & { dir: string; builtin: boolean };
  suite: LoadedSuite;
}

/** Loads and checks domain and suite; bad input fails here, before anything is written. */
export function prepareRun(spec: RunSpec): PreparedRun {
  const domain = loadDomain(spec.domain, spec.domainPath);
  const suite = loadSuite(domain, spec.suite, spec.count, spec.seed);
  return { spec, domain: { ...domain, builtin: spec.domainPath === undefined }, suite };
}

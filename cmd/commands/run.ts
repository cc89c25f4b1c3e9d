import type { Summary } from "../../core/model/summary.ts";
import type { Trace } from "../../core/model/trace.ts";
import { loadDomain } from "../../suites/load-domain.ts";
import { loadSuite } from "../../suites/load-suite.ts";
import { BACKENDS, type Backend } from "../../workers/open-engine.ts";
import { ArtifactWriter } from "../../workers/reporters/artifacts.ts";
import { progressReporter } from "../../workers/reporters/progress.ts";
import { runSuite } from "../../workers/run-suite.ts";
import { parseInteger, UsageError } from "../errors.ts";

export interface RunFlags {
  domain: string;
  suite: string;
  out: string;
  domainPath?: string;
  count?: unknown;
  seed?: unknown;
  backend?: string;
  minimize?: boolean;
  reuse?: boolean;
  quiet?: boolean;
}

/** Loads everything first (bad input fails before anything is written), then runs and writes. */
export async function executeRun(flags: RunFlags, onTrace?: (trace: Trace) => void): Promise<{ summary: Summary; out: string }> {
  if (!flags.out) throw new UsageError("--out is required", "e.g. --out runs/example");
  if (flags.backend !== undefined && !(BACKENDS as readonly string[]).includes(flags.backend)) {
    throw new UsageError(`unknown backend: ${flags.backend}`, `use one of ${BACKENDS.join(", ")}`);
  }
  const count = parseInteger("count", flags.count);
  const seed = parseInteger("seed", flags.seed);
  const domain = loadDomain(flags.domain, flags.domainPath);
  const suite = loadSuite(domain, flags.suite, count, seed);
  const writer = new ArtifactWriter(flags.out);
  const progress = progressReporter(process.stderr, flags.quiet ?? false);
  const summary = await runSuite({
    domain: { ...domain, builtin: flags.domainPath === undefined },
    suite,
    backend: flags.backend as Backend | undefined,
    minimize: flags.minimize ?? true,
    reuse: flags.reuse ?? true,
    onEvent: (event) => {
      writer.handle(event);
      progress(event);
      if (event.type === "case_finished") onTrace?.(event.trace);
    },
  });
  return { summary, out: writer.dir };
}

import { homedir } from "node:os";
import { join } from "node:path";
import type { RunEvent } from "../../core/model/events.ts";
import type { Summary } from "../../core/model/summary.ts";
import { parseShard } from "../../core/shards/assign.ts";
import { prepareFrozenRun, writeManifestCopy } from "../../freeze/manifest.ts";
import { defaultWorkers } from "../../workers/executors.ts";
import { executeRun as execute } from "../../workers/execute-run.ts";
import { maskUrl } from "../../workers/engines/postgres.ts";
import { BACKENDS, backendFromFlag, checkBackend } from "../../workers/open-engine.ts";
import { parseInteger, UsageError } from "../errors.ts";

export interface RunFlags {
  /** Default support_saas, or the manifest's with --freeze-manifest. */
  domain?: string;
  /** Default seeded, or the manifest's with --freeze-manifest. */
  suite?: string;
  out: string;
  domainPath?: string;
  count?: unknown;
  seed?: unknown;
  backend?: string;
  minimize?: boolean;
  reuse?: boolean;
  workers?: unknown;
  shard?: unknown;
  timings?: string;
  resume?: boolean;
  quiet?: boolean;
  /** A benchmark manifest to verify first; the run then uses its domain, suite, count and seed. */
  freezeManifest?: string;
  /** Case-result cache: a file, or true for the default under ~/.cache/strata. */
  cache?: string | boolean;
}

/** The case-result cache file a `--cache [file]` flag names (the default under ~/.cache/strata), if any. */
export function cacheFile(flag: string | boolean | undefined): string | undefined {
  if (flag === undefined || flag === false) return undefined;
  if (typeof flag === "string" && flag !== "") return flag;
  const base = process.env.STRATA_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "strata");
  return join(base, "cases.sqlite");
}

/** Flags to a run: validated here, executed in workers/. */
export async function executeRun(
  flags: RunFlags,
  onEvent?: (event: RunEvent) => void,
): Promise<{ summary: Summary; out: string; benchmark_manifest_id?: string; cache?: { hits: number; misses: number } }> {
  if (!flags.out) throw new UsageError("--out is required", "e.g. --out runs/example");
  const backend = flags.backend === undefined ? undefined : backendFromFlag(flags.backend);
  if (backend === null) {
    throw new UsageError(`unknown backend: ${maskUrl(flags.backend!)}`, `use one of ${BACKENDS.join(", ")}, or a server URL postgres://user@host:port/db or clickhouse://user@host:8123/db`);
  }
  await checkBackend(backend);
  const workers = parseInteger("workers", flags.workers) ?? defaultWorkers();
  if (workers < 1) throw new UsageError("--workers must be at least 1", "e.g. --workers 2");
  const shard = flags.shard === undefined ? undefined : parseShard(String(flags.shard));
  if (shard === null) throw new UsageError(`--shard must look like i/N with 1 <= i <= N, got ${String(flags.shard)}`, "e.g. --shard 2/3");
  const count = parseInteger("count", flags.count);
  const seed = parseInteger("seed", flags.seed);
  // A frozen run is verified before anything is written, and runs exactly the manifest's cases.
  const frozen =
    flags.freezeManifest === undefined
      ? null
      : prepareFrozenRun(flags.freezeManifest, { domain: flags.domain, domainPath: flags.domainPath, suite: flags.suite, count, seed });
  const target = frozen?.target ?? { domain: flags.domain ?? "support_saas", suite: flags.suite ?? "seeded", count, seed };
  const result = await execute(
    {
      domain: target.domain,
      domainPath: flags.domainPath,
      suite: target.suite,
      count: target.count,
      seed: target.seed,
      backend,
      minimize: flags.minimize ?? true,
      reuse: flags.reuse ?? true,
      ...(frozen ? { freeze: frozen.freeze } : {}),
    },
    {
      out: flags.out,
      workers,
      shard,
      timings: flags.timings,
      resume: flags.resume ?? false,
      quiet: flags.quiet ?? false,
      cache: cacheFile(flags.cache),
      onEvent: (event) => {
        if (frozen && event.type === "run_started") writeManifestCopy(flags.out, frozen.manifestText);
        onEvent?.(event);
      },
    },
  );
  return frozen ? { ...result, benchmark_manifest_id: frozen.freeze.benchmark_manifest_id } : result;
}

import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import initdbWasm from "@electric-sql/pglite/initdb.wasm" with { type: "file" };
import pgliteData from "@electric-sql/pglite/pglite.data" with { type: "file" };
import pgliteWasm from "@electric-sql/pglite/pglite.wasm" with { type: "file" };
import ourPackage from "../../package.json" with { type: "json" };

/**
 * A freshly initialized PGlite cluster, dumped once and restored afterwards: initdb takes
 * seconds, a restore a few hundred milliseconds. Keyed by PGlite's version; written atomically
 * so concurrent processes never read half a file.
 */
function cacheDir(): string {
  const base = process.env.STRATA_CACHE_DIR ?? (process.env.XDG_CACHE_HOME ? join(process.env.XDG_CACHE_HOME, "strata") : join(homedir() || tmpdir(), ".cache", "strata"));
  mkdirSync(base, { recursive: true });
  return base;
}

let embedded: Promise<PGliteOptions> | undefined;

/**
 * PGlite finds its WASM and file-system bundle next to its own module, which a compiled binary
 * (scripts/build-binary.ts) does not have on disk: there they are embedded files, handed over
 * as options. Compiled once per process.
 */
function embeddedAssets(): Promise<PGliteOptions> {
  if (!Bun.isStandaloneExecutable) return Promise.resolve({});
  embedded ??= (async () => {
    const [pgliteWasmModule, initdbWasmModule] = await Promise.all(
      [pgliteWasm, initdbWasm].map(async (file) => WebAssembly.compile(await Bun.file(file).arrayBuffer())),
    );
    return { pgliteWasmModule, initdbWasmModule, fsBundle: new Blob([await Bun.file(pgliteData).arrayBuffer()]) };
  })();
  return embedded;
}

let shared: Promise<WebAssembly.Module> | undefined;
let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * PGlite's compiled module, compiled once per thread: handed to pool workers so each does not
 * compile its own, and used by this thread's engines too when it runs a lane (MixedLanes).
 */
export function compiledPglite(): Promise<WebAssembly.Module> {
  compiled ??= (async () => {
    const assets = await embeddedAssets();
    return assets.pgliteWasmModule ?? WebAssembly.compile(await Bun.file(pgliteWasm).arrayBuffer());
  })();
  // A failure is not kept: the next caller tries again.
  compiled.catch(() => {
    compiled = undefined;
  });
  return compiled;
}

/**
 * The compiled module every engine of this thread uses: the main thread's, handed over, or this
 * thread's own, compiled now, in the background, so that it is ready by the time an engine opens.
 */
export function usePgliteModule(module: WebAssembly.Module | "compile-here"): void {
  shared = module === "compile-here" ? compiledPglite() : Promise.resolve(module);
  // An engine that opens awaits it and reports a failure; until then it is not unhandled.
  shared.catch(() => {});
}

/**
 * What every start restores is kept small: 1 MB WAL segments instead of 16 MB, and no database but
 * the one PGlite connects to (postgres). The snapshot went from 40 MB to 16 MB, and a start (with
 * the small buffer pool of pglite.ts) from about 39,000 page faults and 260 ms to 22,000 and
 * 175 ms. The layout is part of the file name, so a snapshot of another layout is never restored.
 */
const SNAPSHOT_LAYOUT = "wal1m-postgres-only";
const INITDB_PARAMS = ["--wal-segsize=1"];

async function trimCluster(pg: PGlite): Promise<void> {
  // One statement per call: DROP DATABASE refuses to run inside the implicit transaction of a batch.
  for (const sql of ["update pg_database set datistemplate = false where datname in ('template0', 'template1')", "drop database template0", "drop database template1", "checkpoint"]) {
    await pg.exec(sql);
  }
}

export async function createPglite(given: PGliteOptions): Promise<PGlite> {
  const options = { ...(await embeddedAssets()), ...(shared ? { pgliteWasmModule: await shared } : {}), ...given };
  if (process.env.STRATA_NO_SNAPSHOT === "1") return PGlite.create(options);
  let file: string;
  try {
    file = join(cacheDir(), `pglite-${ourPackage.dependencies["@electric-sql/pglite"]}-${SNAPSHOT_LAYOUT}.tar`);
  } catch {
    return PGlite.create(options);
  }
  if (existsSync(file)) {
    try {
      // The file itself as the blob: PGlite reads it once, where a Blob over readFileSync's buffer
      // copied 16 MB more on the thread that is starting (20 to 70 ms of a PGlite start).
      return await PGlite.create({ ...options, loadDataDir: Bun.file(file) });
    } catch {
      // A corrupt or foreign snapshot: fall through and rebuild it.
    }
  }
  const fresh = await PGlite.create({ ...options, initDbStartParams: INITDB_PARAMS });
  try {
    await trimCluster(fresh);
    const blob = await fresh.dumpDataDir("none");
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, new Uint8Array(await blob.arrayBuffer()));
    renameSync(partial, file);
  } catch {
    // The cache is an optimization; a read-only home must not fail the run.
  }
  return fresh;
}

import { expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compiledPglite, createPglite } from "./pglite-snapshot.ts";

const layout = async (pg: Awaited<ReturnType<typeof createPglite>>) => ({
  databases: (await pg.query<{ datname: string }>("select datname from pg_database order by 1")).rows.map((r) => r.datname),
  wal: (await pg.query<{ w: string }>("select current_setting('wal_segment_size') as w")).rows[0]!.w,
  works: (await pg.exec("create table t as select 1 as n; select n from t")).at(-1)!.rows,
});

test("the snapshot a start restores keeps only the postgres database and 1 MB WAL segments, before and after it is written", async () => {
  const dir = mkdtempSync(join(tmpdir(), "strata-snapshot-"));
  const before = process.env.STRATA_CACHE_DIR;
  process.env.STRATA_CACHE_DIR = dir;
  try {
    // The first start runs initdb and writes the snapshot; the second restores it.
    for (const start of ["initdb", "restore"]) {
      const pg = await createPglite({});
      try {
        expect({ start, ...(await layout(pg)) }).toEqual({ start, databases: ["postgres"], wal: "1MB", works: [{ n: 1 }] });
      } finally {
        await pg.close();
      }
      const files = readdirSync(dir).filter((f) => f.endsWith(".tar"));
      expect(files).toHaveLength(1);
      expect(statSync(join(dir, files[0]!)).size).toBeLessThan(24 * 1024 * 1024);
    }
  } finally {
    if (before === undefined) delete process.env.STRATA_CACHE_DIR;
    else process.env.STRATA_CACHE_DIR = before;
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

test("PGlite's WebAssembly is compiled once per thread, whoever asks (this thread's lane and the pool's workers)", async () => {
  const first = compiledPglite();
  expect(compiledPglite()).toBe(first);
  const module = await first;
  expect(module).toBeInstanceOf(WebAssembly.Module);
  expect(await compiledPglite()).toBe(module);
}, 60_000);

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { REFERENCE_STACK } from "../../core/stack/variant.ts";
import { loadDomain } from "../../suites/load-domain.ts";
import { domainForBackend } from "../open-engine.ts";
import { CachedEngine, stateKey } from "./cached-engine.ts";
import type { Engine, RowRef, Session } from "./engine.ts";
import { SqliteEngine } from "./sqlite.ts";

/** A real engine that counts what reaches it, and can be told to fail. */
class Counting implements Engine {
  readonly name = "counting";
  readonly dialect = "sqlite" as const;
  queries = 0;
  entered = 0;
  failNextQuery = false;
  failNextEnter = false;
  constructor(private readonly inner: Engine) {}
  query(...args: Parameters<Engine["query"]>) {
    this.queries++;
    if (this.failNextQuery) {
      this.failNextQuery = false;
      return Promise.reject(new Error("connection dropped"));
    }
    return this.inner.query(...args);
  }
  probe(...args: Parameters<Engine["probe"]>) {
    return this.inner.probe(...args);
  }
  rows() {
    return this.inner.rows();
  }
  withRows<T>(keep: RowRef[], variants: Parameters<Engine["withRows"]>[1], fn: () => Promise<T>) {
    this.entered++;
    if (this.failNextEnter) {
      this.failNextEnter = false;
      return Promise.reject(new Error("could not reduce the state"));
    }
    return this.inner.withRows(keep, variants, fn);
  }
  close() {
    return this.inner.close();
  }
}

const REF = REFERENCE_STACK.database;
const acme: Session = { role: "analyst", tenantIds: ["acme"] };
const COUNT_ACCOUNTS = "select count(*) as n from accounts";
let counting: Counting;
let cached: CachedEngine;

beforeAll(async () => {
  const domain = domainForBackend(loadDomain("support_saas"), "sqlite");
  counting = new Counting(await SqliteEngine.open(domain.policy, domain.database, domain.sql));
  cached = new CachedEngine(counting);
});
afterAll(() => cached.close());

const count = async (session: Session | null) => {
  const r = await cached.query(REF, session, COUNT_ACCOUNTS);
  if (r.kind !== "rows") throw new Error(r.error);
  return r.rows[0]!.n;
};

describe("CachedEngine", () => {
  test("the state key does not depend on the order rows are given in", () => {
    const a = { table: "accounts", key: "acct-01" };
    const b = { table: "tenants", key: "acme" };
    expect(stateKey([a, b])).toBe(stateKey([b, a]));
    expect(stateKey([a])).not.toBe(stateKey([b]));
  });

  test("a revisited reduced state answers from memory without being materialized again", async () => {
    const keep = (await cached.rows()).filter((r) => r.table === "accounts").slice(0, 2);
    const before = { queries: counting.queries, entered: counting.entered };
    expect(await cached.withRows(keep, [REF], () => count(null))).toBe(2);
    expect(counting.entered - before.entered).toBe(1);
    // Same rows, given in the other order: no query, no reduction in the inner engine.
    expect(await cached.withRows([...keep].reverse(), [REF], () => count(null))).toBe(2);
    expect(counting.entered - before.entered).toBe(1);
    expect(counting.queries - before.queries).toBe(1);
    // The full state is untouched and cached apart.
    expect(await count(null)).toBeGreaterThan(2);
  });

  test("a reduced state whose results are all known is never entered", async () => {
    const keep = (await cached.rows()).filter((r) => r.table === "accounts").slice(0, 3);
    const first = await cached.withRows(keep, [REF], () => count(acme));
    const entered = counting.entered;
    expect(await cached.withRows(keep, [REF], () => count(acme))).toBe(first);
    expect(counting.entered).toBe(entered);
  });

  test("a failed query is not remembered: the retry executes", async () => {
    const keep = (await cached.rows()).filter((r) => r.table === "accounts").slice(0, 4);
    counting.failNextQuery = true;
    await expect(cached.withRows(keep, [REF], () => count(null))).rejects.toThrow("connection dropped");
    expect(await cached.withRows(keep, [REF], () => count(null))).toBe(4);
  });

  test("a state that cannot be entered fails the reduction with the engine's error", async () => {
    const keep = (await cached.rows()).filter((r) => r.table === "accounts").slice(0, 1);
    counting.failNextEnter = true;
    await expect(cached.withRows(keep, [REF], () => count(null))).rejects.toThrow("could not reduce the state");
    expect(await cached.withRows(keep, [REF], () => count(null))).toBe(1);
    await expect(cached.withRows(keep, [REF], () => cached.withRows(keep, [REF], () => count(null)))).rejects.toThrow("does not nest");
  });

  test("forget drops every state's results", async () => {
    const keep = (await cached.rows()).filter((r) => r.table === "accounts").slice(0, 2);
    await cached.withRows(keep, [REF], () => count(null));
    cached.forget();
    const queries = counting.queries;
    await cached.withRows(keep, [REF], () => count(null));
    expect(counting.queries).toBe(queries + 1);
  });
});

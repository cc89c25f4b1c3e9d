import type { ContainmentProbe, QueryResult } from "../../core/model/observation.ts";
import type { DatabaseKnobs } from "../../core/stack/variant.ts";
import { type Engine, type RowRef, type Session, variantKey } from "./engine.ts";

/** Reduced states whose results are kept; older ones are dropped first. */
const REDUCED_STATES = 512;

type Results = Map<string, Promise<unknown>>;

interface ReducedState {
  keep: RowRef[];
  variants: DatabaseKnobs[];
  results: Results;
  /** Set once a missing result made the inner engine hold this state. */
  entry: { entered: Promise<void>; release: () => void; done: Promise<unknown> } | null;
}

/** The rows a state holds, whatever order withRows was given them in. */
export function stateKey(keep: RowRef[]): string {
  return keep
    .map((r) => `${r.table}\u0000${r.key}`)
    .sort()
    .join("\u0001");
}

/**
 * Memoizes query results and probes per state of the database: the full state, or the rows that
 * withRows keeps. Every variant holds the same rows, so unrestricted queries share one entry
 * whatever the variant. A result is a function of (state, variant, session, SQL), and witness
 * reductions revisit states all the time (each reduction of a principal starts from the same table
 * subsets, and their probes do not depend on the plan), so a reduced state is only materialized in
 * the inner engine when one of its results is missing.
 */
export class CachedEngine implements Engine {
  readonly name: string;
  readonly dialect: Engine["dialect"];
  private full: Results = new Map();
  private reduced = new Map<string, Results>();
  private current: ReducedState | null = null;

  constructor(private readonly inner: Engine) {
    this.name = inner.name;
    this.dialect = inner.dialect;
  }

  private remember<T>(key: string, make: () => Promise<T>): Promise<T> {
    const state = this.current;
    const results = state ? state.results : this.full;
    let value = results.get(key) as Promise<T> | undefined;
    if (!value) {
      const made = state ? this.enter(state).then(make) : make();
      value = made;
      results.set(key, made);
      // A failure (a dropped connection) is not a result: a retry must execute again.
      made.catch(() => {
        if (results.get(key) === made) results.delete(key);
      });
    }
    return value;
  }

  /** Has the inner engine hold `state` until withRows leaves it (the inner API is a callback). */
  private enter(state: ReducedState): Promise<void> {
    if (!state.entry) {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let ready!: () => void;
      const entered = new Promise<void>((resolve) => (ready = resolve));
      const done = this.inner.withRows(state.keep, state.variants, () => {
        ready();
        return held;
      });
      // If entering fails, `done` rejects before `entered` resolves, and that error is the answer.
      state.entry = { entered: Promise.race([entered, done.then(() => undefined)]), release, done };
    }
    return state.entry.entered;
  }

  query(variant: DatabaseKnobs, session: Session | null, sql: string): Promise<QueryResult> {
    const scope = session ? `${variantKey(variant)}|${session.role}|${session.tenantIds.join(",")}` : "unrestricted";
    return this.remember(`q|${scope}|${sql}`, () => this.inner.query(variant, session, sql));
  }

  probe(variant: DatabaseKnobs, session: Session): Promise<ContainmentProbe> {
    return this.remember(`p|${variantKey(variant)}|${session.role}|${session.tenantIds.join(",")}`, () => this.inner.probe(variant, session));
  }

  rows(): Promise<RowRef[]> {
    return this.remember("rows", () => this.inner.rows());
  }

  private resultsOf(keep: RowRef[]): Results {
    const key = stateKey(keep);
    let results = this.reduced.get(key);
    if (results) {
      this.reduced.delete(key);
    } else {
      results = new Map();
      if (this.reduced.size >= REDUCED_STATES) this.reduced.delete(this.reduced.keys().next().value!);
    }
    this.reduced.set(key, results);
    return results;
  }

  async withRows<T>(keep: RowRef[], variants: DatabaseKnobs[], fn: () => Promise<T>): Promise<T> {
    if (this.current) throw new Error("withRows does not nest");
    const state: ReducedState = { keep, variants, results: this.resultsOf(keep), entry: null };
    this.current = state;
    try {
      return await fn();
    } finally {
      this.current = null;
      if (state.entry) {
        state.entry.release();
        await state.entry.done;
      }
    }
  }

  forget(): void {
    this.full = new Map();
    this.reduced = new Map();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

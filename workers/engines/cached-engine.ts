import type { ContainmentProbe, QueryResult } from "../../core/model/observation.ts";
import type { DatabaseKnobs } from "../../core/stack/variant.ts";
import { type Engine, type RowRef, type Session, variantKey } from "./engine.ts";

/**
 * Memoizes query results and probes while the state is unchanged. Every variant holds the same
 * rows, so unrestricted queries share one entry whatever the variant. A change of state
 * (withRows entering or leaving) starts a new generation.
 */
export class CachedEngine implements Engine {
  readonly name: string;
  readonly dialect: Engine["dialect"];
  private cache = new Map<string, Promise<unknown>>();

  constructor(private readonly inner: Engine) {
    this.name = inner.name;
    this.dialect = inner.dialect;
  }

  private remember<T>(key: string, make: () => Promise<T>): Promise<T> {
    let value = this.cache.get(key) as Promise<T> | undefined;
    if (!value) {
      value = make();
      this.cache.set(key, value);
    }
    return value;
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

  async withRows<T>(keep: RowRef[], variants: DatabaseKnobs[], fn: () => Promise<T>): Promise<T> {
    const outer = this.cache;
    this.cache = new Map();
    try {
      return await this.inner.withRows(keep, variants, fn);
    } finally {
      this.cache = outer;
    }
  }

  forget(): void {
    this.cache = new Map();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

import type { DomainDatabase } from "../../core/model/database.ts";
import type { ContainmentProbe } from "../../core/model/observation.ts";
import type { QueryResult } from "../../core/observe/rows.ts";
import type { DatabaseKnobs } from "../../core/stack/variant.ts";

/** A principal's database session: its policy role and the tenant ids bound to it. */
export interface Session {
  role: string;
  tenantIds: string[];
}

/** One row of the seeded state, identified by table and primary key. */
export interface RowRef {
  table: string;
  key: string;
}

/**
 * An embedded or remote database holding one domain's state, with one containment
 * configuration installed per database variant. Every query is read-only.
 */
export interface Engine {
  readonly name: string;
  readonly dialect: DomainDatabase["dialect"];
  /** `session` null: the unrestricted state (what the SQL returns before containment). */
  query(variant: DatabaseKnobs, session: Session | null, sql: string): Promise<QueryResult>;
  probe(variant: DatabaseKnobs, session: Session): Promise<ContainmentProbe>;
  rows(): Promise<RowRef[]>;
  /**
   * Runs `fn` with only `keep` present in the state of the given database variants; everything is
   * restored afterwards. `fn` may query only those variants.
   */
  withRows<T>(keep: RowRef[], variants: DatabaseKnobs[], fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Drops any results remembered so far (the next queries execute again). */
  forget?(): void;
}

export function variantKey(knobs: DatabaseKnobs): string {
  return JSON.stringify(Object.keys(knobs).sort().map((k) => [k, knobs[k as keyof DatabaseKnobs]]));
}

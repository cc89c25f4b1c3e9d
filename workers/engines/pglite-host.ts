import type { PGlite, PGliteOptions } from "@electric-sql/pglite";
import { createPglite } from "./pglite-snapshot.ts";

/**
 * One PGlite instance shared by the engines a thread opens for different domains (a lane of
 * `strata reproduce` serves support and finance). Booting an instance costs about a quarter of a
 * second and holds 100 MB or more. Each engine names what it creates with its own prefix; the
 * first keeps the plain `strata` names. Sharing is safe only where engines never interleave: a
 * lane runs one case at a time, and a case uses one engine. The instance lives until close().
 */
export class PgliteHost {
  private instance: Promise<PGlite> | null = null;
  private engines = 0;
  /** The engine whose witness reduction left a transaction open on the instance, and how it closes it. */
  private holder: { engine: object; settle: () => Promise<void> } | null = null;
  private retired = false;

  constructor(private readonly options: PGliteOptions) {}

  /** The shared instance, booted on first use, and a name prefix no other engine of it uses. */
  async acquire(): Promise<{ pg: PGlite; prefix: string }> {
    if (this.retired) throw new Error("internal: an engine asked for a PGlite instance that is closing");
    // A new engine creates roles: outside any transaction another engine left open.
    await this.release();
    this.instance ??= createPglite(this.options);
    const prefix = this.engines === 0 ? "strata" : `strata_e${this.engines}`;
    this.engines++;
    try {
      return { pg: await this.instance, prefix };
    } catch (error) {
      // A boot that failed is tried again by the next engine.
      this.instance = null;
      throw error;
    }
  }

  /** `engine` leaves a transaction open between states; whoever uses the instance next closes it first. */
  hold(engine: object, settle: () => Promise<void>): void {
    this.holder = { engine, settle };
  }

  /** `engine` closed its own transaction. */
  drop(engine: object): void {
    if (this.holder?.engine === engine) this.holder = null;
  }

  /** Closes a transaction another engine left open, before `engine` (or a new engine) uses the instance. */
  async release(engine?: object): Promise<void> {
    const holder = this.holder;
    if (!holder || holder.engine === engine) return;
    this.holder = null;
    await holder.settle();
  }

  /**
   * The instance closes next, with every engine on it: an engine closing after this leaves its
   * schemas, statements and roles to go with the instance. Dropping them one by one cost the end of
   * a reproduction about 70 ms of this thread.
   */
  retire(): void {
    this.retired = true;
  }

  /** Whether the instance is about to close (see retire). */
  get retiring(): boolean {
    return this.retired;
  }

  async close(): Promise<void> {
    this.retired = true;
    await this.release();
    const instance = this.instance;
    this.instance = null;
    await (await instance?.catch(() => null))?.close();
  }
}

import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { RunEvent } from "../../core/model/events.ts";
import type { RunMetadata } from "../../core/model/metadata.ts";
import { SafeIdentifier } from "../../core/model/identifiers.ts";
import { canonicalJson, prettyJson } from "../../core/util/canonical-json.ts";
import type { Trace } from "../../core/model/trace.ts";
import { KEPT_TRACE_BYTES, rememberTraces, rememberWitness } from "../run-directory.ts";
import { asParsed, traceJson } from "../trace-json.ts";
import { prettyJsonSharing } from "../shared-members-json.ts";

const FLUSH_BYTES = 1 << 18;

/**
 * Writes a run directory from the event stream: traces.jsonl (canonical JSON, no timings),
 * witnesses/<id>.json, timings.jsonl, summary.json and metadata.json.
 */
export class ArtifactWriter {
  private traces: string[] = [];
  /**
   * Every trace written, when the run's traces are to be remembered (see rememberTraces); dropped
   * once the file outgrows what that memo keeps, so a long run does not hold all its traces.
   */
  private written: Trace[] | null;
  private writtenBytes = 0;
  private readonly rememberUpTo: number;
  /** Witnesses written are remembered too (see rememberWitness), with the traces. */
  private readonly rememberWitnesses: boolean;
  private timings: string[] = [];
  private buffered = 0;
  private metadata: RunMetadata | null = null;
  readonly dir: string;

  constructor(out: string, options: { rememberTraces?: boolean; rememberUpToBytes?: number } = {}) {
    this.dir = resolve(out);
    this.written = options.rememberTraces ? [] : null;
    this.rememberUpTo = options.rememberUpToBytes ?? KEPT_TRACE_BYTES;
    this.rememberWitnesses = options.rememberTraces ?? false;
  }

  private flush() {
    if (this.traces.length > 0) appendFileSync(join(this.dir, "traces.jsonl"), this.traces.join(""));
    if (this.timings.length > 0) appendFileSync(join(this.dir, "timings.jsonl"), this.timings.join(""));
    this.traces = [];
    this.timings = [];
    this.buffered = 0;
  }

  handle = (event: RunEvent): void => {
    switch (event.type) {
      case "run_started":
        mkdirSync(join(this.dir, "witnesses"), { recursive: true });
        writeFileSync(join(this.dir, "traces.jsonl"), "");
        writeFileSync(join(this.dir, "timings.jsonl"), "");
        this.metadata = event.metadata;
        return;
      case "case_finished": {
        const line = `${traceJson(event.trace)}\n`;
        this.traces.push(line);
        this.writtenBytes += line.length;
        if (this.writtenBytes > this.rememberUpTo) this.written = null;
        this.written?.push(asParsed(event.trace));
        const timing = { task_id: event.trace.task_id, elapsed_ms: Math.round(event.elapsed_ms * 1000) / 1000 };
        this.timings.push(`${canonicalJson(event.cached ? { ...timing, cached: true } : timing)}\n`);
        this.buffered += line.length;
        if (event.witness) {
          const id = SafeIdentifier.parse(event.witness.task_id);
          const file = join(this.dir, "witnesses", `${id}.json`);
          writeFileSync(file, prettyJsonSharing(event.witness));
          if (this.rememberWitnesses) rememberWitness(file, event.witness);
        }
        if (this.buffered > FLUSH_BYTES) this.flush();
        return;
      }
      case "run_finished":
        this.flush();
        if (this.written) rememberTraces(this.dir, this.written);
        writeFileSync(join(this.dir, "summary.json"), prettyJson(event.summary));
        writeFileSync(join(this.dir, "metadata.json"), prettyJson(this.metadata));
        return;
    }
  };
}

import type { Trace } from "../core/model/trace.ts";
import { canonicalJsonSharing } from "./shared-members-json.ts";

/**
 * A trace's canonical JSON, computed once per trace object. The run store, traces.jsonl, the
 * cache and shard blobs all write the same bytes, and a trace that arrived as JSON from a pool
 * worker (a string crosses threads several times faster than the object) is never re-serialized.
 * Traces are not mutated once finished, so the memo cannot go stale; cases that share an
 * evaluation share its members' text too (workers/shared-members-json.ts).
 */
const serialized = new WeakMap<Trace, string>();

export function traceJson(trace: Trace): string {
  let json = serialized.get(trace);
  if (json === undefined) {
    json = canonicalJsonSharing(trace);
    serialized.set(trace, json);
  }
  return json;
}

/** Traces that are exactly JSON.parse of their canonical text (no undefined members, nothing else). */
const parsed = new WeakSet<Trace>();

/** Parses canonical trace JSON and remembers the text it came from. */
export function parseTrace(json: string): Trace {
  const trace = JSON.parse(json) as Trace;
  serialized.set(trace, json);
  parsed.add(trace);
  return trace;
}

/** The trace as it reads back from its canonical JSON: itself when it came from there. */
export function asParsed(trace: Trace): Trace {
  return parsed.has(trace) ? trace : parseTrace(traceJson(trace));
}

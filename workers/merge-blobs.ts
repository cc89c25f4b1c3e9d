import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { InputError } from "../core/input/input-error.ts";
import type { RunEvent } from "../core/model/events.ts";
import { SummaryBuilder } from "../core/report/summarize.ts";
import { BlobCase, BlobHeader } from "./reporters/shard-blob.ts";

interface Reader {
  file: string;
  header: BlobHeader;
  lines: AsyncIterator<string>;
  line: number;
  head: ReturnType<typeof BlobCase.parse> | null;
}

async function advance(r: Reader): Promise<void> {
  const next = await r.lines.next();
  r.line++;
  if (next.done || next.value.trim() === "") {
    r.head = null;
    return;
  }
  const parsed = BlobCase.safeParse(JSON.parse(next.value));
  if (!parsed.success) throw new InputError(r.file, r.line, 1, `not a case line: ${parsed.error.issues[0]?.message}`, "the blob is damaged; re-run that shard");
  r.head = parsed.data;
}

async function open(file: string): Promise<Reader> {
  if (!existsSync(file)) throw new InputError(file, 1, 1, "no such shard blob", "pass the shard-<i>-of-<N>.blob.jsonl files the shards wrote");
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY })[Symbol.asyncIterator]();
  const first = await lines.next();
  let header: BlobHeader;
  try {
    header = BlobHeader.parse(JSON.parse(first.done ? "null" : first.value));
  } catch {
    throw new InputError(file, 1, 1, "not a strata shard blob (or another version)", "merge blobs written by `strata run --shard i/N` of this strata version");
  }
  const reader: Reader = { file, header, lines, line: 1, head: null };
  await advance(reader);
  return reader;
}

/**
 * Merges shard blobs into the event stream of the whole run: the same events, in the same
 * canonical order, that a single-machine run emits. Streams: memory is flat in the case count.
 */
export async function mergeBlobs(files: string[], onEvent: (event: RunEvent) => void | Promise<void>): Promise<void> {
  const readers = await Promise.all(files.map(open));
  const first = readers[0]!;
  const total = first.header.metadata.shard?.total ?? 0;
  const seen = new Set<number>();
  for (const r of readers) {
    const shard = r.header.metadata.shard;
    if (!shard) throw new InputError(r.file, 1, 1, "this blob is not from a sharded run", "run each shard with --shard i/N");
    if (r.header.cases_digest !== first.header.cases_digest || shard.total !== total) {
      throw new InputError(r.file, 1, 1, `this blob belongs to another run than ${first.file}`, "merge the shards of one run (same domain, suite, count, seed and shard total)");
    }
    if (seen.has(shard.index)) throw new InputError(r.file, 1, 1, `shard ${shard.index}/${total} given twice`, "pass each shard once");
    seen.add(shard.index);
  }
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) throw new InputError(first.file, 1, 1, `missing shard(s) ${missing.map((i) => `${i}/${total}`).join(", ")}`, "pass every shard's blob");

  await onEvent({ type: "run_started", metadata: { ...first.header.metadata, shard: null, trace_count: first.header.case_count } });
  const summary = new SummaryBuilder();
  for (let expected = 0; expected < first.header.case_count; expected++) {
    const owner = readers.find((r) => r.head?.index === expected);
    if (!owner) throw new InputError(first.file, 1, 1, `no shard holds case ${expected}`, "a shard did not finish: resume it with --resume, then merge again");
    const event = owner.head!;
    summary.add(event.trace);
    await onEvent({ type: "case_finished", ...event });
    await advance(owner);
  }
  await onEvent({ type: "run_finished", summary: summary.build() });
}

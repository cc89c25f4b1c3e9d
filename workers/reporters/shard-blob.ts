import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { RunEvent } from "../../core/model/events.ts";
import { RunMetadata } from "../../core/model/metadata.ts";
import { canonicalJson } from "../../core/util/canonical-json.ts";
import { traceJson } from "../trace-json.ts";

export const BLOB_FORMAT = "strata.shard-blob";
export const BLOB_VERSION = 1;

/** First line of a shard blob: which run and shard the following case lines belong to. */
export const BlobHeader = z.strictObject({
  format: z.literal(BLOB_FORMAT),
  version: z.literal(BLOB_VERSION),
  /** Digest of the whole run's cases: shards of one run must agree on it. */
  cases_digest: z.string(),
  case_count: z.number(),
  metadata: RunMetadata,
});
export type BlobHeader = z.infer<typeof BlobHeader>;

export const BlobCase = RunEvent.options[1].omit({ type: true });

export function blobName(index: number, total: number): string {
  return `shard-${index}-of-${total}.blob.jsonl`;
}

/** Writes a shard's events as a versioned blob that `strata merge` turns into a whole run. */
export class ShardBlobWriter {
  readonly file: string;
  private lines: string[] = [];

  constructor(
    dir: string,
    shard: { index: number; total: number },
    private readonly casesDigest: string,
    private readonly caseCount: number,
  ) {
    this.file = join(dir, blobName(shard.index, shard.total));
  }

  handle = (event: RunEvent): void => {
    if (event.type === "run_started") {
      const header: BlobHeader = { format: BLOB_FORMAT, version: BLOB_VERSION, cases_digest: this.casesDigest, case_count: this.caseCount, metadata: event.metadata };
      writeFileSync(this.file, `${canonicalJson(header)}\n`);
    } else if (event.type === "case_finished") {
      // Canonical JSON of {[cached,] elapsed_ms, index, trace, witness}, keys in sorted order, with the trace's text reused.
      const witness = event.witness === null ? "null" : canonicalJson(event.witness);
      const cached = event.cached ? `"cached":true,` : "";
      this.lines.push(`{${cached}"elapsed_ms":${JSON.stringify(event.elapsed_ms)},"index":${JSON.stringify(event.index)},"trace":${traceJson(event.trace)},"witness":${witness}}\n`);
      if (this.lines.length >= 256) this.flush();
    } else {
      this.flush();
    }
  };

  private flush() {
    if (this.lines.length > 0) appendFileSync(this.file, this.lines.join(""));
    this.lines = [];
  }
}

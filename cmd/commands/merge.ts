import { mergeBlobs } from "../../workers/merge-blobs.ts";
import { ArtifactWriter } from "../../workers/reporters/artifacts.ts";
import { UsageError } from "../errors.ts";

/** Shard blobs to the artifacts a single-machine run of the same suite writes. */
export async function merge(blobs: string[], out: string | undefined): Promise<string> {
  if (!out) throw new UsageError("--out is required", "e.g. strata merge shard-*.blob.jsonl --out runs/merged");
  if (blobs.length === 0) throw new UsageError("no shard blobs given", "pass the shard-<i>-of-<N>.blob.jsonl files");
  const writer = new ArtifactWriter(out);
  await mergeBlobs(blobs, writer.handle);
  return writer.dir;
}

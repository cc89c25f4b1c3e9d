import { z } from "zod";

/**
 * A record whose lookups see only its own keys. Names in plans come from a model; with a plain
 * object, `metrics["constructor"]` would find Object.prototype's. The parsed value has a null
 * prototype, so every `record[name]` in the code base is safe.
 */
export function ownRecord<K extends z.core.$ZodRecordKey, V extends z.ZodType>(key: K, value: V) {
  return z.record(key, value).transform((record) => Object.assign(Object.create(null), record) as typeof record);
}

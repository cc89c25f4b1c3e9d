import { canonicalJson, prettyJson } from "../core/util/canonical-json.ts";

/**
 * Canonical JSON of records whose members are shared with other records: cases with the same
 * stack, principal and plan share one evaluation (workers/evaluate.ts), so their traces hold the
 * same observation, canonical view and violations objects, and their witnesses the same reduced
 * state and decisions. Each member object is serialized once and its text reused. The bytes are
 * exactly canonicalJson's and prettyJson's.
 *
 * Sound only for objects that no longer change once serialized: finished traces and witnesses.
 */
const compactTexts = new WeakMap<object, string>();
const prettyTexts = new WeakMap<object, string>();

function memberText(value: unknown, texts: WeakMap<object, string>, serialize: (value: unknown) => string): string {
  if (value === null || typeof value !== "object") return serialize(value);
  let text = texts.get(value);
  if (text === undefined) {
    text = serialize(value);
    texts.set(value, text);
  }
  return text;
}

/** The keys canonicalJson writes of a record, in its order: sorted, without those JSON drops. */
function definedKeys(record: object): string[] {
  return Object.keys(record)
    .sort()
    .filter((key) => {
      const value = (record as Record<string, unknown>)[key];
      return value !== undefined && typeof value !== "function" && typeof value !== "symbol";
    });
}

/** canonicalJson(record), reusing the text of member objects already serialized. */
export function canonicalJsonSharing(record: object): string {
  const parts = definedKeys(record).map((key) => `${JSON.stringify(key)}:${memberText((record as Record<string, unknown>)[key], compactTexts, canonicalJson)}`);
  return `{${parts.join(",")}}`;
}

/** A member as prettyJson indents it one level down: its own pretty text, every line moved in. */
function prettyMember(value: unknown): string {
  // Line breaks inside JSON strings are escaped, so every "\n" here is the layout's.
  return prettyJson(value).slice(0, -1).replaceAll("\n", "\n  ");
}

/** prettyJson(record), reusing the text of member objects already serialized. */
export function prettyJsonSharing(record: object): string {
  const keys = definedKeys(record);
  if (keys.length === 0) return prettyJson(record);
  const parts = keys.map((key) => `  ${JSON.stringify(key)}: ${memberText((record as Record<string, unknown>)[key], prettyTexts, prettyMember)}`);
  return `{\n${parts.join(",\n")}\n}\n`;
}

import type { Row } from "../../core/observe/rows.ts";

const pad = (n: number) => String(n).padStart(2, "0");

/** Engine values to JSON scalars: dates as ISO text in UTC, big integers as numbers, decimals as numbers. */
export function normalizeValue(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isInteger(value) ? value : Number(value.toPrecision(12));
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === "boolean" || typeof value === "string") return value;
  if (value instanceof Date) {
    const d = value;
    const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    return time === "00:00:00" ? date : `${date} ${time}`;
  }
  return String(value);
}

export function normalizeRow(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const key of Object.keys(row)) out[key] = normalizeValue(row[key]);
  return out;
}

/** Postgres numeric arrives as text; keep results comparable and readable as numbers. */
export function numericText(value: unknown): unknown {
  return typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value) ? Number(Number(value).toPrecision(12)) : value;
}

import { InputError } from "../core/input/input-error.ts";
import { UsageError } from "../core/input/usage-error.ts";

export { UsageError };

export const EXIT = { ok: 0, gate: 1, usage: 2 } as const;

/** Maps any failure to the documented exit codes: 2 for bad input or usage, 1 otherwise. */
export function reportFailure(error: unknown, stderr: { write(s: string): unknown }): number {
  if (error instanceof InputError) {
    stderr.write(`strata: error: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof UsageError || (error as Error)?.name === "CACError" || error instanceof RangeError) {
    const hint = error instanceof UsageError && error.hint ? `\n  fix: ${error.hint}` : "\n  fix: see `strata --help`";
    stderr.write(`strata: error: ${(error as Error).message}${hint}\n`);
    return EXIT.usage;
  }
  stderr.write(`strata: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT.gate;
}

export function parseInteger(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${flag} must be an integer, got ${String(value)}`, `e.g. --${flag} 500`);
  return n;
}

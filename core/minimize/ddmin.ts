/**
 * Delta debugging to a 1-minimal subset: the smallest `kept` found such that `holds(kept)` and
 * dropping any single kept item breaks it. `holds(items)` must be true on entry.
 *
 * Chunks are swept rather than restarted: at each chunk size (half the items, then halving down to
 * one) every chunk of what is left is tried for removal once, in order, and a chunk that can go is
 * dropped on the spot. Single items are swept until a whole pass removes nothing, which is what
 * makes the result 1-minimal even when the property is not monotone. Witnesses need a few rows
 * spread over the state; against restarting complement-only ddmin after each removal, this ran
 * about a quarter fewer replays on the seeded suites (docs/benchmarks.md).
 */
export async function ddmin<T>(
  items: readonly T[],
  holds: (subset: T[]) => Promise<boolean>,
  options: { emptyFails?: boolean } = {},
): Promise<{ kept: T[]; tests: number }> {
  let current = [...items];
  let tests = 0;
  if (current.length === 0) return { kept: current, tests };
  // `emptyFails`: the caller already saw the empty set fail (it is not tested again).
  if (!options.emptyFails) {
    tests++;
    if (await holds([])) return { kept: [], tests };
  }
  let size = Math.ceil(current.length / 2);
  for (;;) {
    let removed = false;
    for (let start = 0; start < current.length; ) {
      const rest = [...current.slice(0, start), ...current.slice(start + size)];
      // The empty set was tried first and does not hold.
      if (rest.length > 0) {
        tests++;
        if (await holds(rest)) {
          current = rest;
          removed = true;
          continue;
        }
      }
      start += size;
    }
    if (size > 1) size = Math.floor(size / 2);
    else if (!removed) return { kept: current, tests };
  }
}

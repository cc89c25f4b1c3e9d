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
  // Positions in `items`, in order: a subset's key. The last sweep asks again about subsets it has
  // already tried (every single item after the pass's last removal); `holds` is a function of the
  // subset, so each is tested once and `tests` counts distinct subsets.
  let current = items.map((_, i) => i);
  const answers = new Map<string, boolean>();
  const test = async (subset: number[]) => {
    const key = subset.join(",");
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = await holds(subset.map((i) => items[i]!));
      answers.set(key, answer);
    }
    return answer;
  };
  const result = () => ({ kept: current.map((i) => items[i]!), tests: answers.size });
  if (current.length === 0) return result();
  // `emptyFails`: the caller already saw the empty set fail (it is not tested again).
  if (!options.emptyFails && (await test([]))) {
    current = [];
    return result();
  }
  let size = Math.ceil(current.length / 2);
  for (;;) {
    let removed = false;
    for (let start = 0; start < current.length; ) {
      const rest = [...current.slice(0, start), ...current.slice(start + size)];
      // The empty set was tried first and does not hold.
      if (rest.length > 0 && (await test(rest))) {
        current = rest;
        removed = true;
        continue;
      }
      start += size;
    }
    if (size > 1) size = Math.floor(size / 2);
    else if (!removed) return result();
  }
}

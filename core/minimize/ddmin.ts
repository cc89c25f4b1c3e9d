/**
 * Delta debugging to a 1-minimal subset: the smallest `kept` such that `holds(kept)` and dropping
 * any single kept item breaks it. `holds(items)` must be true on entry.
 *
 * Only complements are tested (drop a chunk, keep the rest), as in Zeller's ddmin reduce-to-
 * complement step: the witnesses here usually need a few rows spread across the state, where
 * testing lone chunks first rarely succeeds and doubles the work.
 */
export async function ddmin<T>(items: readonly T[], holds: (subset: T[]) => Promise<boolean>): Promise<{ kept: T[]; tests: number }> {
  let current = [...items];
  let tests = 0;
  if (current.length > 0) {
    tests++;
    if (await holds([])) return { kept: [], tests };
  }
  let granularity = 2;
  while (current.length >= 2) {
    const chunks = split(current, granularity);
    let reduced = false;
    for (const chunk of chunks) {
      const complement = current.filter((item) => !chunk.includes(item));
      tests++;
      if (await holds(complement)) {
        current = complement;
        granularity = Math.max(granularity - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (granularity >= current.length) break;
      granularity = Math.min(granularity * 2, current.length);
    }
  }
  return { kept: current, tests };
}

function split<T>(items: T[], parts: number): T[][] {
  const chunks: T[][] = [];
  const size = items.length / parts;
  for (let i = 0; i < parts; i++) {
    const chunk = items.slice(Math.round(i * size), Math.round((i + 1) * size));
    if (chunk.length > 0) chunks.push(chunk);
  }
  return chunks;
}

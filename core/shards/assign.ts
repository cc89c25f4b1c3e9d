/** `i/N` with 1 <= i <= N. */
export interface ShardSpec {
  index: number;
  total: number;
}

export function parseShard(text: string): ShardSpec | null {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match) return null;
  const index = Number(match[1]);
  const total = Number(match[2]);
  return index >= 1 && total >= 1 && index <= total ? { index, total } : null;
}

/**
 * The case indices of one shard. Without costs, cases are dealt round-robin (balanced by count).
 * With recorded costs (e.g. milliseconds from an earlier run's timings), the longest cases are
 * placed first on the least-loaded shard (LPT). Ties break by index, so every machine computes
 * the same assignment.
 */
export function shardIndices(caseCount: number, shard: ShardSpec, costs?: ReadonlyMap<number, number>): number[] {
  const all = Array.from({ length: caseCount }, (_, i) => i);
  if (!costs || costs.size === 0) return all.filter((i) => i % shard.total === shard.index - 1);
  const known = [...costs.values()];
  const fallback = known.reduce((a, b) => a + b, 0) / known.length;
  const cost = (i: number) => costs.get(i) ?? fallback;
  const order = [...all].sort((a, b) => cost(b) - cost(a) || a - b);
  const load = new Array<number>(shard.total).fill(0);
  const mine: number[] = [];
  for (const i of order) {
    let target = 0;
    for (let s = 1; s < shard.total; s++) if (load[s]! < load[target]!) target = s;
    load[target]! += cost(i);
    if (target === shard.index - 1) mine.push(i);
  }
  return mine.sort((a, b) => a - b);
}

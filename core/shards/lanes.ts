/**
 * Which lane (pool worker) runs each case. Cases of one group (same stack, principal and plan)
 * share everything a worker memoizes: results, reductions, witnesses. Sending a group to one
 * worker means each group is computed once, not once per worker. Groups are placed largest
 * first on the least-loaded lane (LPT), ties by group id and lane number, so the assignment is a
 * function of the cases alone. Results never depend on it: they are identical on any lane.
 */
export function assignLanes(groups: ArrayLike<number>, lanes: number): Uint16Array {
  const size = new Map<number, number>();
  for (let i = 0; i < groups.length; i++) size.set(groups[i]!, (size.get(groups[i]!) ?? 0) + 1);
  const laneOfGroup = placeByWeight(size, lanes);
  const out = new Uint16Array(groups.length);
  for (let i = 0; i < groups.length; i++) out[i] = laneOfGroup.get(groups[i]!)!;
  return out;
}

/**
 * LPT over weighted units: heaviest first on the least-loaded lane, ties by unit id and lane
 * number, so the placement is a function of the weights alone.
 */
export function placeByWeight(weights: ReadonlyMap<number, number>, lanes: number): Map<number, number> {
  if (!Number.isInteger(lanes) || lanes < 1 || lanes > 65_535) throw new RangeError(`lanes must be between 1 and 65535: ${lanes}`);
  const order = [...weights.keys()].sort((a, b) => weights.get(b)! - weights.get(a)! || a - b);
  const load = new Array<number>(lanes).fill(0);
  const laneOf = new Map<number, number>();
  for (const unit of order) {
    let target = 0;
    for (let l = 1; l < lanes; l++) if (load[l]! < load[target]!) target = l;
    load[target]! += weights.get(unit)!;
    laneOf.set(unit, target);
  }
  return laneOf;
}

/**
 * The same placement with lanes renumbered so that lane 0 holds the most weight of the `favoured`
 * units (ties: the lower lane), by swapping it with lane 0. Units stay together, so results are
 * unchanged; it only decides which lane is the one that runs in the calling thread.
 */
export function favourLaneZero(laneOf: ReadonlyMap<number, number>, weights: ReadonlyMap<number, number>, favoured: ReadonlySet<number>): Map<number, number> {
  const held = new Map<number, number>();
  for (const unit of favoured) {
    const lane = laneOf.get(unit);
    if (lane !== undefined) held.set(lane, (held.get(lane) ?? 0) + (weights.get(unit) ?? 0));
  }
  let first = 0;
  for (const [lane, weight] of held) if (weight > (held.get(first) ?? 0) || (weight === (held.get(first) ?? 0) && lane < first)) first = lane;
  return new Map([...laneOf].map(([unit, lane]) => [unit, lane === first ? 0 : lane === 0 ? first : lane]));
}

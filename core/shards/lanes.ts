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

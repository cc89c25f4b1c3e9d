import type { Task } from "../model/suite.ts";
import { canonicalJson } from "../util/canonical-json.ts";

/**
 * A suite's cases in canonical order, materialized one at a time. A generated suite of a million
 * cases has only about a hundred distinct (operator, principal, plan) shapes, so holding every
 * Task object would cost over half a gigabyte for what fits in a few typed arrays.
 */
export interface TaskList {
  readonly length: number;
  /** A fresh Task for the case at `index` (0-based canonical order). */
  at(index: number): Task;
  /**
   * Cases with equal group numbers share what a worker memoizes: results of equal plans, and
   * witness reductions, which cases of one operator and principal share whenever their plans
   * reduce to the same plan (see core/shards/lanes.ts).
   */
  groupOf(index: number): number;
  /**
   * Cases with equal work numbers execute identically (same stack, principal and plan), so a run
   * that reuses results computes one of them and copies the rest.
   */
  workOf(index: number): number;
  /** Pieces that identify every case exactly, cheaper to hash than each case's JSON. */
  fingerprint(): Iterable<string | Uint8Array>;
}

/** What makes two cases share a worker's memoized results and reductions. */
export function affinityKey(task: Task): string {
  return `${task.mutation}|${task.principal}`;
}

/** Numbers the tasks by a key: equal keys, equal numbers. */
function numbered(tasks: readonly Task[], key: (task: Task) => string): Uint32Array {
  const ids = new Map<string, number>();
  return Uint32Array.from(tasks, (task) => {
    const k = key(task);
    if (!ids.has(k)) ids.set(k, ids.size);
    return ids.get(k)!;
  });
}

export class ArrayTaskList implements TaskList {
  private groups: Uint32Array | null = null;
  private works: Uint32Array | null = null;

  constructor(private readonly tasks: readonly Task[]) {}

  groupOf(index: number): number {
    this.groups ??= numbered(this.tasks, affinityKey);
    return this.groups[index]!;
  }

  workOf(index: number): number {
    this.works ??= numbered(this.tasks, (task) => `${affinityKey(task)}|${canonicalJson(task.semantic_query)}`);
    return this.works[index]!;
  }

  fingerprint(): Iterable<string> {
    return canonicalJsonChunks(this);
  }

  get length(): number {
    return this.tasks.length;
  }

  at(index: number): Task {
    const task = this.tasks[index];
    if (!task) throw new RangeError(`no case at index ${index} (suite has ${this.tasks.length})`);
    return task;
  }
}

/**
 * Cases that differ only in their ordinal and a shape drawn from a small set: each case keeps
 * the shape's number and its ordinal, and `make` rebuilds the Task from both.
 */
export class CompactTaskList<Shape> implements TaskList {
  private readonly shapes: Shape[] = [];
  private readonly shapeIds = new Map<string, number>();
  private readonly shapeGroups: number[] = [];
  private readonly groupIds = new Map<string, number>();
  private shapeOf: Uint32Array;
  private ordinalOf: Uint32Array;
  private filled = 0;

  constructor(
    capacity: number,
    private readonly make: (ordinal: number, shape: Shape) => Task,
  ) {
    this.shapeOf = new Uint32Array(capacity);
    this.ordinalOf = new Uint32Array(capacity);
  }

  /** Appends a case; shapes with equal canonical JSON share one entry. */
  push(ordinal: number, shape: Shape): void {
    if (this.filled === this.shapeOf.length) throw new RangeError("task list is full");
    const key = canonicalJson(shape);
    let id = this.shapeIds.get(key);
    if (id === undefined) {
      id = this.shapes.length;
      this.shapes.push(shape);
      this.shapeIds.set(key, id);
      const group = affinityKey(this.make(ordinal, shape));
      if (!this.groupIds.has(group)) this.groupIds.set(group, this.groupIds.size);
      this.shapeGroups.push(this.groupIds.get(group)!);
    }
    this.shapeOf[this.filled] = id;
    this.ordinalOf[this.filled] = ordinal;
    this.filled++;
  }

  /** Reorders the cases by a permutation of 0..length-1 (position i takes case order[i]). */
  permute(order: Uint32Array): this {
    if (order.length !== this.filled) throw new RangeError("permutation length differs from the case count");
    const shapeOf = new Uint32Array(this.filled);
    const ordinalOf = new Uint32Array(this.filled);
    for (let i = 0; i < order.length; i++) {
      shapeOf[i] = this.shapeOf[order[i]!]!;
      ordinalOf[i] = this.ordinalOf[order[i]!]!;
    }
    this.shapeOf = shapeOf;
    this.ordinalOf = ordinalOf;
    return this;
  }

  get length(): number {
    return this.filled;
  }

  groupOf(index: number): number {
    return this.shapeGroups[this.shapeOf[index]!]!;
  }

  /** A shape fixes the case's stack, principal and plan; only labels and ids vary with the ordinal. */
  workOf(index: number): number {
    return this.shapeOf[index]!;
  }

  /** The shapes as canonical JSON, then which shape and ordinal each case has, and a sample case. */
  *fingerprint(): Iterable<string | Uint8Array> {
    yield canonicalJson(this.shapes);
    yield new Uint8Array(this.shapeOf.buffer, this.shapeOf.byteOffset, this.shapeOf.byteLength);
    yield new Uint8Array(this.ordinalOf.buffer, this.ordinalOf.byteOffset, this.ordinalOf.byteLength);
    // `make` turns both into Tasks; a materialized case covers what it adds (ids, requests, labels).
    if (this.filled > 0) yield canonicalJson(this.at(0));
  }

  /** How many distinct shapes the cases use. */
  get shapeCount(): number {
    return this.shapes.length;
  }

  at(index: number): Task {
    if (!Number.isInteger(index) || index < 0 || index >= this.filled) throw new RangeError(`no case at index ${index} (suite has ${this.filled})`);
    return this.make(this.ordinalOf[index]!, this.shapes[this.shapeOf[index]!]!);
  }
}

export function* tasksOf(list: TaskList): Generator<Task> {
  for (let i = 0; i < list.length; i++) yield list.at(i);
}

export function taskArray(list: TaskList): Task[] {
  return Array.from(tasksOf(list));
}

/** sha256-ready canonical JSON of the whole list, fed in pieces: equal to canonicalJson(taskArray(list)). */
export function* canonicalJsonChunks(list: TaskList): Generator<string> {
  yield "[";
  for (let i = 0; i < list.length; i++) {
    if (i > 0) yield ",";
    yield canonicalJson(list.at(i));
  }
  yield "]";
}

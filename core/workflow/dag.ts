import { DagCycleError, DagInvalidError } from '../errors/core-errors.js';
import type { TaskSpec } from './types.js';

/**
 * Validates a workflow DAG and returns its topological batches: batch k holds
 * the tasks whose longest dependency chain has length k, so all tasks of a batch
 * can run in parallel. Ties inside a batch keep declaration order.
 *
 * Throws DagInvalidError on a repeated id or unknown dependency, and
 * DagCycleError (naming one cycle) when the graph is not acyclic.
 */
export function planBatches(tasks: readonly TaskSpec[]): string[][] {
  const byId = new Map<string, TaskSpec>();
  for (const task of tasks) {
    if (byId.has(task.id)) throw new DagInvalidError(`task id "${task.id}" is declared twice`);
    byId.set(task.id, task);
  }
  for (const task of tasks) {
    for (const dependency of task.dependsOn) {
      if (!byId.has(dependency)) {
        throw new DagInvalidError(`task "${task.id}" depends on unknown task "${dependency}"`);
      }
      if (dependency === task.id) throw new DagCycleError([task.id, task.id]);
    }
  }
  const cycle = findCycle(tasks, byId);
  if (cycle) throw new DagCycleError(cycle);

  const depth = new Map<string, number>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const task = byId.get(id)!;
    let value = 0;
    for (const dependency of task.dependsOn) value = Math.max(value, depthOf(dependency) + 1);
    depth.set(id, value);
    return value;
  };
  const batches: string[][] = [];
  for (const task of tasks) {
    const level = depthOf(task.id);
    while (batches.length <= level) batches.push([]);
    batches[level].push(task.id);
  }
  return batches;
}

/** Depth-first search with colours; returns the first cycle found, closed. */
function findCycle(tasks: readonly TaskSpec[], byId: Map<string, TaskSpec>): string[] | undefined {
  const colour = new Map<string, 'grey' | 'black'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    colour.set(id, 'grey');
    stack.push(id);
    for (const dependency of byId.get(id)!.dependsOn) {
      const state = colour.get(dependency);
      if (state === 'grey') return [...stack.slice(stack.indexOf(dependency)), dependency];
      if (state === undefined) {
        const found = visit(dependency);
        if (found) return found;
      }
    }
    stack.pop();
    colour.set(id, 'black');
    return undefined;
  };
  for (const task of tasks) {
    if (colour.get(task.id) === undefined) {
      const found = visit(task.id);
      if (found) return found;
    }
  }
  return undefined;
}

/** Task ids that list `taskId` among their dependencies, in declaration order. */
export function successorsOf(tasks: readonly TaskSpec[], taskId: string): string[] {
  return tasks.filter((task) => task.dependsOn.includes(taskId)).map((task) => task.id);
}

import type { TaskSpec, WorkflowSpec } from '../workflow/types.js';

/** A role in a pattern: the task id and the agent that plays it (capability defaults to the id). */
export interface Role {
  id: string;
  agent: string;
  capability?: string;
}

const task = (role: Role, dependsOn: string[]): TaskSpec => ({ id: role.id, agent: role.agent, capability: role.capability, dependsOn });

/** Pipeline: each stage depends on the one before (research → analysis → writing …). */
export function pipeline(name: string, stages: Role[]): WorkflowSpec {
  return { name, tasks: stages.map((stage, i) => task(stage, i === 0 ? [] : [stages[i - 1]!.id])) };
}

/** Parallel execution with a sync point (seed 002 pattern 2): branches at once, then `sync` needs all. */
export function parallelWithSync(name: string, branches: Role[], sync: Role): WorkflowSpec {
  return { name, tasks: [...branches.map((branch) => task(branch, [])), task(sync, branches.map((branch) => branch.id))] };
}

/** Hierarchical supervision (seed 002 pattern 1): orchestrator plans, specialists work, synthesis consolidates. */
export function hierarchical(name: string, orchestrator: Role, specialists: Role[], synthesis: Role): WorkflowSpec {
  return {
    name,
    tasks: [task(orchestrator, []), ...specialists.map((specialist) => task(specialist, [orchestrator.id])), task(synthesis, specialists.map((s) => s.id))],
  };
}

/**
 * Debate (seed 004): in round 1 pro and con argue independently; in every
 * later round each rebuts both arguments of the round before; the judge weighs
 * the last round. Rounds are at least 1.
 */
export function debate(name: string, pro: Role, con: Role, judge: Role, rounds: number): WorkflowSpec {
  const tasks: TaskSpec[] = [];
  let previous: string[] = [];
  for (let round = 1; round <= Math.max(1, rounds); round++) {
    const ids = [`${pro.id}_${round}`, `${con.id}_${round}`];
    tasks.push(task({ ...pro, id: ids[0]!, capability: pro.capability ?? pro.id }, previous));
    tasks.push(task({ ...con, id: ids[1]!, capability: con.capability ?? con.id }, previous));
    previous = ids;
  }
  tasks.push(task(judge, previous));
  return { name, tasks };
}

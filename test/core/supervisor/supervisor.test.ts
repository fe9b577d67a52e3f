import { describe, expect, it } from 'vitest';
import { AgentRuntime } from '../../../core/agents/agent-runtime.js';
import type { AgentBehaviour, AgentSpec, WorkRequest, WorkResult } from '../../../core/agents/types.js';
import type { CoreEvent } from '../../../core/env/observer.js';
import type { DesignPolicies } from '../../../core/policies/design-policies.js';
import { Supervisor, type WorkflowOutcome } from '../../../core/supervisor/supervisor.js';
import type { SupervisorPolicy } from '../../../core/supervisor/supervisor-policy.js';
import type { TaskSpec } from '../../../core/workflow/types.js';
import { createCoreTestEnv, type CoreTestEnv } from '../support/core-test-env.js';

/** Works for `latencyMs`, then succeeds (or fails when `fails`), using `tokens` output tokens. */
function behaviour(t: CoreTestEnv, latencyMs = 100, fails = false, tokens = 500, error = 'agent_error'): AgentBehaviour {
  return {
    async perform(request: WorkRequest): Promise<WorkResult> {
      await t.env.clock.sleepMs(latencyMs);
      if (fails) return { ok: false, error, inputTokens: 100, outputTokens: 0 };
      return { ok: true, summary: `${request.taskId} done`, findings: [`${request.taskId}: f`], decisions: [], inputTokens: 100, outputTokens: tokens };
    },
  };
}

interface Run {
  outcomes: (WorkflowOutcome | undefined)[];
  events: CoreEvent[];
  t: CoreTestEnv;
}

async function run(tasks: TaskSpec[], options: { design?: DesignPolicies; policy?: SupervisorPolicy; supervisors?: number; failing?: string[]; maxConcurrent?: number; error?: string } = {}): Promise<Run> {
  const t = createCoreTestEnv();
  const names = [...new Set(tasks.map((task) => task.agent))];
  const agents: AgentSpec[] = names.map((name) => ({ name, capabilities: tasks.filter((task) => task.agent === name).map((task) => task.capability ?? task.id), maxConcurrent: options.maxConcurrent ?? 4 }));
  const supervisors = Array.from({ length: options.supervisors ?? 1 }, (_, i) =>
    new Supervisor(t.env, agents, { taskTimeoutMs: 5_000, taskAttemptsMax: 2, ...options.policy }, { node: i === 0 ? 'supervisor' : `supervisor-${i + 1}`, design: options.design }),
  );
  for (const agent of agents) new AgentRuntime(t.env, agent, behaviour(t, 100, options.failing?.includes(agent.name), 500, options.error), { handoff: { ackTimeoutMs: 200 }, design: options.design });
  const outcomes: (WorkflowOutcome | undefined)[] = supervisors.map(() => undefined);
  supervisors.forEach((supervisor, i) => void supervisor.runWorkflow({ workflowId: 'wf-1', spec: { name: 'w', tasks }, query: 'q' }).then((outcome) => (outcomes[i] = outcome)));
  await t.run();
  return { outcomes, events: t.events, t };
}

const chain: TaskSpec[] = [
  { id: 'a', agent: 'x', dependsOn: [] },
  { id: 'b', agent: 'y', dependsOn: ['a'] },
  { id: 'c', agent: 'z', dependsOn: ['b'] },
];
const cycle: TaskSpec[] = [
  { id: 'a', agent: 'x', dependsOn: ['c'] },
  { id: 'b', agent: 'y', dependsOn: ['a'] },
  { id: 'c', agent: 'z', dependsOn: ['b'] },
];
const of = <T extends CoreEvent['type']>(events: CoreEvent[], type: T) => events.filter((e): e is Extract<CoreEvent, { type: T }> => e.type === type);

describe('supervisor', () => {
  it('runs a chain in order and completes with full confidence', async () => {
    const { outcomes, events } = await run(chain);
    expect(outcomes[0]).toMatchObject({ status: 'completed', result: { status: 'success', confidence: 1 } });
    expect(of(events, 'task.started').map((e) => e.taskId)).toEqual(['a', 'b', 'c']);
    expect(of(events, 'task.effect.committed')).toHaveLength(3);
  });

  it('DAG validation refuses a cycle before any task runs; without it the workflow deadlocks', async () => {
    const refused = await run(cycle);
    expect(refused.outcomes[0]?.status).toBe('failed');
    expect(of(refused.events, 'dag.rejected')).toHaveLength(1);
    expect(of(refused.events, 'task.started')).toHaveLength(0);
    const naive = await run(cycle, { design: { dagValidation: false } });
    expect(naive.outcomes[0]).toBeUndefined();
  });

  it('racing supervisors with assignment locking assign each task once and both finish', async () => {
    const { outcomes, events } = await run(chain, { supervisors: 2 });
    expect(outcomes.map((o) => o?.status)).toEqual(['completed', 'completed']);
    const assigned = of(events, 'task.assigned');
    expect(assigned.map((e) => e.taskId).sort()).toEqual(['a', 'b', 'c']);
    expect(of(events, 'task.effect.committed')).toHaveLength(3);
  });

  it('racing supervisors without locking assign every task twice', async () => {
    const { events } = await run(chain, { supervisors: 2, design: { assignmentLocking: false, idempotencyKeys: false } });
    expect(of(events, 'task.assigned').filter((e) => e.taskId === 'a').map((e) => e.supervisor).sort()).toEqual(['supervisor', 'supervisor-2']);
    expect(of(events, 'task.effect.committed').filter((e) => e.taskId === 'a').length).toBe(2);
  });

  it('maxConcurrentAgents bounds parallel tasks of a workflow', async () => {
    const parallel: TaskSpec[] = ['p', 'q', 'r'].map((id) => ({ id, agent: id, dependsOn: [] }));
    const { events } = await run(parallel, { policy: { maxConcurrentAgents: 1 } });
    let running = 0;
    let peak = 0;
    for (const event of events) {
      if (event.type === 'task.assigned') peak = Math.max(peak, ++running);
      if (event.type === 'task.completed') running--;
    }
    expect(peak).toBe(1);
  });

  it('degrades gracefully: partial_success names the failed agent, its impact and a reduced confidence', async () => {
    const fanIn: TaskSpec[] = [
      { id: 'financial', agent: 'fin', dependsOn: [] },
      { id: 'legal', agent: 'law', dependsOn: [] },
      { id: 'market', agent: 'mkt', dependsOn: [] },
    ];
    const { outcomes } = await run(fanIn, { failing: ['law'] });
    const result = outcomes[0]!.result;
    expect(outcomes[0]!.status).toBe('partial');
    expect(result.status).toBe('partial_success');
    expect(result.completedAgents).toEqual(['fin', 'mkt']);
    expect(result.failedAgents).toEqual([expect.objectContaining({ agent: 'law', taskId: 'legal', impact: expect.stringContaining('legal') })]);
    expect(result.confidence).toBeCloseTo(2 / 3, 2);
  });

  it('checkpoints after each phase', async () => {
    const { t } = await run(chain);
    expect(t.writtenKeys.filter((key) => key.includes('/phase-'))).toEqual(['checkpoints/wf-1/phase-0', 'checkpoints/wf-1/phase-1', 'checkpoints/wf-1/phase-2']);
  });

  it('halts on a budget instead of exceeding it: charges stay within the limit', async () => {
    const { outcomes, events } = await run(chain, { policy: { budgets: { workflow: { tokens: 1_000, calls: 2 } } } });
    expect(of(events, 'budget.exceeded').length).toBeGreaterThan(0);
    for (const charge of of(events, 'budget.charged')) expect(charge.total).toBeLessThanOrEqual(charge.limit);
    expect(outcomes[0]?.failedTasks.some((task) => task.reason === 'budget_exceeded')).toBe(true);
  });

  it('a critical error aborts the workflow and compensates completed tasks (saga)', async () => {
    const { outcomes, events } = await run(chain, { failing: ['y'], error: 'permission denied' });
    expect(outcomes[0]?.status).toBe('partial');
    expect(outcomes[0]?.failedTasks.map((task) => task.reason)).toEqual(['aborted: permission denied', 'aborted: permission denied']);
    expect(of(events, 'task.failed')).toHaveLength(1);
  });

  it('transient errors are retried until the attempts run out, then escalated', async () => {
    const { outcomes, events } = await run(chain, { failing: ['y'], error: 'upstream timeout' });
    expect(of(events, 'task.failed').map((e) => e.attempt)).toEqual([1, 2]);
    expect(outcomes[0]?.failedTasks.find((task) => task.taskId === 'b')?.reason).toBe('upstream timeout after 2 attempts');
  });
});


describe('task store', async () => {
  const { TaskStore } = await import('../../../core/tasks/task-store.js');
  it('the version-checked UPDATE lets one of two racing claims win; a failed write is not a lost race', async () => {
    const t = createCoreTestEnv(1, { writeFailureRatio: 0 });
    const store = new TaskStore(t.env.storage);
    const claims: unknown[] = [];
    void Promise.all([store.claim('wf', 't', 1, 'sup-a', 'x'), store.claim('wf', 't', 1, 'sup-b', 'x')]).then((both) => claims.push(...both));
    await t.run();
    expect(claims.filter((claim) => (claim as { won: boolean }).won)).toHaveLength(1);
    expect(claims.find((claim) => !(claim as { won: boolean }).won)).toMatchObject({ reason: 'taken', current: { status: 'assigned' } });

    const failing = createCoreTestEnv(1, { writeFailureRatio: 1 });
    let failed: unknown;
    void new TaskStore(failing.env.storage).claim('wf', 't', 1, 'sup-a', 'x').then((claim) => (failed = claim));
    await failing.run();
    expect(failed).toMatchObject({ won: false, reason: 'write-failed' });
  });
});

import { describe, expect, it } from 'vitest';
import type { AgentBehaviour, WorkRequest, WorkResult } from '../../../core/agents/types.js';
import type { Message, Transport } from '../../../core/env/transport.js';
import type { SimulationOptions } from '../../../simulator/options.js';
import { runTiny, tinyWorld } from '../support/tiny-world.js';

/**
 * The checkers inside whole simulated runs: a deliberately broken piece built
 * here (a transport that misdelivers, a stalling agent, or the naive design
 * option a team might pick) is caught by its checker; the robust design under
 * the same faults passes.
 */
async function checkersHit(options: Partial<SimulationOptions>): Promise<string[]> {
  const run = await runTiny(tinyWorld(options));
  return [...new Set(run.result.violations.map((violation) => violation.checker))];
}

const policies = tinyWorld().policies!;
const design = (choice: Record<string, unknown>): Partial<SimulationOptions> => ({ policies: { ...policies, design: choice } });

/** A transport that also sends the analyst its task as soon as the researcher gets one: it jumps the DAG. */
const eagerTransport = (inner: Transport): Transport => ({
  listen: (node, handler, lifecycle) => inner.listen(node, handler, lifecycle),
  send: (message: Message) => {
    inner.send(message);
    const body = message.body as { taskId?: string };
    if (message.kind === 'task.assign' && body.taskId === 'research') {
      inner.send({ ...message, to: 'analyst', body: { ...body, taskId: 'analyze', attempt: 99, routes: [] } });
    }
  },
});

/** An agent that never answers: every attempt runs into the supervisor's timeout. */
const silentAnalyst: Record<string, AgentBehaviour> = {
  analyst: { perform: (_request: WorkRequest) => new Promise<WorkResult>(() => {}) },
};

describe('checkers in simulated runs', () => {
  it('dag-order: a transport that assigns a task before its dependency completed is caught; the plain network passes', async () => {
    expect(await checkersHit({ wrapTransport: eagerTransport })).toContain('dag-order');
    expect(await checkersHit({})).toEqual([]);
  });

  it('no-lost-handoff: fire-and-forget handoffs (direct) leave handoffs unended under a crash; two-phase passes', async () => {
    const faults: SimulationOptions['faults'] = [{ kind: 'crash', atMs: 0, forMs: 400, targets: ['analyst'], phase: 'context-written' }];
    expect(await checkersHit({ ...design({ handoffProtocol: 'direct' }), faults })).toContain('no-lost-handoff');
    expect(await checkersHit({ faults })).toEqual([]);
  });

  it('exactly-once-effects: without idempotency keys a retried task commits twice; with them it passes', async () => {
    // The researcher's results are held past the task timeout: the supervisor retries a task whose effect is already committed.
    const faults: SimulationOptions['faults'] = [{ kind: 'hold', atMs: 0, forMs: 2_500, links: [{ from: 'researcher', to: 'supervisor' }] }];
    expect(await checkersHit({ ...design({ idempotencyKeys: false }), faults })).toContain('exactly-once-effects');
    expect(await checkersHit({ faults })).toEqual([]);
  });

  it('no-double-assignment: racing supervisors without assignment locking both assign; with locking they pass', async () => {
    expect(await checkersHit({ supervisorsCount: 2, ...design({ assignmentLocking: false }) })).toContain('no-double-assignment');
    expect(await checkersHit({ supervisorsCount: 2 })).toEqual([]);
  });

  it('no-stale-read-acted-on: using whatever a lagging replica returns is caught; epoch-checked reads pass', async () => {
    const faults: SimulationOptions['faults'] = [{ kind: 'replica-lag', atMs: 0, forMs: 5_000, replicaLagMs: { dist: 'fixed', value: 300 } }];
    expect(await checkersHit({ ...design({ readConsistency: 'any-replica' }), faults })).toContain('no-stale-read-acted-on');
    expect(await checkersHit({ faults })).toEqual([]);
  });

  it('integrity: a receiver without validation accepts corrupted and drifted envelopes; validation refuses them', async () => {
    const corrupt: SimulationOptions['faults'] = [{ kind: 'corrupt', atMs: 0, forMs: 5_000, corruptRatio: 1 }];
    const drift: SimulationOptions['faults'] = [{ kind: 'schema-drift', atMs: 0, forMs: 5_000, targets: ['researcher'], schemaVersion: 2 }];
    expect(await checkersHit({ ...design({ schemaValidation: false }), faults: corrupt })).toContain('integrity');
    expect(await checkersHit({ ...design({ schemaValidation: false }), faults: drift })).toContain('integrity');
    expect(await checkersHit({ faults: corrupt })).toEqual([]);
    expect(await checkersHit({ faults: drift })).toEqual([]);
  });

  it('budgets: a token blow-up against a workflow token budget is contained (the robust budget passes)', async () => {
    const budgets = { policies: { ...policies, supervisor: { ...policies.supervisor, budgets: { workflow: { tokens: 5_000 } } } } };
    const run = await runTiny(tinyWorld({ ...budgets, faults: [{ kind: 'token-blowup', atMs: 0, forMs: 5_000, targets: ['researcher'], tokensFactor: 20 }] }));
    expect(run.lines.some((line) => line.startsWith('core.budget.charged'))).toBe(true);
    expect(run.result.violations).toEqual([]);
  });

  it('liveness: an agent that never answers keeps workflows past the bound and is caught; the same bound with normal agents passes', async () => {
    expect(await checkersHit({ phases: { livenessMsMax: 2_000 }, behaviours: silentAnalyst })).toContain('liveness');
    expect(await checkersHit({ phases: { livenessMsMax: 2_000 } })).toEqual([]);
  });
});

describe('crashes of core', () => {
  it('an agent behaviour that throws is a crash-class violation with the seed and the error, not a dead process', async () => {
    const throwing: Record<string, AgentBehaviour> = {
      researcher: {
        perform: () => {
          throw new Error('behaviour exploded');
        },
      },
    };
    const run = await runTiny(tinyWorld({ behaviours: throwing, workload: { instances: 1 } }));
    const crash = run.result.violations.find((violation) => violation.classification === 'crash');
    expect(crash).toMatchObject({ checker: 'crash', seed: 7, story: "agent researcher's behaviour threw: behaviour exploded" });
    expect(run.lines.some((line) => line === 'crash.behaviour researcher behaviour exploded')).toBe(true);
  });
});

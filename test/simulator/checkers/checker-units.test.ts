import { describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../../core/env/observer.js';
import { sealEnvelope, type HandoffEnvelope } from '../../../core/handoff/envelope.js';
import { BudgetChecker } from '../../../simulator/checkers/budget-checker.js';
import { EffectOnceChecker } from '../../../simulator/checkers/effect-once-checker.js';
import { IntegrityChecker } from '../../../simulator/checkers/integrity-checker.js';
import { LivenessChecker } from '../../../simulator/checkers/liveness-checker.js';
import { LostHandoffChecker } from '../../../simulator/checkers/lost-handoff-checker.js';
import { SingleAssignmentChecker } from '../../../simulator/checkers/single-assignment-checker.js';
import { StaleReadChecker } from '../../../simulator/checkers/stale-read-checker.js';
import type { Checker, WorldEvent } from '../../../simulator/checkers/violation.js';

/**
 * Each checker fed the event stream of a deliberately broken core (built here,
 * event by event) flags it with a classified, traceable violation; the stream
 * of a correct core passes.
 */
type Step = { at: number; event: CoreEvent } | { at: number; world: WorldEvent };

function feed(checker: Checker, steps: Step[], endMs = 10_000) {
  const started: Step[] = [{ at: 0, event: { type: 'workflow.started', workflowId: 'wf-1', traceId: 'trace-1' } }];
  for (const step of [...started, ...steps]) {
    if ('event' in step) checker.observe(step.event, step.at);
    else checker.observeWorld?.(step.world, step.at);
  }
  return checker.finish(endMs);
}

const prepared: CoreEvent = { type: 'handoff.prepared', workflowId: 'wf-1', handoffId: 'h1', source: 'a', target: 'b', spanId: 'span-1' };

function envelope(schemaVersion = 1): HandoffEnvelope {
  return sealEnvelope({
    handoffId: 'h1',
    workflowId: 'wf-1',
    sourceTaskId: 'x',
    targetTaskId: 'y',
    task: { originalQuery: 'q', taskDescription: 'd', constraints: [] },
    execution: { stepsCompleted: [], currentProgress: 1, partialResults: [], decisionsMade: [] },
    reasoning: { keyFindings: ['f'], assumptions: [], uncertainties: [], recommendations: [] },
    memory: { sharedFragmentIds: [] },
    metadata: { schemaVersion, sourceAgentId: 'a', handoffTimestampUs: 0, contextTokens: 10 },
  });
}

const accepted = (schemaVersion = 1): CoreEvent => ({ type: 'handoff.accepted', workflowId: 'wf-1', handoffId: 'h1', checksumOk: true, schemaVersion, target: 'b' });

describe('checkers on broken and correct event streams', () => {
  it('no-lost-handoff: a handoff prepared and never ended is caught, with its trace and span; an orphaned context says so', () => {
    const [violation] = feed(new LostHandoffChecker(), [{ at: 5, event: prepared }]);
    expect(violation).toMatchObject({ checker: 'no-lost-handoff', classification: 'correctness', traceId: 'trace-1', spanId: 'span-1', atMs: 5 });
    const [orphan] = feed(new LostHandoffChecker(), [{ at: 5, event: prepared }, { at: 6, event: { type: 'handoff.phase', workflowId: 'wf-1', handoffId: 'h1', phase: 'context-written', source: 'a', target: 'b' } }]);
    expect(orphan.story).toMatch(/orphaned context/);
    for (const end of [accepted(), { type: 'handoff.failed', workflowId: 'wf-1', handoffId: 'h1', reason: 'nack' }, { type: 'handoff.rolled_back', workflowId: 'wf-1', handoffId: 'h1', reason: 'timeout' }] as CoreEvent[]) {
      expect(feed(new LostHandoffChecker(), [{ at: 5, event: prepared }, { at: 9, event: end }])).toEqual([]);
    }
  });

  it('exactly-once-effects: a second commit of one task effect is caught; one commit per task passes', () => {
    const commit = (taskId: string, attempt: number): Step => ({ at: attempt, event: { type: 'task.effect.committed', workflowId: 'wf-1', taskId, attempt, agent: 'a', version: attempt } });
    const [violation] = feed(new EffectOnceChecker(), [commit('x', 1), commit('x', 2)]);
    expect(violation).toMatchObject({ checker: 'exactly-once-effects', classification: 'correctness', atMs: 2, traceId: 'trace-1' });
    expect(feed(new EffectOnceChecker(), [commit('x', 1), commit('y', 1)])).toEqual([]);
  });

  it('no-double-assignment: one attempt assigned by two supervisors is caught; a retry (new attempt) and a re-send pass', () => {
    const assign = (supervisor: string, attempt: number, at: number): Step => ({
      at,
      event: { type: 'task.assigned', workflowId: 'wf-1', taskId: 'x', attempt, agent: 'a', supervisor, locked: false },
    });
    const [violation] = feed(new SingleAssignmentChecker(), [assign('supervisor', 1, 1), assign('supervisor-2', 1, 2)]);
    expect(violation).toMatchObject({ checker: 'no-double-assignment', classification: 'correctness', atMs: 2 });
    expect(feed(new SingleAssignmentChecker(), [assign('supervisor', 1, 1), assign('supervisor', 1, 2), assign('supervisor', 2, 3)])).toEqual([]);
  });

  it('no-stale-read-acted-on: acting on a version older than the epoch is caught; refusing it, or a current read, passes', () => {
    const read = (versionRead: number, outcome: 'acted-on' | 'refused'): Step => ({
      at: 3,
      event: { type: 'memory.read', workflowId: 'wf-1', taskId: 'y', agent: 'b', key: 'k', versionRead, epochRequired: 2, source: 'replica', outcome },
    });
    expect(feed(new StaleReadChecker(), [read(1, 'acted-on')])[0]).toMatchObject({ checker: 'no-stale-read-acted-on', classification: 'correctness' });
    expect(feed(new StaleReadChecker(), [read(1, 'refused'), read(2, 'acted-on')])).toEqual([]);
  });

  it('integrity: accepting a corrupted envelope or an unsupported schema version is caught, whatever core claims', () => {
    const accepts = new Map([['b', [1]]]);
    // Sealed envelopes are frozen: tampering happens to a copy, as on the wire.
    const corrupted = structuredClone(envelope());
    corrupted.reasoning.keyFindings.push('tampered');
    const deliver = (sent: HandoffEnvelope): Step[] => [
      { at: 4, world: { type: 'offer.delivering', to: 'b', envelope: sent } },
      { at: 4, event: accepted(sent.metadata.schemaVersion) },
      { at: 4, world: { type: 'offer.delivered', to: 'b', handoffId: 'h1' } },
    ];
    expect(feed(new IntegrityChecker(accepts), deliver(corrupted))[0].story).toMatch(/checksum does not match/);
    expect(feed(new IntegrityChecker(accepts), deliver(envelope(2)))[0].story).toMatch(/schema version 2 is not one b accepts/);
    expect(feed(new IntegrityChecker(accepts), deliver(envelope(1)))).toEqual([]);
  });

  it('budgets: charges past the limit are caught once per budget; charges within it pass', () => {
    const charge = (amount: number, at: number): Step => ({
      at,
      event: { type: 'budget.charged', workflowId: 'wf-1', scope: 'workflow', owner: 'wf-1', resource: 'tokens', amount, total: 0, limit: 1000 },
    });
    const violations = feed(new BudgetChecker(), [charge(600, 1), charge(600, 2), charge(10, 3)]);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ checker: 'budgets', classification: 'correctness', atMs: 2 });
    expect(feed(new BudgetChecker(), [charge(600, 1), charge(400, 2)])).toEqual([]);
  });

  it('liveness: a workflow never finished is a deadlock; one finished later than the bound after healing is caught; prompt ones pass', () => {
    expect(feed(new LivenessChecker(), [], 777)[0]).toMatchObject({ checker: 'liveness', classification: 'liveness', atMs: 777 });
    const late = feed(new LivenessChecker(1_000), [
      { at: 2_000, world: { type: 'faults.healed' } },
      { at: 3_500, event: { type: 'workflow.finished', workflowId: 'wf-1', status: 'completed' } },
    ]);
    expect(late[0].story).toMatch(/500 ms after its liveness deadline/);
    expect(
      feed(new LivenessChecker(1_000), [
        { at: 2_000, world: { type: 'faults.healed' } },
        { at: 2_900, event: { type: 'workflow.finished', workflowId: 'wf-1', status: 'completed' } },
      ]),
    ).toEqual([]);
  });
});

describe('checker names', () => {
  it('CHECKER_NAMES lists every checker of a run', async () => {
    const { createCheckers, CHECKER_NAMES } = await import('../../../simulator/checkers/checker-set.js');
    const { tinyWorld } = await import('../support/tiny-world.js');
    for (const checker of createCheckers(tinyWorld())) expect(CHECKER_NAMES).toContain(checker.name);
  });
});

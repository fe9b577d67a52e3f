import { describe, expect, it } from 'vitest';
import type { ScriptedFault } from '../../../simulator/faults/scripted-faults.js';
import { runTiny, tinyWorld, type TinyRun } from '../support/tiny-world.js';

/** Every fault kind: its effect shows in the event log and as a `baton.fault` span event, and neither shows when it is off. */
interface Case {
  fault: ScriptedFault;
  /** Span event kind recorded when the fault starts. */
  eventKind: string;
  /** What the fault does, as seen in the event log. */
  effect: (run: TinyRun) => boolean;
}

const all = [{ from: 'researcher', to: 'analyst' }];
const within = { atMs: 0, forMs: 1_500 };
const has = (text: string) => (run: TinyRun) => run.lines.some((line) => line.includes(text));

const CASES: Case[] = [
  { fault: { kind: 'partition', ...within, groups: [['researcher'], ['analyst']] }, eventKind: 'partition', effect: has('reason=partitioned') },
  { fault: { kind: 'hold', ...within, links: all }, eventKind: 'hold', effect: (run) => has('net.hold researcher->analyst')(run) && has('fault.hold end release=')(run) },
  { fault: { kind: 'loss', ...within, lossRatio: 0.5 }, eventKind: 'loss', effect: has('reason=lost') },
  { fault: { kind: 'duplicate', ...within, duplicateRatio: 0.5 }, eventKind: 'duplicate', effect: has('(duplicate)') },
  { fault: { kind: 'reorder', ...within, reorderRatio: 0.5, reorderDelayMsMax: 300 }, eventKind: 'reorder', effect: has('fault.injected message_reorder') },
  {
    fault: { kind: 'slow-link', ...within, latencyMs: { dist: 'fixed', value: 80 }, links: all },
    eventKind: 'slow-link',
    effect: has('net.send researcher->analyst handoff.offer delay=80000'),
  },
  { fault: { kind: 'corrupt', ...within, corruptRatio: 1, links: all }, eventKind: 'corrupt', effect: has('checksum-mismatch') },
  { fault: { kind: 'crash', atMs: 150, forMs: 500, targets: ['analyst'] }, eventKind: 'crash', effect: (run) => has('fault.crash analyst')(run) && has('fault.restart analyst')(run) },
  { fault: { kind: 'crash', atMs: 0, forMs: 500, targets: ['researcher'], phase: 'published' }, eventKind: 'crash', effect: has('fault.crash-at-phase researcher phase=published') },
  { fault: { kind: 'pause', atMs: 50, forMs: 500, targets: ['analyst'] }, eventKind: 'pause', effect: (run) => has('net.freeze')(run) && has('fault.resume analyst')(run) },
  { fault: { kind: 'replica-lag', ...within, replicaLagMs: { dist: 'fixed', value: 300 } }, eventKind: 'replica-lag', effect: has('store.stale-read') },
  { fault: { kind: 'write-failure', ...within, writeFailureRatio: 0.5 }, eventKind: 'write-failure', effect: has('store.write-failed') },
  { fault: { kind: 'crash', atMs: 120, forMs: 300, targets: ['store'] }, eventKind: 'crash', effect: (run) => has('fault.crash store lost-unsynced=')(run) && has('fault.restart store')(run) },
  { fault: { kind: 'clock', ...within, targets: ['supervisor'], skewMs: 500, driftPpm: 1000 }, eventKind: 'clock', effect: has('fault.clock supervisor skewMs=500 driftPpm=1000') },
  { fault: { kind: 'agent-slowdown', ...within, targets: ['researcher'], slowdownFactor: 3 }, eventKind: 'agent-slowdown', effect: has('fault.injected agent_slowdown researcher') },
  { fault: { kind: 'agent-errors', ...within, targets: ['researcher'], errorRatio: 1 }, eventKind: 'agent-errors', effect: has('reason=agent_error_injected') },
  { fault: { kind: 'agent-hang', atMs: 0, forMs: 300, targets: ['researcher'], hangRatio: 1 }, eventKind: 'agent-hang', effect: has('reason=task_timeout') },
  { fault: { kind: 'token-blowup', ...within, targets: ['researcher'], tokensFactor: 10 }, eventKind: 'token-blowup', effect: has('fault.injected token_blowup researcher') },
  { fault: { kind: 'schema-drift', ...within, targets: ['researcher'], schemaVersion: 2 }, eventKind: 'schema-drift', effect: has('schema-version-unsupported') },
];

describe('fault kinds', async () => {
  const off = await runTiny(tinyWorld());

  it('the run without faults shows none of their effects and no fault span events', () => {
    expect(off.faultEvents).toEqual([]);
    for (const { effect, fault } of CASES) expect(effect(off), `${fault.kind} effect without the fault`).toBe(false);
    expect(off.result.outcomes.every((outcome) => outcome.status === 'completed')).toBe(true);
  });

  for (const { fault, eventKind, effect } of CASES) {
    it(`${fault.kind}${'phase' in fault && fault.phase ? ` at phase ${fault.phase}` : ''}: effect in the event log and a baton.fault span event`, async () => {
      const on = await runTiny(tinyWorld({ faults: [fault] }));
      expect(effect(on)).toBe(true);
      expect(on.faultEvents.some((event) => event.startsWith(`${eventKind} `))).toBe(true);
      expect(on.lines.some((line) => line.startsWith(`fault.injected ${eventKind} `))).toBe(true);
      expect(on.result.faultPlan).toEqual([fault]);
    });
  }

  it('token blow-up multiplies the output tokens on the agent span', async () => {
    const on = await runTiny(tinyWorld({ faults: [{ kind: 'token-blowup', atMs: 0, forMs: 10_000, targets: ['researcher'], tokensFactor: 10 }] }));
    const tokens = (run: TinyRun) => run.spans.filter((span) => span.name === 'invoke_agent researcher').map((span) => span.attributes['gen_ai.usage.output_tokens']);
    expect(tokens(off).every((value) => value === 1000)).toBe(true);
    expect(tokens(on).every((value) => value === 10_000)).toBe(true);
  });

  it('agent slowdown makes the agent span last slowdownFactor times as long', async () => {
    const on = await runTiny(tinyWorld({ faults: [{ kind: 'agent-slowdown', atMs: 0, forMs: 10_000, targets: ['researcher'], slowdownFactor: 3 }] }));
    const agentMs = (run: TinyRun) => {
      const span = run.spans.find((candidate) => candidate.name === 'invoke_agent researcher')!;
      return (span.endTime[0] - span.startTime[0]) * 1000 + (span.endTime[1] - span.startTime[1]) / 1e6;
    };
    // The work takes 100 ms; core may add a few ms of its own (storage) around it.
    expect(agentMs(off)).toBeGreaterThanOrEqual(100);
    expect(agentMs(off)).toBeLessThan(110);
    expect(agentMs(on)).toBeGreaterThanOrEqual(300);
    expect(agentMs(on)).toBeLessThan(310);
  });
});
